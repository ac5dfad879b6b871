"""A dataset as an SPSS ``.sav`` file labelled from its codebook, written byte-identically on every run.

``civcomp synthesize`` writes each survey twin (:data:`SURVEYS`) as ``data/synthetic/<name>.synthetic.sav`` beside
the CSV, so real mode (the teams' files are usually ``.sav``) can be rehearsed on the twin.

Layout of the ``.sav`` file
---------------------------
* Variables in codebook order, named as the codebook's columns.
* ``category`` columns are numeric codes 1…k in codebook order, with **English value labels**;
  :func:`civcomp.io.validate.validate_file` maps the labels back to the codebook codes, as for any real file.
  Measure ``nominal`` (``ordinal`` when the codebook says ``ordered``).
* ``integer`` columns are numeric (``F8.0``, measure ``scale``; 0/1 multi-select columns ``nominal``);
  value labels from the codebook (e.g. ``0`` = "I do not have this competency"), and the codebook's missing codes
  (99, -9) are declared **user-missing** values labelled "No answer".
* ``string`` columns are SPSS strings as wide as their longest value.
* **Variable labels in English.** pyreadstat (ReadStat) cannot write a second label set or custom variable
  attributes, so the **Russian labels** go to a companion SPSS syntax file ``<stem>.ru.sps`` (UTF-8):
  ``VARIABLE LABELS`` and ``VALUE LABELS`` that switch an opened file to Russian. The file's documents (SPSS
  ``DISPLAY DOCUMENTS``) say so.
* Bytecode (row) compression, the ``.sav`` default of SPSS itself.
* Deterministic: the header's creation date and time, the only bytes that change from run to run, are set to
  :data:`FIXED_DATE` / :data:`FIXED_TIME`.

Examples
--------
>>> import tempfile, pathlib
>>> from civcomp.io.codebook import load_codebook
>>> cb = load_codebook("postings_gold")
>>> df = pd.DataFrame({"id": ["P1", "P2"], "coder_a": [1, 0], "coder_b": [1, 1]})
>>> p = write_sav(df, cb, pathlib.Path(tempfile.mkdtemp()) / "gold.sav")
>>> p.read_bytes()[92:109]
b'01 Jan 7000:00:00'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from civcomp.errors import CivcompError
from civcomp.io.codebook import Codebook, Field
from civcomp.io.outputs import atomic_write

SURVEYS = ("digital_survey", "capacity_survey", "appraisal_360")
FIXED_DATE, FIXED_TIME = b"01 Jan 70", b"00:00:00"  # SAV header: 9 + 8 bytes at offset 92
_DATE_AT = 92
MISSING_LABEL = {"en": "No answer", "ru": "Нет ответа"}


class SpssWriteError(CivcompError, ValueError):
    """The frame does not fit the codebook it is written with (a problem of the generator, named precisely)."""


def _num_key(code: Any) -> int | float:
    v = float(code)
    return int(v) if v.is_integer() else v


def _value_labels(f: Field, lang: str) -> dict[int | float, str]:
    if f.type == "category":
        return {i: f.labels.get(v, {}).get(lang, v) for i, v in enumerate(f.values, start=1)}
    out: dict[int | float, str] = {}
    for code, lab in f.labels.items():
        try:
            out[_num_key(code)] = lab.get(lang, code)
        except ValueError:
            continue
    for m in f.missing_codes:
        out[_num_key(m)] = MISSING_LABEL[lang]
    return out


def spss_frame(df: pd.DataFrame, cb: Codebook, file: str = "<frame>") -> pd.DataFrame:
    """The frame as written to ``.sav``: categories as numeric codes 1…k, integers as floats, strings as text.

    Raises
    ------
    SpssWriteError
        A column is missing, a category cell holds a value that is not a code, or a numeric cell is not a number
        (file, row, column and value named).

    Examples
    --------
    >>> from civcomp.io.codebook import load_codebook
    >>> cb = load_codebook("appraisal_360")
    >>> df = pd.DataFrame({"respondent_id": ["R1"], "perspective": ["head"], "competency": ["integrity"],
    ...                    "score": [7]})
    >>> spss_frame(df, cb).iloc[0].astype(str).tolist()
    ['R1', '3.0', '1.0', '7.0']
    """
    missing = [c for c in cb.columns if c not in df.columns]
    if missing:
        raise SpssWriteError(f"{file}: columns {missing} of codebook {cb.name} are absent")
    out = {}
    for f in cb.fields:
        s = df[f.name]
        if f.type == "category":
            codes = {v: float(i) for i, v in enumerate(f.values, start=1)}
            text = s.astype(object)
            mapped = text.map(lambda v: codes.get(v, np.nan) if isinstance(v, str) else np.nan)
            bad = text.notna() & (text.astype(str) != "") & mapped.isna()
            if bad.any():
                r = int(np.flatnonzero(bad.to_numpy())[0])
                raise SpssWriteError(
                    f"{file}: row {r + 1}, column {f.name!r}, value {text.iloc[r]!r}: not a code "
                    f"of codebook {cb.name} ({', '.join(f.values)})"
                )
            out[f.name] = mapped.astype(float)
        elif f.type in ("integer", "number"):
            num = pd.to_numeric(s, errors="coerce").astype(float)
            bad = s.notna() & (s.astype(str) != "") & num.isna()
            if bad.any():
                r = int(np.flatnonzero(bad.to_numpy())[0])
                raise SpssWriteError(f"{file}: row {r + 1}, column {f.name!r}, value {s.iloc[r]!r}: not a number")
            out[f.name] = num
        else:
            out[f.name] = s.astype(object).where(s.notna(), "").astype(str)
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)


def russian_syntax(cb: Codebook, sav_name: str) -> str:
    """SPSS syntax that puts the Russian variable and value labels on the ``.sav`` file (UTF-8 text).

    Examples
    --------
    >>> from civcomp.io.codebook import load_codebook
    >>> print(russian_syntax(load_codebook("postings_gold"), "gold.sav").splitlines()[4])
      /id "Идентификатор объявления"
    """

    def q(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    lines = [
        f"* Russian labels for {sav_name} (dataset {cb.name}); generated from data/codebooks by civcomp.",
        "* In SPSS: open the .sav file, then run this syntax (File > Open > Syntax, Run All).",
        "* Encoding: UTF-8 (SET UNICODE=ON).",
        "VARIABLE LABELS",
    ]
    lines += [f"  /{f.name} {q(f.label.get('ru', f.label.get('en', f.name)))}" for f in cb.fields]
    lines[-1] += "."
    value_lines = []
    for f in cb.fields:
        labs = _value_labels(f, "ru")
        if labs:
            value_lines.append(f"  /{f.name} " + " ".join(f"{k} {q(v)}" for k, v in labs.items()))
    if value_lines:
        value_lines[-1] += "."
        lines += ["VALUE LABELS"] + value_lines
    return "\n".join(lines) + "\n"


def _fix_header_timestamp(data: bytes) -> bytes:
    if data[:4] not in (b"$FL2", b"$FL3"):
        raise SpssWriteError("pyreadstat wrote no SPSS header")
    return data[:_DATE_AT] + FIXED_DATE + FIXED_TIME + data[_DATE_AT + 17 :]


def write_sav(df: pd.DataFrame, cb: Codebook, path: Path, ru_syntax: bool = False) -> Path:
    """Write ``df`` as ``path`` (``.sav``) labelled from codebook ``cb``, atomically and byte-identically.

    Parameters
    ----------
    df : DataFrame
        The dataset with the codebook's columns, category cells as codes (as in the twin's CSV).
    cb : Codebook
        Its codebook: variable labels, value labels, user-missing codes, measures.
    path : Path
        Target ``.sav`` file.
    ru_syntax : bool
        Also write the Russian labels as ``<path without .sav>.ru.sps`` (see :func:`russian_syntax`).

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib, pyreadstat
    >>> from civcomp.io.codebook import load_codebook
    >>> cb = load_codebook("appraisal_360")
    >>> df = pd.DataFrame({"respondent_id": ["R1", "R1"], "perspective": ["self", "head"],
    ...                    "competency": ["leadership", "leadership"], "score": [0, 99]})
    >>> p = write_sav(df, cb, pathlib.Path(tempfile.mkdtemp()) / "a.sav")
    >>> data, meta = pyreadstat.read_sav(str(p))
    >>> meta.variable_value_labels["perspective"][3.0], meta.column_names_to_labels["score"]
    ('Head of the state body (Q12)', 'Score')
    >>> data["score"].tolist()  # 99 is user-missing
    [0.0, nan]
    """
    import pyreadstat

    path = Path(path)
    frame = spss_frame(df, cb, str(path))
    labels = {f.name: _value_labels(f, "en") for f in cb.fields}
    measure = {}
    for f in cb.fields:
        if f.type == "category":
            measure[f.name] = "ordinal" if f.ordered else "nominal"
        elif f.type in ("integer", "number"):
            measure[f.name] = "nominal" if f.group else "scale"
        else:
            measure[f.name] = "nominal"
    kwargs: dict[str, Any] = dict(
        file_label=f"civcomp: {cb.name}"[:64],
        row_compress=True,
        column_labels={f.name: f.label.get("en", f.name) for f in cb.fields},
        variable_value_labels={k: v for k, v in labels.items() if v},
        missing_ranges={f.name: [_num_key(m) for m in f.missing_codes] for f in cb.fields if f.missing_codes},
        variable_measure=measure,
        variable_format={f.name: "F8.0" for f in cb.fields if f.type in ("integer", "category")},
        note=[
            f"civcomp dataset {cb.name}: English labels. Russian labels:"[:80],
            f"run {path.stem}.ru.sps (UTF-8 SPSS syntax) beside this file."[:80],
        ],
    )
    fd, tmp = tempfile.mkstemp(suffix=".sav", dir=path.parent if path.parent.exists() else None)
    os.close(fd)
    try:
        pyreadstat.write_sav(frame, tmp, **kwargs)
        data = Path(tmp).read_bytes()
    finally:
        os.unlink(tmp)
    atomic_write(path, _fix_header_timestamp(data))
    if ru_syntax:
        atomic_write(path.with_suffix(".ru.sps"), russian_syntax(cb, path.name).encode("utf-8"))
    return path


def sav_bytes(df: pd.DataFrame, cb: Codebook) -> bytes:
    """The bytes :func:`write_sav` writes (for hashing without keeping a file).

    Examples
    --------
    >>> from civcomp.io.codebook import load_codebook
    >>> sav_bytes(pd.DataFrame({"id": ["P1"], "coder_a": [1], "coder_b": [0]}), load_codebook("postings_gold"))[:4]
    b'$FL2'
    """
    with tempfile.TemporaryDirectory() as d:
        return write_sav(df, cb, Path(d) / "x.sav").read_bytes()


__all__ = ["SURVEYS", "SpssWriteError", "russian_syntax", "sav_bytes", "spss_frame", "write_sav"]
