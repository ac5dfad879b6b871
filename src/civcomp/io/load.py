"""Load the datasets, validated and typed: the one way notebooks get data.

``load(name, source)`` returns the frame of one dataset, ``name`` in {"postings", "postings_truth",
"postings_gold", "digital_survey", "capacity_survey", "appraisal_360"}, ``source`` in {"synthetic", "real"}:

* synthetic — the twin ``data/synthetic/<name>.synthetic.csv`` written by ``civcomp synthesize``;
* real — the file configured in ``params/global.yaml`` ``real_data.<name>`` (relative to the repository root).

Either way the file is validated against its codebook first (:mod:`civcomp.io.validate`); any violation raises
:class:`DataValidationError`, whose text is the full violation list. The frame is typed: categories as pandas
``category`` in codebook order, integers (multi-select 0/1 included) as ``Int64``, dates as ``datetime64[ns]``,
text as ``string``; missing-value codes (99, -9 …) are NA. In real mode the file is read through its mapping
``params/real_mapping/<name>.yaml`` when there is one (:mod:`civcomp.io.mapping`). A validated real file is cached as
``data/processed/<name>.parquet``, keyed by the SHA-256 of the raw file (and of the codebooks and mappings); raw files are
never modified.

Examples
--------
>>> from civcomp.io import load
>>> [p.name for p in load.dataset_files("synthetic")][:2]
['postings.synthetic.csv', 'digital_survey.synthetic.csv']
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pandas as pd

from civcomp import paths
from civcomp.errors import DataError  # noqa: F401 (re-exported: notebooks catch load.DataError)
from civcomp.io import mapping as mapping_mod
from civcomp.io.codebook import ALL_DATASETS, DATASETS, load_codebook
from civcomp.io.outputs import atomic_write, sha256_file
from civcomp.io.sources import (  # noqa: F401
    OPTIONAL_REAL,
    available,
    dataset_files,
    display_path,
    real_path,
    source_path,
    synthetic_path,
)
from civcomp.io.validate import validate_file
from civcomp.io.violations import DataValidationError, Report, Violations  # noqa: F401 (re-exported)

CACHE_VERSION = 1  # bump when the typed layout changes


def _refs(name: str, source: str) -> dict[str, Path]:
    return {fk.dataset: source_path(fk.dataset, source) for fk in load_codebook(name).foreign_keys}


def _cache_key(name: str, path: Path, refs: dict[str, Path]) -> str:
    cb = load_codebook(name)
    mappings = {n: mapping_mod.mapping_path(n) for n in (name, *refs)}
    parts = {
        "version": CACHE_VERSION,
        "raw": sha256_file(path),
        "mapping": {n: sha256_file(p) for n, p in sorted(mappings.items()) if p.is_file()},
        "codebook": [sha256_file(p) for p in cb.files],
        "refs": {k: sha256_file(p) for k, p in sorted(refs.items()) if p.is_file()},
    }
    return json.dumps(parts, sort_keys=True)


def cache_path(name: str) -> Path:
    return paths.PROCESSED / f"{name}.parquet"


def _read_cache(name: str, key: str) -> pd.DataFrame | None:
    import pyarrow.parquet as pq

    p = cache_path(name)
    if not p.is_file():
        return None
    try:
        meta = pq.read_schema(p).metadata or {}
        if meta.get(b"civcomp.cache_key", b"").decode() != key:
            return None
        return pd.read_parquet(p)
    except Exception:  # a damaged cache is simply rebuilt
        return None


def _write_cache(name: str, key: str, frame: pd.DataFrame, rows_read: int | None = None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = {b"civcomp.cache_key": key.encode(), b"civcomp.rows_read": str(rows_read or len(frame)).encode()}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **meta})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    atomic_write(cache_path(name), buf.getvalue())


def _validated(name: str, source: str) -> pd.DataFrame:
    path = source_path(name, source)
    if not path.is_file():
        if source == "synthetic":
            raise DataError(f"{path} not found: run `civcomp synthesize` first")
        if name in OPTIONAL_REAL:
            raise DataError(
                f"{name}: the optional real file {path} does not exist (params/global.yaml "
                f"real_data.{name}); without it the reliability checks cannot run on real data"
            )
    refs = _refs(name, source)
    key = None
    if source == "real" and path.is_file():
        key = _cache_key(name, path, refs)
        cached = _read_cache(name, key)
        if cached is not None:
            return cached
    mapping = mapping_mod.load_mapping(name) if source == "real" else None
    report = validate_file(name, path, refs=refs, mapping=mapping)
    if not report.ok:
        raise DataValidationError(report.violations, header=f"{path}: {name} does not match its codebook")
    if key is not None:
        _write_cache(name, key, report.frame, report.raw.n_records if report.raw is not None else None)
    return report.frame


def load(name: str, source: str = "synthetic") -> pd.DataFrame:
    """Validated, typed frame of dataset ``name`` from ``source``.

    Parameters
    ----------
    name : str
        One of ``postings``, ``postings_truth`` (synthetic only), ``postings_gold``, ``digital_survey``,
        ``capacity_survey``, ``appraisal_360``.
    source : {"synthetic", "real"}
        Which data: the twin (default) or the files configured in ``params/global.yaml`` ``real_data``.

    Returns
    -------
    DataFrame
        Codebook columns in codebook order; category dtype with codebook order, ``Int64`` integers,
        ``datetime64[ns]`` dates, ``string`` text; missing codes as NA.

    Raises
    ------
    DataValidationError
        The file violates its codebook; ``str(exc)`` lists every violation (file, row, column, value, rule).
    DataError
        The dataset is not configured, not generated yet, or does not exist in this source.

    References
    ----------
    Codebooks in ``data/codebooks/``; their description in ``data/README.md``.

    Examples
    --------
    >>> df = load("capacity_survey")  # doctest: +SKIP
    >>> df["position_level"].cat.categories.tolist()  # doctest: +SKIP
    ['executive', 'managerial']
    """
    return _validated(name, source)


def check_real_data() -> list[Report]:
    """Validate every configured real file (the runner's data step in real mode) and cache the typed copies.

    Raises :class:`DataValidationError` with the violations of all files together, or :class:`DataError` when
    a required file is not configured.

    Examples
    --------
    >>> reports = check_real_data()  # doctest: +SKIP
    >>> [r.dataset for r in reports]  # doctest: +SKIP
    ['postings', 'digital_survey', 'capacity_survey', 'appraisal_360']
    """
    reports, violations, totals = [], [], Counter()
    for name in ALL_DATASETS:
        if load_codebook(name).synthetic_only or (name in OPTIONAL_REAL and not available(name, "real")):
            continue
        path = real_path(name)
        refs = _refs(name, "real")
        report = validate_file(name, path, refs=refs, mapping=mapping_mod.load_mapping(name))
        reports.append(report)
        violations += report.violations
        totals.update(report.counts())
        if report.ok:
            _write_cache(name, _cache_key(name, path, refs), report.frame, report.raw.n_records)
    if violations:  # at most CAP_PER_RULE kept per rule and column; totals count them all
        raise DataValidationError(
            Violations(violations, totals=dict(totals)), header="real data do not match the codebooks"
        )
    return reports


def is_rehearsal(path: Path) -> bool:
    """Whether ``path`` is byte-identical to a file of the synthetic twin (``data/synthetic/*``): a rehearsal of
    real mode, not the study's data.

    Examples
    --------
    >>> is_rehearsal(paths.ROOT / "pyproject.toml")
    False
    """
    if not Path(path).is_file():
        return False
    size, sha = Path(path).stat().st_size, None
    for twin in sorted(paths.SYNTHETIC.glob("*")) if paths.SYNTHETIC.is_dir() else []:
        if twin.is_file() and twin.stat().st_size == size:  # hash only files of the same size
            sha = sha or sha256_file(path)
            if sha256_file(twin) == sha:
                return True
    return False


def provenance(name: str) -> dict:
    """What real mode read for dataset ``name``: the file as it may be published, its SHA-256, whether it is a
    rehearsal (a byte copy of a twin file), rows read and N used (from the validated cache; ``None`` before the
    data step), and the mapping applied (file and SHA-256), if any.

    Examples
    --------
    >>> provenance("capacity_survey")["file"]  # doctest: +SKIP
    'data/raw/capacity_survey.sav'
    """
    import pyarrow.parquet as pq

    path = real_path(name)
    present = path.is_file()
    rows_read = n_used = None
    if present:
        try:
            key = _cache_key(name, path, _refs(name, "real"))
            meta = pq.read_schema(cache_path(name)).metadata or {}
            if meta.get(b"civcomp.cache_key", b"").decode() == key:
                rows_read = int(meta.get(b"civcomp.rows_read", b"0")) or None
                n_used = pq.ParquetFile(cache_path(name)).metadata.num_rows
        except Exception:  # no cache yet (or damaged): the counts are unknown, not wrong
            pass
    mpath = mapping_mod.mapping_path(name)
    return {
        "dataset": name,
        "file": display_path(path),
        "present": present,
        "sha256": sha256_file(path) if present else None,
        "rehearsal": is_rehearsal(path),
        "rows_read": rows_read,
        "n_used": n_used,
        "mapping": display_path(mpath) if mpath.is_file() else None,
        "mapping_sha256": sha256_file(mpath) if mpath.is_file() else None,
    }


__all__ = [
    "DATASETS",
    "ALL_DATASETS",
    "DataError",
    "DataValidationError",
    "available",
    "cache_path",
    "check_real_data",
    "dataset_files",
    "is_rehearsal",
    "load",
    "provenance",
    "real_path",
    "source_path",
    "synthetic_path",
]
