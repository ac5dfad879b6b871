"""``civcomp code-postings FILE``: code job postings for digital-skill requirements.

Coding unit: by default the duties and requirements sections of each posting (:mod:`civcomp.text.sections`);
``--all-text`` codes the whole text (the behaviour before sections). Every match is reported with its section
and whether it counted.

Files of any size
-----------------
A CSV larger than ``--stream-mb`` (default 256 MB), or any CSV with ``--chunk-rows``, is read in chunks of
rows and never held in memory whole (UTF-8, with or without BOM; separator ``,`` ``;`` or tab, sniffed from
the header). Boilerplate detection needs the whole corpus, so a streamed file is read **twice**: pass 1
counts, for every sentence that holds a dictionary match, in how many postings it occurs
(:meth:`civcomp.text.Matcher.sentence_keys`); pass 2 codes with those counts. The result is identical to
coding the file in one piece. Smaller files (and XLSX, SAV, Parquet) are read whole by
:func:`civcomp.io.readers.read_table` (which also accepts Windows-1251). Progress goes to stderr when stderr
is a terminal, or with ``--progress``.

``--jobs N`` codes with N processes (both passes; the file is read once per pass by this process, in chunks
handed to the workers in order): the output is byte-identical to ``--jobs 1``.

Bad input (missing file, empty file, an undecodable byte, a missing column, an empty id) ends with one line on
stderr naming the file, the row or line and the column — never a traceback. Cells written to CSV that start
with ``= + - @``, a tab or a carriage return are prefixed with ``'`` unless they are numbers (spreadsheet
formula injection).
"""

from __future__ import annotations

import argparse
import codecs
import concurrent.futures as cf
import csv
import io
import json
import multiprocessing as mp
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from civcomp.commands import args
from civcomp.errors import CivcompError
from civcomp.io import readers
from civcomp.io.outputs import atomic_write, safe_cell
from civcomp.text.dictionary import DictionaryError, load_dictionary
from civcomp.text.matcher import Coding, Matcher


class InputError(CivcompError, ValueError):
    """Bad input: the message names the file, row/line and column."""


# ------------------------------------------------------------------------------------ reading
def _check_columns(path: Path, columns: Sequence[str], id_col: str, text_col: str) -> None:
    missing = [c for c in (id_col, text_col) if c not in columns]
    if missing:
        raise InputError(
            f"{path}: missing required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(c) for c in missing)} (found: {', '.join(map(repr, columns))}; "
            "choose others with --id-col / --text-col)"
        )


def _check_ids(path: Path, ids: pd.Series, id_col: str, first_row: int) -> None:
    empty = ids.astype(str).str.strip() == ""
    if empty.any():
        row = first_row + int(empty.to_numpy().argmax())
        raise InputError(f"{path}: row {row}, column {id_col!r}: empty id")


def _whole(path: Path, id_col: str, text_col: str) -> Iterator[pd.DataFrame]:
    raw = readers.read_table(path)
    _check_columns(path, list(raw.frame.columns), id_col, text_col)
    df = raw.frame.reset_index(drop=True)
    _check_ids(path, df[id_col], id_col, 1)
    yield df


def _first_bad_utf8(path: Path, block: int = 1 << 22) -> tuple[int, int]:
    """(line, byte value) of the first byte of ``path`` that is not UTF-8 (read in blocks)."""
    dec = codecs.getincrementaldecoder("utf-8")("strict")
    line = 1
    with open(path, "rb") as fh:
        while True:
            data = fh.read(block)
            try:
                dec.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                pending = len(exc.object) - len(data)  # bytes carried over from the previous block
                good = data[: max(0, exc.start - pending)]
                return line + good.count(b"\n"), exc.object[exc.start]
            if not data:
                return line, 0
            line += data.count(b"\n")


def _chunks(path: Path, id_col: str, text_col: str, chunk_rows: int) -> Iterator[pd.DataFrame]:
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if not head.strip():
        raise InputError(f"{path}: empty file (no header row)")
    try:
        first = head.split(b"\n", 1)[0].decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        raise InputError(f"{path}: line 1: the header is not UTF-8 (a streamed CSV must be UTF-8)") from None
    sep = readers.sniff_sep(first)
    row = 1
    try:
        reader = pd.read_csv(
            path,
            sep=sep,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            chunksize=chunk_rows,
            encoding_errors="strict",
        )
        for df in reader:
            if row == 1:
                _check_columns(path, [str(c) for c in df.columns], id_col, text_col)
            _check_ids(path, df[id_col], id_col, row)
            row += len(df)
            yield df.reset_index(drop=True)
    except UnicodeDecodeError:
        line, byte = _first_bad_utf8(path)
        raise InputError(
            f"{path}: line {line}: byte 0x{byte:02x} is not UTF-8 (a streamed CSV must be UTF-8; "
            "save the file as UTF-8 CSV)"
        ) from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: empty file (no header row)") from None
    except pd.errors.ParserError as exc:
        raise InputError(f"{path}: malformed CSV near row {row}: {str(exc).strip().splitlines()[-1]}") from None


def _source(path: Path, a: argparse.Namespace):
    """A function returning a fresh iterator of frames (called once per pass)."""
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    if path.suffix.lower() == ".csv" and path.stat().st_size == 0:
        raise InputError(f"{path}: empty file (no header row)")
    stream = path.suffix.lower() == ".csv" and (a.chunk_rows or path.stat().st_size > a.stream_mb * 1e6)
    if stream:
        return lambda: _chunks(path, a.id_col, a.text_col, a.chunk_rows or 50_000), path.stat().st_size
    frames = list(_whole(path, a.id_col, a.text_col))
    return (lambda: iter(frames)), path.stat().st_size


# ------------------------------------------------------------------------------------ output
class _Progress:
    def __init__(self, on: bool, total_bytes: int, label: str):
        self.on, self.total, self.label, self.n, self.t0 = on, total_bytes, label, 0, time.perf_counter()

    def step(self, n: int) -> None:
        self.n += n
        if self.on:
            dt = time.perf_counter() - self.t0
            sys.stderr.write(f"\r{self.label}: {self.n:,} postings, {dt:,.1f} s")
            sys.stderr.flush()

    def done(self) -> None:
        if self.on:
            sys.stderr.write("\n")


def _row(i: Any, c: Coding) -> dict:
    return {
        "id": i,
        "digital": int(c.digital),
        "tiers": "|".join(c.tiers),
        "n_matches": sum(m.counted for m in c.matches),
        "keywords": "|".join(dict.fromkeys(m.keyword for m in c.matches if m.counted)),
        "not_counted": "|".join(dict.fromkeys(f"{m.keyword}@{m.section}" for m in c.matches if not m.counted)),
    }


def _json_item(i: Any, c: Coding) -> dict:
    return {"id": i, "digital": c.digital, "tiers": list(c.tiers), "matches": [m.as_dict() for m in c.matches]}


# ------------------------------------------------------------------------------------ work (one process or N)
_WORK: dict = {}  # in each process that codes: the matcher, the boilerplate model (pass 2), the output format
WORK_ROWS = 20_000  # postings per piece of work


def _matcher(dictionary: Path | None, all_text: bool) -> Matcher:
    loaded = load_dictionary(dictionary)
    return Matcher(loaded, coding_sections=None) if all_text else Matcher(loaded)


def _start(dictionary: Path | None, all_text: bool, model: Any, as_json: bool) -> None:
    """Set up a process that codes (a worker builds its own matcher: the same dictionary gives the same one)."""
    if _WORK.get("dictionary", ()) != (dictionary, all_text):
        _WORK.update(matcher=_matcher(dictionary, all_text), dictionary=(dictionary, all_text))
    _WORK.update(model=model, json=as_json)


def _pieces(frames: Iterable[pd.DataFrame], id_col: str, text_col: str) -> Iterator[tuple[list, list]]:
    for df in frames:
        for s in range(0, len(df), WORK_ROWS):
            part = df.iloc[s : s + WORK_ROWS]
            yield part[id_col].tolist(), part[text_col].tolist()


def _count_keys(piece: tuple[list, list]) -> tuple[int, dict]:
    """Pass 1 on one piece: how many postings, and in how many of them each sentence key occurs."""
    matcher = _WORK["matcher"]
    model = matcher.new_boilerplate_model().update(matcher.sentence_keys(piece[1]))
    return model.n_postings, model.counts


def _code_piece(piece: tuple[list, list]) -> tuple[list, int]:
    """Pass 2 on one piece: its output (JSON items or CSV rows, in order) and how many postings are digital."""
    ids, texts = piece
    codes = _WORK["matcher"].code(texts, boilerplate=_WORK["model"])
    if _WORK["json"]:
        return [json.dumps(_json_item(i, c), ensure_ascii=False) for i, c in zip(ids, codes)], 0
    return [[safe_cell(v) for v in _row(i, c).values()] for i, c in zip(ids, codes)], sum(c.digital for c in codes)


def _in_order(fn: Callable, pieces: Iterable, jobs: int, start: tuple) -> Iterator:
    """``map(fn, pieces)`` after ``_start(*start)``; with ``jobs`` > 1 in that many fresh processes (spawned, not
    forked: the caller may hold threads), at most 2 x jobs pieces in flight, results in the order of the pieces."""
    if jobs <= 1:
        _start(*start)
        yield from map(fn, pieces)
        return
    ctx = mp.get_context("spawn")
    with cf.ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_start, initargs=start) as pool:
        flight: deque = deque()
        for piece in pieces:
            flight.append(pool.submit(fn, piece))
            if len(flight) >= 2 * jobs:
                yield flight.popleft().result()
        while flight:
            yield flight.popleft().result()


def cli(argv: Sequence[str]) -> int:
    """``civcomp code-postings FILE [--dictionary PATH] [--json | --out PATH.csv] [--all-text] …``."""

    ap = args.Parser(
        prog="civcomp code-postings",
        description="Code job postings for digital-skill requirements with a keyword dictionary, in the "
        "duties and requirements sections (--all-text: the whole text). FILE (CSV, XLSX, SAV or "
        "Parquet) needs an id and a text column.",
    )
    ap.add_argument("file", type=Path, metavar="FILE")
    ap.add_argument(
        "--dictionary",
        type=Path,
        default=None,
        metavar="PATH",
        help="keyword dictionary YAML (default: data/dictionaries/digital_skills.yaml)",
    )
    ap.add_argument("--id-col", default="id", metavar="NAME", help="column of posting ids (default: id)")
    ap.add_argument("--text-col", default="text", metavar="NAME", help="column of posting texts (default: text)")
    ap.add_argument(
        "--all-text",
        action="store_true",
        help="code the whole text (no sections, no boilerplate): the behaviour before sections",
    )
    ap.add_argument("--no-boilerplate", action="store_true", help="do not leave out boilerplate sentences")
    ap.add_argument(
        "--chunk-rows",
        type=args.integer(0, 10_000_000),
        default=0,
        metavar="N",
        help="read a CSV in chunks of N rows, up to 10,000,000 (default: only CSVs larger than --stream-mb)",
    )
    ap.add_argument(
        "--stream-mb",
        type=args.number(0, 1_000_000),
        default=256.0,
        metavar="MB",
        help="stream CSV files larger than this, 0 to 1,000,000 (default 256)",
    )
    ap.add_argument("--progress", action="store_true", help="show progress on stderr (default: only on a terminal)")
    ap.add_argument(
        "--jobs",
        type=args.integer(1, 256),
        default=1,
        metavar="N",
        help="code with N processes, 1 to 256 (default 1; the output is the same bytes)",
    )
    out = ap.add_mutually_exclusive_group()
    out.add_argument(
        "--json",
        action="store_true",
        help="print a JSON array of {id, digital, tiers, matches: [{keyword, tier, start, end, text, "
        "section, counted, boilerplate}]}",
    )
    out.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="PATH.csv",
        help="write one row per posting (id, digital, tiers, n_matches, keywords, not_counted) to a CSV",
    )
    a = ap.parse_args(list(argv))
    try:
        matcher = _matcher(a.dictionary, a.all_text)  # a bad dictionary is reported before any file is read
        _WORK.update(matcher=matcher, dictionary=(a.dictionary, a.all_text))  # --jobs 1 codes with this one
        frames, size = _source(a.file, a)
        show = a.progress or sys.stderr.isatty()
        model = None
        if not (a.all_text or a.no_boilerplate):  # pass 1: sentence counts for boilerplate detection
            model = matcher.new_boilerplate_model()
            prog = _Progress(show, size, "pass 1/2 (boilerplate)")
            start = (a.dictionary, a.all_text, None, a.json)
            for n, counts in _in_order(_count_keys, _pieces(frames(), a.id_col, a.text_col), a.jobs, start):
                model.n_postings += n
                for k, c in counts.items():
                    model.counts[k] = model.counts.get(k, 0) + c
                prog.step(n)
            prog.done()
        return _code_and_write(a, frames, model, show, size)
    except readers.ReadError as exc:
        where = f" line {exc.line}:" if exc.line else ""
        print(f"civcomp code-postings: {a.file}:{where} {exc.message}", file=sys.stderr)
    except (DictionaryError, InputError) as exc:
        print(f"civcomp code-postings: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"civcomp code-postings: {exc.filename or a.file}: {exc.strerror or exc}", file=sys.stderr)
    return 1


def _code_and_write(a, frames, model, show: bool, size: int) -> int:
    prog = _Progress(show, size, "coding" if model is None else "pass 2/2 (coding)")
    start = (a.dictionary, a.all_text, model, a.json)
    coded = _in_order(_code_piece, _pieces(frames(), a.id_col, a.text_col), a.jobs, start)
    n = n_dig = 0
    if a.json:
        buf = sys.stdout
        buf.write("[")
        first = True
        for items, _ in coded:
            for item in items:
                buf.write(("\n" if first else ",\n") + item)
                first = False
            n += len(items)
            prog.step(len(items))
        buf.write("\n]\n")
        prog.done()
        return 0
    sink = io.StringIO() if a.out is not None else sys.stdout
    w = csv.writer(sink, lineterminator="\n")
    w.writerow(["id", "digital", "tiers", "n_matches", "keywords", "not_counted"])
    for rows, digital in coded:
        w.writerows(rows)
        n += len(rows)
        n_dig += digital
        prog.step(len(rows))
    prog.done()
    if a.out is not None:
        try:
            atomic_write(a.out, sink.getvalue().encode("utf-8"))
        except OSError as exc:
            print(f"civcomp code-postings: cannot write {a.out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"coded {n} postings: {n_dig} specify a digital skill, {n - n_dig} do not -> {a.out}")
    return 0
