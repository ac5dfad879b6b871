"""Atomic, deterministic writers for everything a notebook exports to ``outputs/``.

Every writer goes through :func:`atomic_write`, so a killed run never leaves a
half-written CSV, JSON or figure behind: the bytes go to a temporary file in the
same folder, are flushed to disk, and are moved over the target in one rename.

Conventions the tests rely on
-----------------------------
* results: ``outputs/results/<step>.json`` — a flat mapping of headline numbers,
  always carrying ``data_source``; the claims ledger points into these keys.
* tables: ``outputs/tables/<step>__<name>.csv``; count columns are named ``n`` or
  ``n_<something>`` and, once exported, hold either NA (suppressed) or a value of
  0 or at least ``min_cell_size``.
* figures: ``outputs/figures/<step>__<name>.png`` and ``.svg``, each with a footer
  naming the data that produced it.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from civcomp import paths

DATA_LABELS = {
    "synthetic": "SYNTHETIC TWIN — simulated data calibrated to the published aggregates, not the survey microdata",
    "real": "REAL MICRODATA — the study's survey files",
}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would give (0644 under the usual umask), not mkstemp's 0600


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file + fsync + rename), with the usual file mode.

    Examples
    --------
    >>> import tempfile, stat
    >>> f = atomic_write(Path(tempfile.mkdtemp()) / "x.txt", b"hi")
    >>> oct(stat.S_IMODE(f.stat().st_mode)) == oct(_FILE_MODE)
    True
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    return value


def dumps_json(obj: Any) -> bytes:
    """Canonical JSON: sorted keys, two-space indent, NaN as null, trailing newline."""
    return (json.dumps(_jsonable(obj), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_json(path: Path, obj: Any) -> Path:
    """Write ``obj`` as canonical JSON, atomically."""
    return atomic_write(path, dumps_json(obj))


def write_results(step: str, results: dict[str, Any], data_source: str, results_dir: Path | None = None) -> Path:
    """Store one notebook's headline numbers in ``outputs/results/<step>.json``.

    Parameters
    ----------
    step : str
        Notebook step name, e.g. ``"01_content_analysis"``.
    results : dict
        Flat (or shallow) mapping of headline numbers.
    data_source : {"synthetic", "real"}
        Recorded in the file so no number travels without the data that made it.
    """
    if data_source not in DATA_LABELS:
        raise ValueError(f"data_source must be one of {sorted(DATA_LABELS)}, got {data_source!r}")
    payload = {"step": step, "data_source": data_source, **results}
    return write_json((results_dir or paths.RESULTS) / f"{step}.json", payload)


def read_results(step: str, results_dir: Path | None = None) -> dict[str, Any]:
    """Read ``outputs/results/<step>.json``."""
    with open((results_dir or paths.RESULTS) / f"{step}.json", encoding="utf-8") as fh:
        return json.load(fh)


def count_columns(columns: Iterable[str]) -> list[str]:
    """Columns that hold respondent counts by the naming convention (``n`` or ``n_*``)."""
    return [c for c in columns if c == "n" or str(c).startswith("n_")]


def write_table(df: pd.DataFrame, step: str, name: str, min_cell_size: int | None = None,
                tables_dir: Path | None = None, index: bool = False) -> Path:
    """Export an aggregate table as CSV (UTF-8, ``\\n`` line ends, 6 significant decimals).

    When ``min_cell_size`` is given, the count columns (``n``/``n_*``) are checked:
    a value between 1 and ``min_cell_size - 1`` raises, because suppression must
    already have been applied (see :mod:`civcomp.stats.disclosure`).
    """
    if min_cell_size is not None:
        for col in count_columns(df.columns):
            vals = pd.to_numeric(df[col], errors="coerce")
            bad = vals[(vals > 0) & (vals < min_cell_size)]
            if len(bad):
                raise ValueError(
                    f"table {step}__{name}: column {col!r} has {len(bad)} unsuppressed cell(s) "
                    f"below min_cell_size={min_cell_size}"
                )
    buf = io.StringIO()
    df.to_csv(buf, index=index, lineterminator="\n", float_format="%.6g")
    return atomic_write((tables_dir or paths.TABLES) / f"{step}__{name}.csv", buf.getvalue().encode("utf-8"))


def save_figure(fig, step: str, name: str, data_source: str, figures_dir: Path | None = None,
                formats: tuple[str, ...] = ("png", "svg")) -> list[Path]:
    """Save a matplotlib figure as PNG (report) and SVG (vector), with a data-source footer.

    The footer says which data produced the figure, so a figure copied out of the
    report still carries it. SVG hashes are made reproducible by fixing the
    ``svg.hashsalt`` and omitting the creation date.
    """
    import matplotlib as mpl

    # below the figure's bottom edge: bbox_inches="tight" grows the canvas to hold it, so it never
    # overlaps tick labels
    fig.text(0.01, -0.01, f"Data: {DATA_LABELS[data_source]}", fontsize=6.5, color="#555555",
             ha="left", va="top")
    out = []
    for fmt in formats:
        buf = io.BytesIO()
        with mpl.rc_context({"svg.hashsalt": "civcomp", "svg.fonttype": "none"}):
            fig.savefig(buf, format=fmt, dpi=150, bbox_inches="tight",
                        metadata={"Date": None} if fmt == "svg" else {"Software": None})
        out.append(atomic_write((figures_dir or paths.FIGURES) / f"{step}__{name}.{fmt}", buf.getvalue()))
    return out


def show_figure(fig, step: str, name: str, data_source: str, figures_dir: Path | None = None) -> None:
    """The one call a notebook makes for a figure: lay it out, save it (:func:`save_figure`), show it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    save_figure(fig, step, name, data_source, figures_dir)
    plt.show()


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks (data files can be large)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def banner_markdown(data_source: str, seed: int | None = None) -> str:
    """A Markdown banner that states plainly which data produced the results below it."""
    label = DATA_LABELS[data_source]
    extra = f" (generator seed {seed})" if seed is not None and data_source == "synthetic" else ""
    note = ("Agreement with the papers here checks the pipeline, not the papers."
            if data_source == "synthetic" else "These results are a replication on the study's own data.")
    return f"> **Data: {label}{extra}.** {note}"


def headline_text(results: dict[str, Any], keys: Iterable[str] | None = None, digits: int = 4) -> str:
    """Stable text of headline numbers for the notebook cell that nbval checks.

    Floats are rounded to ``digits`` decimals so the recorded output tracks the
    numbers a reader sees, not the last bit of floating point.

    Examples
    --------
    >>> print(headline_text({"share": 0.66911764, "n": 408, "data_source": "synthetic"}))
    data_source: synthetic
    n: 408
    share: 0.6691
    """
    keys = sorted(results) if keys is None else list(keys)
    lines = []
    for k in keys:
        v = _jsonable(results[k])
        if isinstance(v, float):
            v = f"{round(v, digits):.{digits}f}"
        elif isinstance(v, (dict, list)):
            v = json.dumps(_round_nested(v, digits), sort_keys=True, ensure_ascii=False)
        lines.append(f"{k}: {v}")
    return "\n".join(lines)


def _round_nested(v: Any, digits: int) -> Any:
    if isinstance(v, float):
        return round(v, digits)
    if isinstance(v, dict):
        return {k: _round_nested(x, digits) for k, x in v.items()}
    if isinstance(v, list):
        return [_round_nested(x, digits) for x in v]
    return v
