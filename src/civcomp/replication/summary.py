"""What notebook 05 publishes: the claims evaluated once, the robustness panel, the papers' figures and tables.

:func:`results` follows the contract of :mod:`civcomp.analyses.published`: it recomputes from the data
what no analysis notebook reports and every alternative of the robustness panel
(:func:`civcomp.analyses.robustness.results`), evaluates every claim of the ledger against
``outputs/results/*.json`` plus those values, judges each claim under each alternative, and adds paper
003's Tables 1-2 and the crosswalk (:func:`civcomp.analyses.frameworks.results`). The notebook writes what it
returns; the evaluations go to ``outputs/results/05_report__claims.json``
(:func:`civcomp.replication.claims.evaluation_file.write_evaluations`).

Examples
--------
>>> print(fragile_markdown({}))
Claims that do not survive every alternative: none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from civcomp import paths
from civcomp.analyses import frameworks, robustness
from civcomp.analyses.published import Published
from civcomp.io import load
from civcomp.io.outputs import read_results
from civcomp.io.params import STEP_DATASETS
from civcomp.replication.claims.evaluation import evaluate, results_data_sources, summary, summary_line
from civcomp.replication.claims.evaluation_file import evaluations_frame
from civcomp.replication.claims.schema import by_id, load_figures, load_ledger

STEP = "05_report"
ANALYSIS_STEPS = tuple(s for s in STEP_DATASETS if STEP_DATASETS[s])
DATASETS = robustness.DATASETS  # what the step reads
HEADLINE = (  # the values notebook 05 prints for nbval to check
    "data_source",
    "n_claims",
    "n_data",
    "n_data_pass",
    "n_data_fail",
    "n_data_calibrated",
    "n_data_calibrated_pass",
    "n_data_free",
    "n_data_free_pass",
    "n_data_free_fail",
    "n_derived",
    "n_derived_pass",
    "n_derived_fail",
    "n_derived_calibrated",
    "n_derived_free",
    "n_consistency",
    "n_consistency_pass",
    "n_external",
    "failing_ids",
    "free_failing_ids",
    "consistency_failing_ids",
    "n_robust_claims",
    "n_claims_not_surviving_every_alternative",
    "n_framework_items",
    "n_crosswalk_links",
)


def data_sources(data_source: str, results_dir: Path | str | None = None, step: str = STEP) -> dict[str, str]:
    """The data source recorded in each results file but ``step``'s own; raise if they are not all ``data_source``.

    A report that mixed synthetic and real results would be meaningless, so the source is read from the
    results files themselves, never assumed from the parameter.

    Examples
    --------
    >>> import tempfile
    >>> data_sources("synthetic", tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: no results in ...: run the analysis notebooks first (civcomp reproduce)
    """
    folder = Path(results_dir or paths.RESULTS)
    sources = results_data_sources(folder)
    sources.pop(step, None)  # this step's own previous output
    found = sorted(set(sources.values()))
    if not found:
        raise FileNotFoundError(f"no results in {folder}: run the analysis notebooks first (civcomp reproduce)")
    if found != [data_source]:
        raise ValueError(
            f"the results files come from {sources}, but this run has data_source={data_source!r}: "
            "rerun `civcomp reproduce --force` so every step uses the same data"
        )
    return sources


def absent_steps(data_source: str, results_dir: Path | str | None = None) -> tuple[str, ...]:
    """In real mode, the analysis steps without a results file: the runner ran the report without them because
    their real files are absent (and removed their earlier outputs). None in synthetic mode.

    Examples
    --------
    >>> import tempfile
    >>> absent_steps("real", tempfile.mkdtemp())[:1], absent_steps("synthetic", tempfile.mkdtemp())
    (('01_content_analysis',), ())
    """
    if data_source != "real":
        return ()
    present = results_data_sources(results_dir or paths.RESULTS)
    return tuple(s for s in ANALYSIS_STEPS if s not in present)


def load_data(data_source: str) -> dict[str, pd.DataFrame]:
    """The datasets of :data:`DATASETS` the report reads; in real mode only those whose file is present."""
    return {
        name: load.load(name, source=data_source)
        for name in DATASETS
        if data_source != "real" or load.available(name, "real")
    }


def meaning_markdown(data_source: str, sources: dict[str, str]) -> str:
    """What agreement with the papers means for this data source, and which results files were read.

    Examples
    --------
    >>> meaning_markdown("real", {"03_x": "real"}).endswith("Results read from: `03_x` (real).")
    True
    """
    if data_source == "synthetic":
        meaning = (
            "**What agreement means here.** The default data are a *synthetic twin* calibrated to the "
            "published aggregates. A claim marked *calibrated* was built into the twin — a `{ledger: id}` "
            "target of `params/synthetic` or an effect typed into a generator "
            "(`params/synthetic/calibrated_effects.yaml`): its pass shows that the pipeline recovers what the "
            "twin contains and is **no evidence about the papers**. A *free* claim was not built in: whether "
            "the twin agrees says something about the twin's invented structure, still nothing about the "
            "papers. The actual replication check is this same notebook run with `data_source: real` on the "
            "study's microdata, where every claim is free."
        )
    else:
        meaning = (
            "**What agreement means here.** These results were computed from the study's own microdata: "
            "this table *is* the replication check of the two papers."
        )
    return meaning + f"\n\nResults read from: {', '.join(f'`{s}` ({v})' for s, v in sorted(sources.items()))}."


def summary_markdown(s: dict[str, Any]) -> str:
    """The claims' headline for notebook 05: the one-line summary, the counts per paper, what fails.

    Examples
    --------
    >>> s = {"data_source": "real", "n_data": 1, "n_data_pass": 1, "n_data_fail": 0, "n_data_not_computable": 0,
    ...      "n_derived": 0, "n_derived_pass": 0, "n_derived_fail": 0, "n_derived_not_computable": 0,
    ...      "n_consistency": 0, "n_consistency_pass": 0, "n_consistency_fail": 0, "n_external": 0, "n_claims": 1,
    ...      "n_claims_paper_000": 1, "n_claims_paper_003": 0, "failing_ids": [], "free_failing_ids": [],
    ...      "consistency_failing_ids": []}
    >>> summary_markdown(s).endswith("No data or derived claim fails. ")
    True
    """
    not_run = s.get("n_not_run", 0)
    return (
        f"**{summary_line(s)}** — {s['n_claims']} claims (paper 000: "
        f"{s['n_claims_paper_000']}, paper 003: {s['n_claims_paper_003']}). "
        + (
            f"Failing data/derived claims: {', '.join(s['failing_ids'])}. "
            if s["failing_ids"]
            else "No data or derived claim fails. "
            if not s.get("free_failing_ids")
            else "No calibrated claim fails (the pipeline recovers what the twin contains). "
        )
        + (
            f"Free claims the twin does not reproduce (a property of the twin, not a finding about the paper): "
            f"{', '.join(s['free_failing_ids'])}. "
            if s.get("data_source") == "synthetic" and s.get("free_failing_ids")
            else ""
        )
        + (
            f"Where the paper disagrees with itself: {', '.join(s['consistency_failing_ids'])}."
            if s["consistency_failing_ids"]
            else ""
        )
        + (
            f" {not_run} claims were not run: their step had no real file (neither a pass nor a failure)."
            if not_run
            else ""
        )
    )


def fragile_markdown(fragile: dict[str, list[str]]) -> str:
    """The claims that fail under some alternative, with those alternatives (``claim id -> alternatives``)."""
    return (
        "Claims that do not survive every alternative: "
        + ("; ".join(f"`{cid}` ({', '.join(f)})" for cid, f in fragile.items()) or "none")
        + "."
    )


def results(data: dict[str, pd.DataFrame], params: dict[str, Any], results_dir: Path | str | None = None) -> Published:
    """Everything notebook 05 publishes.

    Parameters
    ----------
    data : dict of str to DataFrame
        The datasets of :data:`DATASETS`, as loaded.
    params : dict
        Notebook 05's parameters (``claims_file``, ``frameworks_file``, ``analysed_level``, ``seed``).
    results_dir : path, optional
        The analysis notebooks' results files (default ``outputs/results``).

    Returns
    -------
    Published
        ``values``: the claims' summary (:func:`civcomp.replication.claims.evaluation.summary`), the values of
        :func:`civcomp.analyses.robustness.results`, the robustness and framework counts; ``tables``:
        ``claims``, ``robustness`` and those of :func:`civcomp.analyses.frameworks.results`; ``parts``:
        ``evaluations`` (what :func:`~civcomp.replication.claims.evaluation_file.write_evaluations` writes),
        ``summary``, ``facts``, ``fragile``, ``figures`` (the ledger's papers' figures), ``figure2``
        (reservists selected and employed), ``matrix`` and ``coverage``.

    Examples
    --------
    >>> r = results(data, params)  # doctest: +SKIP
    >>> r.values["n_claims"] == len(r.parts["evaluations"])  # doctest: +SKIP
    True
    """
    folder = Path(results_dir or paths.RESULTS)
    fitted = {  # the analysis notebooks' own settings and results, so each checked reading is their computation
        step: read_results(step, folder)
        for step in ("01_content_analysis", "02_digital_survey", "03_innovative_capacity")
        if (folder / f"{step}.json").exists()
    }
    recomputed = robustness.results(data, params, fitted)
    facts = recomputed.values
    own = {"data_source": params.get("data_source"), **facts}  # this step's values carry its data source too
    evaluations = evaluate(
        folder,
        ledger=params["claims_file"],
        extra_results={STEP: own},
        absent_steps=absent_steps(params.get("data_source", "synthetic"), folder),
    )
    s = summary(evaluations)
    panel = robustness.grid(evaluations, recomputed.parts["readings"])
    robust = robustness.summary(panel)
    fragile = {cid: r["fails_under"] for cid, r in robust.items() if r["fails_under"]}
    fw = frameworks.results(data, params)
    values = {
        **s,
        **facts,
        "n_computable": s["n_pass"] + s["n_fail"],
        "n_robustness_rows": len(panel),
        "n_robust_claims": len(robust),
        "n_claims_not_surviving_every_alternative": len(fragile),
        **robustness.survival_counts(panel),
        **fw.values,
    }
    figures = load_figures(params["claims_file"])
    claims = by_id(load_ledger(params["claims_file"]))
    fig2 = next(f for f in figures if f["id"] == "p003_figure2")
    parts = {
        "evaluations": evaluations,
        "summary": s,
        "facts": facts,
        "fragile": fragile,
        "figures": figures,
        "figure2": tuple(claims[c]["value"] for c in fig2["claims"]),
        **fw.parts,
    }
    tables = {"claims": evaluations_frame(evaluations), "robustness": panel, **fw.tables}
    return Published(values=values, tables=tables, parts=parts)


def robustness_grids(panel: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The robustness panel as one grid per paper: alternatives down, claims across, the value in each cell.

    Examples
    --------
    >>> panel = pd.DataFrame({"paper": ["000", "003", "003"], "alternative": ["a", "a", "b"],
    ...                       "claim_id": ["x", "y", "y"], "value": [1.0, 2.0, 3.0]})
    >>> {p: g.shape for p, g in robustness_grids(panel).items()}
    {'000': (1, 1), '003': (2, 1)}
    """
    return {
        str(paper): rows.pivot_table(
            index="alternative", columns="claim_id", values="value", aggfunc="first", sort=False
        ).fillna("")
        for paper, rows in panel.groupby("paper", sort=True)
    }


def survival_markdown(values: dict[str, Any]) -> str:
    """One sentence: how many of the panel's claims survive every reading, per paper.

    Examples
    --------
    >>> survival_markdown({"n_panel_claims": 3, "n_panel_claims_surviving_every_reading": 1,
    ...                    "n_panel_claims_003": 3, "n_panel_claims_surviving_every_reading_003": 1})
    'Of the 3 claims in the panel, 1 survive every reading (paper 003: 1 of 3).'
    """
    papers = sorted(
        k.rsplit("_", 1)[1]
        for k in values
        if k.startswith("n_panel_claims_") and k[-3:].isdigit() and "surviving" not in k
    )
    per = "; ".join(
        f"paper {p}: {values[f'n_panel_claims_surviving_every_reading_{p}']} of {values[f'n_panel_claims_{p}']}"
        for p in papers
    )
    return (
        f"Of the {values['n_panel_claims']} claims in the panel, {values['n_panel_claims_surviving_every_reading']} "
        f"survive every reading ({per})."
    )
