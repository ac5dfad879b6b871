"""Read a data file into raw strings, whatever its format, so validation can quote the original values.

Every reader returns a :class:`RawTable`: a frame of ``str`` cells (``""`` = empty), indexed by the 1-based data
row number (the first record after the header is row 1), plus what was detected (encoding, separator, decimal
mark), the line in the file where each record starts (CSV text line or Excel sheet row; the header is line 1),
the SPSS value labels, and structural problems (ragged CSV rows, duplicate column names). Typing and checking
against a codebook is :mod:`civcomp.io.validate`'s job.

Formats: CSV (``.csv``, ``.tsv``, ``.txt``), Excel ``.xlsx`` (first sheet), SPSS ``.sav`` (pyreadstat) and
Parquet. A file that cannot be read at all raises :class:`ReadError` with a rule name and a plain message.

Examples
--------
>>> raw = read_csv_bytes("id;region;score\\n1;Алматы;7,5\\n".encode("cp1251"), "demo.csv")
>>> raw.encoding, raw.sep, raw.decimal, raw.frame.loc[1, "score"], raw.frame.loc[1, "region"]
('cp1251', ';', ',', '7,5', 'Алматы')

Size: one job, reading a data file: one reader per format (CSV in two encodings and separators, XLSX, SAV, Parquet) behind one
contract (:class:`RawTable`: text cells, 1-based rows, file lines).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from civcomp.errors import CivcompError

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_BLOCK = 1 << 22  # bytes checked at a time
# reading bounds (README "Hostile input"): a large CSV field costs about MEMORY_MULTIPLE x the file's size
MEMORY_MULTIPLE = 4
XLSX_MAX_BYTES = 500_000_000  # uncompressed parts of one workbook, in all
XLSX_MAX_RATIO = 200  # compression ratio of one part above 1 MB (a real sheet: ~10 : 1)
XLSX_MAX_CELLS = 20_000_000  # cells a sheet's declared dimension may span (10,942 rows x 100 columns = 1.1 M)
SUFFIXES = CSV_SUFFIXES + (".xlsx", ".sav", ".parquet")


class ReadError(CivcompError):
    """The file cannot be read as a table. ``rule`` is ``unreadable``, ``encoding`` or ``empty_file``."""

    def __init__(self, rule: str, message: str, line: int | None = None):
        super().__init__(message)
        self.rule, self.message, self.line = rule, message, line


@dataclass
class RawTable:
    """A file read as strings; see the module docstring."""

    path: Path
    frame: pd.DataFrame  # object columns of str, index = 1-based data row number
    format: str  # csv | xlsx | sav | parquet
    encoding: str | None = None
    sep: str | None = None
    decimal: str = "."
    lines: pd.Series | None = None  # line where each row starts (CSV line / sheet row), same index as frame
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # SPSS: column -> {raw value: label}
    variable_labels: dict[str, str] = field(default_factory=dict)  # SPSS: column -> its label
    ragged: list[tuple[int, int | None, int, int]] = field(default_factory=list)  # (row, line, n fields, n header)
    duplicate_columns: list[str] = field(default_factory=list)
    n_records: int = 0  # data records including ragged ones

    def line_of(self, row: int) -> int | None:
        if self.lines is None or row not in self.lines.index:
            return None
        return int(self.lines.loc[row])


def cell_text(value: Any) -> str:
    """Canonical text of a typed cell (Excel, SPSS, Parquet): integral floats without ``.0``, dates as ISO.

    Examples
    --------
    >>> [cell_text(v) for v in (7.0, 7.5, None, float("nan"), True, dt.date(2024, 3, 1))]
    ['7', '7.5', '', '', '1', '2024-03-01']
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _encoding(data: bytes) -> str:
    """Deterministic encoding: UTF-16 only with its BOM; else strict UTF-8 (BOM optional); else Windows-1251.

    UTF-8 is checked in blocks, so no second copy of a large file is held as text.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    dec = codecs.getincrementaldecoder("utf-8")("strict")
    view = memoryview(data)
    try:
        for i in range(0, len(data), _BLOCK):
            dec.decode(view[i : i + _BLOCK], final=i + _BLOCK >= len(data))
        dec.decode(b"", final=True)
        return "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        pass
    bad = data.find(b"\x98")  # the one byte Windows-1251 leaves undefined
    if bad >= 0:
        line = data.count(b"\n", 0, bad) + 1
        raise ReadError(
            "encoding",
            f"byte 0x98 at line {line} is neither UTF-8 nor Windows-1251: save the file as UTF-8 CSV",
            line=line,
        )
    return "cp1251"


def _decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and its encoding (:func:`_encoding`)."""
    encoding = _encoding(data)
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        raise ReadError("encoding", f"invalid UTF-16 at byte {exc.start}") from None


def sniff_sep(header: str) -> str:
    # The header names contain no separators, so the most frequent candidate in it wins; ties go to ",".
    counts = {c: header.count(c) for c in (",", ";", "\t")}
    best = max(counts.values())
    return "," if best == 0 or counts[","] == best else (";" if counts[";"] == best else "\t")


def _header_columns(header: list[str], has_values) -> tuple[list[tuple[int, str]], list[str]]:
    """Columns to keep (position, name): unnamed all-empty columns dropped, duplicates read once."""
    header = [h.strip().lstrip("\ufeff") for h in header]
    keep = [i for i, h in enumerate(header) if h or has_values(i)]
    names = [header[i] or f"(unnamed column {i + 1})" for i in keep]
    dups = sorted({n for n in names if names.count(n) > 1})
    seen: set[str] = set()
    out = []
    for i, n in zip(keep, names):
        if n not in seen:
            seen.add(n)
            out.append((i, n))
    return out, dups


_EOL = re.compile(rb"\r\n|\r|\n")  # the C parser's line terminators
_EOL_TEXT = re.compile(r"\r\n|\r|\n")


def _lines(text: str, start: int = 0):
    """The lines of ``text`` from ``start``, terminators kept, one at a time (what ``csv.reader`` reads)."""
    pos = start
    for m in _EOL_TEXT.finditer(text, start):
        yield text[pos : m.end()]
        pos = m.end()
    if pos < len(text):
        yield text[pos:]


def _fields_per_line(data: bytes, sep: bytes, start: int) -> np.ndarray:
    """Number of fields on every physical line of ``data`` from byte ``start`` (no copy of the lines)."""
    counts, pos = [], start
    for m in _EOL.finditer(data, start):
        counts.append(data.count(sep, pos, m.start()) + 1)
        pos = m.end()
    if pos < len(data):
        counts.append(data.count(sep, pos) + 1)
    return np.asarray(counts, dtype=np.int64)


def _fast_csv(data: bytes, encoding: str, sep: str, line_offset: int, start: int):
    """pandas C-parser path for unquoted bytes; ``None`` when a record has more fields than the header.

    Reads the bytes as they are (no decoded copy): a huge field costs the file's bytes, the parser's
    buffer and the one string it becomes (:data:`MEMORY_MULTIPLE`).
    """
    n_fields_all = _fields_per_line(data, sep.encode("utf-8" if encoding == "utf-8-sig" else encoding), start)
    try:
        df = pd.read_csv(
            io.BytesIO(data),
            sep=sep,
            header=None,
            dtype=str,
            na_filter=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_NONE,
            engine="c",
            encoding=encoding,
            skiprows=line_offset,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    if len(df) != len(n_fields_all):  # one row per line is what the line numbers rely on
        return None
    n_fields = n_fields_all[1:]
    header = df.iloc[0].tolist()
    n_header = len(header)
    body = df.iloc[1:]
    del df
    # a cell with any non-blank character (a regex search: no stripped copy of a huge cell)
    filled = body.apply(lambda c: c.str.contains(r"\S", regex=True))
    blank = ~filled.any(axis=1).to_numpy()
    physical = np.arange(2 + line_offset, 2 + line_offset + len(body))
    body, physical, n_fields = body[~blank], physical[~blank], n_fields[~blank]
    filled = filled[~blank]
    n_records = len(body)
    rowno = pd.RangeIndex(1, n_records + 1, name="row")
    short = n_fields < n_header
    ragged = [(int(r), int(ln), int(k), n_header) for r, ln, k in zip(rowno[short], physical[short], n_fields[short])]
    cols, dups = _header_columns(header, lambda i: bool(filled.iloc[:, i].any()))
    keep = ~short
    index = rowno[keep]
    frame = pd.DataFrame(
        {n: pd.Series(body.iloc[keep, i].to_numpy(dtype=object), index=index, dtype=object) for i, n in cols},
        index=index,
    )
    lines = pd.Series(physical[keep].astype("int64"), index=index)
    return frame, lines, ragged, dups, n_records


def read_csv_bytes(data: bytes, path: str | Path = "<bytes>") -> RawTable:
    """Parse CSV bytes into a :class:`RawTable` (the work of :func:`read_csv`, without the file)."""
    path = Path(path)
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ReadError("empty_file", "the file is empty")
    encoding = _encoding(data)
    wide = encoding == "utf-16"
    if b"\x00" in data and not wide:
        raise ReadError(
            "unreadable",
            "the file contains NUL bytes: it is binary (an .xlsx or .sav renamed?) or UTF-16 without a byte-order mark",
        )
    head = data[: data.find(b"\n")] if b"\n" in data else data
    first = head.decode(encoding, errors="replace") if not wide else _decode(data)[0].partition("\n")[0]
    first = first.lstrip("\ufeff")
    m = re.fullmatch(r"sep=(.)\r?", first)  # Excel's "sep=;" hint line
    line_offset = 0
    if m:
        sep, line_offset = m.group(1), 1
    else:
        sep = sniff_sep(first)
    decimal = "," if sep == ";" or encoding == "cp1251" else "."

    def table(frame, lines, ragged, dups, n_records) -> RawTable:
        return RawTable(
            path=path,
            frame=frame,
            format="csv",
            encoding=encoding,
            sep=sep,
            decimal=decimal,
            lines=lines,
            ragged=ragged,
            duplicate_columns=dups,
            n_records=n_records,
        )

    if b'"' not in data and not wide:  # no quoting, so no line breaks inside values: the C parser is exact
        start = len(head) + 1 if m else 0
        fast = _fast_csv(data, encoding, sep, line_offset, start)
        if fast is not None:
            return table(*fast)
    text, _ = _decode(data)
    if "\x00" in text:
        raise ReadError(
            "unreadable",
            "the file contains NUL bytes: it is binary (an .xlsx or .sav renamed?) or UTF-16 without a byte-order mark",
        )
    reader = csv.reader(_lines(text, text.find("\n") + 1 if line_offset else 0), delimiter=sep)
    try:
        header = next(reader)
    except StopIteration:
        raise ReadError("empty_file", "the file has no header line") from None
    except csv.Error as exc:
        raise ReadError("unreadable", f"cannot parse the header line: {exc}") from None
    rows, lines, ragged = [], [], []
    n_records, prev = 0, reader.line_num
    try:
        for rec in reader:
            start, prev = prev + 1, reader.line_num
            if not any(c.strip() for c in rec):
                continue  # blank line, or a row of bare separators as Excel leaves them
            n_records += 1
            if len(rec) != len(header):
                if len(rec) > len(header) and not any(c.strip() for c in rec[len(header) :]):
                    rec = rec[: len(header)]  # trailing empty fields (a separator at the end of the line)
                else:
                    ragged.append((n_records, start + line_offset, len(rec), len(header)))
                    continue
            rows.append(rec)
            lines.append((n_records, start + line_offset))
    except csv.Error as exc:
        why = str(exc)
        if "field limit" in why:
            why = f"a quoted field longer than {csv.field_size_limit():,} characters (the limit of a quoted field)"
        raise ReadError(
            "unreadable",
            f"CSV syntax error at line {reader.line_num + line_offset}: {why}",
            line=reader.line_num + line_offset,
        ) from None
    idx_keep, dups = _header_columns(header, lambda i: any(r[i].strip() for r in rows))
    index = pd.Index([r for r, _ in lines], name="row")
    frame = pd.DataFrame(
        {n: pd.Series([r[i] for r in rows], index=index, dtype=object) for i, n in idx_keep}, index=index
    )
    return table(frame, pd.Series([ln for _, ln in lines], index=index, dtype="int64"), ragged, dups, n_records)


def read_csv(path: Path) -> RawTable:
    """Read a CSV file (UTF-8, UTF-8 with BOM or Windows-1251; ``,`` ``;`` or tab separated).

    References
    ----------
    RFC 4180, Common Format and MIME Type for CSV Files.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = p.write_bytes("a;b\\n1;Алматы\\n".encode("cp1251"))
    >>> read_csv(p).frame.to_dict("records")
    [{'a': '1', 'b': 'Алматы'}]
    """
    return read_csv_bytes(Path(path).read_bytes(), path)


def _from_typed(
    path: Path, df: pd.DataFrame, fmt: str, lines: list[int] | None = None, value_labels: dict | None = None
) -> RawTable:
    df = df.copy()
    df.columns = [str(c).strip() for c in df.columns]
    names = list(df.columns)
    dups = sorted({n for n in names if names.count(n) > 1})
    df = df.loc[:, ~pd.Index(names).duplicated()]
    index = pd.RangeIndex(1, len(df) + 1, name="row")
    frame = pd.DataFrame(
        {c: pd.Series([cell_text(v) for v in df[c].tolist()], index=index, dtype=object) for c in df.columns},
        index=index,
    )
    ln = pd.Series(lines, index=index, dtype="int64") if lines is not None else None
    return RawTable(
        path=path,
        frame=frame,
        format=fmt,
        lines=ln,
        value_labels=value_labels or {},
        duplicate_columns=dups,
        n_records=len(frame),
    )


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def check_xlsx(path: Path) -> None:
    """Refuse a workbook whose zip or sheets declare more than the limits, before any XML is parsed.

    The limits: :data:`XLSX_MAX_BYTES` uncompressed in all, a member compressed more than
    :data:`XLSX_MAX_RATIO` : 1 (a zip bomb), a sheet whose declared dimension spans more than
    :data:`XLSX_MAX_CELLS` cells. Only the zip directory and each sheet's first kilobytes are read, so a
    bomb is refused in milliseconds. Raises :class:`ReadError`.

    Examples
    --------
    >>> import tempfile, zipfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bomb.xlsx"
    >>> with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("xl/worksheets/sheet1.xml", '<worksheet><dimension ref="A1:XFD1048576"/></worksheet>')
    >>> check_xlsx(p)
    Traceback (most recent call last):
    ...
    civcomp.io.readers.ReadError: xl/worksheets/sheet1.xml declares 1,048,576 rows x 16,384 columns (17,179,869,184 cells; the limit is 20,000,000)
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            total = sum(i.file_size for i in infos)
            if len(infos) > 10_000 or total > XLSX_MAX_BYTES:
                raise ReadError(
                    "unreadable",
                    f"the workbook declares {total / 1e6:,.0f} MB uncompressed in {len(infos):,} parts "
                    f"(the limit is {XLSX_MAX_BYTES / 1e6:,.0f} MB): save the sheet as CSV",
                )
            for i in infos:
                if i.file_size > 1_000_000 and i.file_size > XLSX_MAX_RATIO * max(i.compress_size, 1):
                    raise ReadError(
                        "unreadable",
                        f"{i.filename} is compressed {i.file_size / max(i.compress_size, 1):,.0f} : 1 (a zip bomb?); "
                        f"the limit is {XLSX_MAX_RATIO} : 1",
                    )
            for i in infos:
                if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", i.filename):
                    continue
                with z.open(i) as fh:
                    head = fh.read(4096).decode("utf-8", errors="replace")
                m = re.search(r'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"', head)
                if not m:
                    continue
                c0, r0 = _col_number(m.group(1)), int(m.group(2))
                c1, r1 = (_col_number(m.group(3)), int(m.group(4))) if m.group(3) else (c0, r0)
                rows, cols = r1 - r0 + 1, c1 - c0 + 1
                if rows * cols > XLSX_MAX_CELLS:
                    raise ReadError(
                        "unreadable",
                        f"{i.filename} declares {rows:,} rows x {cols:,} columns ({rows * cols:,} cells; "
                        f"the limit is {XLSX_MAX_CELLS:,})",
                    )
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
        raise ReadError("unreadable", f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None


def read_xlsx(path: Path) -> RawTable:
    """Read the first sheet of an Excel workbook; row 1 is the header, fully empty rows are skipped.

    The workbook is checked first (:func:`check_xlsx`): declared size, compression ratio, sheet dimensions.
    """
    import openpyxl

    check_xlsx(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException …
        raise ReadError("unreadable", f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            raise ReadError("empty_file", "the first sheet is empty")
        width = len(header)
        while width and header[width - 1] in (None, ""):
            width -= 1
        cols = [cell_text(h).strip() or f"(unnamed column {i + 1})" for i, h in enumerate(header[:width])]
        rows, lines = [], []
        for sheet_row, values in enumerate(it, start=2):
            values = list(values[:width]) + [None] * max(0, width - len(values))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            rows.append(values)
            lines.append(sheet_row)
    finally:
        wb.close()
    df = pd.DataFrame(rows, columns=range(width), dtype=object)
    df.columns = cols
    return _from_typed(Path(path), df, "xlsx", lines=lines)


def read_sav(path: Path) -> RawTable:
    """Read an SPSS ``.sav`` file with pyreadstat: raw values (codes) plus the value labels of each variable.

    Values declared user-missing in the file load as empty (missing), as SPSS treats them.
    """
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(str(path), apply_value_formats=False)
    except Exception as exc:  # pyreadstat.ReadstatError, PyreadstatError …
        raise ReadError("unreadable", f"not a readable SPSS .sav file ({type(exc).__name__}: {exc})") from None
    labels = {
        str(col): {cell_text(k): str(v) for k, v in vl.items()}
        for col, vl in (meta.variable_value_labels or {}).items()
    }
    raw = _from_typed(Path(path), df, "sav", value_labels=labels)
    names = meta.column_names or []
    raw.variable_labels = {
        str(c).strip(): str(lab) for c, lab in zip(names, meta.column_labels or [], strict=False) if lab
    }
    return raw


def read_parquet(path: Path) -> RawTable:
    """Read a Parquet file (pyarrow); every cell becomes its canonical text."""
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow.ArrowInvalid, OSError …
        raise ReadError("unreadable", f"not a readable Parquet file ({type(exc).__name__}: {exc})") from None
    df = df.reset_index(drop=True)
    for c in df.columns:
        if isinstance(df[c].dtype, pd.CategoricalDtype):
            df[c] = df[c].astype(object)
    return _from_typed(Path(path), df, "parquet")


def read_table(path: str | Path) -> RawTable:
    """Read any supported file as strings, choosing the reader by the file's suffix.

    Raises
    ------
    ReadError
        The file is missing, of an unsupported type, empty (no data rows), or cannot be decoded/parsed.

    Examples
    --------
    >>> try:
    ...     read_table("no/such/file.csv")
    ... except ReadError as exc:
    ...     print(exc.rule, "-", exc.message)
    unreadable - file not found
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError("unreadable", f"unsupported file type {suffix or '(no suffix)'!r}: use " + ", ".join(SUFFIXES))
    if not path.is_file():
        raise ReadError("unreadable", "file not found" if not path.exists() else "not a regular file")
    try:
        if suffix in CSV_SUFFIXES:
            raw = read_csv(path)
        elif suffix == ".xlsx":
            raw = read_xlsx(path)
        elif suffix == ".sav":
            raw = read_sav(path)
        else:
            raw = read_parquet(path)
    except OSError as exc:
        raise ReadError("unreadable", f"cannot read the file ({exc.strerror or exc})") from None
    if raw.n_records == 0:
        raise ReadError("empty_file", "the file has a header but no data rows")
    return raw
