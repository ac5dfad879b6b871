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
