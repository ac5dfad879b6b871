(function(){
  function key(row, i){
    var c = row.cells[i], t = c ? c.textContent.trim() : "";
    var s = t.replace(/[%\s,]/g, "");
    return (s !== "" && !isNaN(s) && isFinite(s)) ? [0, parseFloat(s)] : [1, t.toLowerCase()];
  }
  document.querySelectorAll("table.sortable thead th").forEach(function(th){
    th.addEventListener("click", function(){
      var table = th.closest("table"), body = table.tBodies[0];
      var i = Array.prototype.indexOf.call(th.parentNode.children, th);
      var asc = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach(function(h){ h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function(a, b){
        var x = key(a, i), y = key(b, i);
        var r = x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0);
        return asc ? r : -r;
      });
      rows.forEach(function(r){ body.appendChild(r); });
    });
  });
})();
(function(){
  // the claims' filters: every select / search narrows the rows; the count says how many are shown
  document.querySelectorAll("form.filters").forEach(function(form){
    var table = document.getElementById(form.getAttribute("data-table"));
    var out = form.querySelector("output.shown");
    function apply(){
      var rows = table.tBodies[0].rows, shown = 0;
      var want = {}, text = "";
      form.querySelectorAll("[data-filter]").forEach(function(el){
        var f = el.getAttribute("data-filter");
        if (f === "text") text = el.value.trim().toLowerCase(); else if (el.value) want[f] = el.value;
      });
      Array.prototype.forEach.call(rows, function(r){
        var ok = Object.keys(want).every(function(f){ return r.getAttribute("data-" + f) === want[f]; });
        if (ok && text) ok = r.textContent.toLowerCase().indexOf(text) >= 0;
        r.hidden = !ok;
        if (ok) shown++;
      });
      out.textContent = shown + " of " + rows.length + " shown";
    }
    form.addEventListener("change", apply);
    form.addEventListener("input", apply);
  });
})();
