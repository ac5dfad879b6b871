"""``civcomp code-postings FILE``: code job postings for digital-skill requirements.

Coding unit: by default the duties and requirements sections of each posting (:mod:`civcomp.text.sections`);
``--all-text`` codes the whole text (the behaviour before sections). Every match is reported with its section
and whether it counted.

Files of any size, one process or N
-----------------------------------
Boilerplate detection needs the whole corpus, so coding has two passes, but the file is read once: pass 1
finds the matches of every posting and keeps them (not the texts), counting, for every sentence that holds a
match, in how many postings it occurs; pass 2 decides boilerplate with the corpus's counts and writes
(:meth:`civcomp.text.Matcher.match_texts`, :meth:`~civcomp.text.Matcher.finish`). The result is identical to
coding the file in one piece.

A CSV larger than ``--stream-mb`` (default 256 MB) is cut into byte ranges of about 32 MB at record starts,
and whoever codes a range reads it (:mod:`civcomp.io.csv_ranges`: UTF-8, with or without BOM; separator
``,`` ``;`` or tab, sniffed from the header); a range that is not provably well-formed CSV (a quote inside an
unquoted field, a carriage return, a ragged row, an empty id, a byte that is not UTF-8 …) sends the whole file
to the ordinary reader, which reads it in chunks of rows (pandas) in this process and names any error; so
does ``--chunk-rows N``. Smaller files (and XLSX, SAV, Parquet) are read whole by
:func:`civcomp.io.readers.read_table` (which also accepts Windows-1251). Progress goes to stderr when stderr
is a terminal, or with ``--progress``.

``--jobs N`` codes with N processes: in pass 1 each takes the next piece (a byte range it reads itself, or
rows read here) and keeps its matches; in pass 2 each writes its own pieces, put in order here. The output is
byte-identical to ``--jobs 1``. A process matches and codes a text it has seen before only once (reposts of
one announcement; a text's matches depend on nothing else): up to ``MEMO_CHARS`` characters of texts are kept
(bytes, in a byte range: a text is decoded only when new).

Bad input (missing file, empty file, an undecodable byte, a missing column, an empty id) ends with one line on
stderr naming the file, the row or line and the column — never a traceback. Cells written to CSV that start
with ``= + - @``, a tab or a carriage return are prefixed with ``'`` unless they are numbers (spreadsheet
formula injection).

Size: one job, coding a file of postings of any size in one process or N (pieces, the two passes, the output
in order).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import gc
import io
import json
import queue
import sys
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from civcomp.commands import args
from civcomp.errors import CivcompError
from civcomp.io import csv_ranges, readers
from civcomp.io.outputs import atomic_write, safe_cell
from civcomp.runner.watch import caller, start_worker, worker_context
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


def _ranges(path: Path, a: argparse.Namespace) -> list[tuple] | None:
    """Byte ranges for the coding processes to read, or None when the ordinary reader must read the file."""
    with open(path, "rb") as fh:
        head = fh.read(65536)
    try:
        sep = readers.sniff_sep(head.split(b"\n", 1)[0].decode("utf-8-sig").rstrip("\r"))
    except UnicodeDecodeError:
        return None
    lay = csv_ranges.layout(path, sep, (a.id_col, a.text_col))
    if lay is None:
        return None
    cuts = csv_ranges.cuts(path, lay, path.stat().st_size, WORK_BYTES)
    return [("range", str(path), s, e, lay) for s, e in zip(cuts, cuts[1:])]


def _plans(path: Path, a: argparse.Namespace) -> Iterator[Iterable[tuple]]:
    """The pieces of work, and if the coding processes reject a byte range, the pieces read the ordinary way.

    A CSV over ``--stream-mb`` is cut into byte ranges that the coding processes read; with ``--chunk-rows``,
    or when a range is not well-formed CSV, this process reads it in chunks of rows; a smaller file is read
    whole."""
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    if path.suffix.lower() == ".csv" and path.stat().st_size == 0:
        raise InputError(f"{path}: empty file (no header row)")
    stream = path.suffix.lower() == ".csv" and (a.chunk_rows or path.stat().st_size > a.stream_mb * 1e6)
    if not stream:
        yield _row_pieces(_whole(path, a.id_col, a.text_col), a.id_col, a.text_col)
        return
    if not a.chunk_rows:
        ranges = _ranges(path, a)
        if ranges is not None:
            yield ranges
    yield _row_pieces(_chunks(path, a.id_col, a.text_col, a.chunk_rows or 50_000), a.id_col, a.text_col)


# ------------------------------------------------------------------------------------ output
class _Progress:
    def __init__(self, on: bool, label: str):
        self.on, self.label, self.n, self.t0 = on, label, 0, time.perf_counter()

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
_WORK: dict = {}  # in each process that codes: the matcher, the output format, its pieces' matches and counts
WORK_ROWS = 20_000  # postings per piece of work read by this process
WORK_BYTES = 32 << 20  # bytes per piece of work a coding process reads itself
MEMO_CHARS = 100_000_000  # characters of texts whose matches a coding process remembers


class RangeRejected(CivcompError):
    """A byte range of the file is not provably well-formed CSV: the file is read the ordinary way instead."""


def _matcher(dictionary: Path | None, all_text: bool) -> Matcher:
    loaded = load_dictionary(dictionary)
    return Matcher(loaded, coding_sections=None) if all_text else Matcher(loaded)


def _start(dictionary: Path | None, all_text: bool, count: bool, as_json: bool) -> None:
    """Set up a process that codes (a worker builds its own matcher: the same dictionary gives the same one)."""
    if _WORK.get("dictionary", ()) != (dictionary, all_text):
        _WORK.update(matcher=_matcher(dictionary, all_text), dictionary=(dictionary, all_text))
    model = _WORK["matcher"].new_boilerplate_model()
    _WORK.update(json=as_json, count=count, raw={}, model=model, memo={}, memo_chars=0, done={})


def _row_pieces(frames: Iterable[pd.DataFrame], id_col: str, text_col: str) -> Iterator[tuple]:
    for df in frames:
        for s in range(0, len(df), WORK_ROWS):
            part = df.iloc[s : s + WORK_ROWS]
            yield "rows", part[id_col].tolist(), part[text_col].tolist()


def _load(piece: tuple) -> tuple[list, list]:
    """The ids and texts of a piece: rows read by the parent, or a byte range read here."""
    if piece[0] == "rows":
        return piece[1], piece[2]
    _, path, start, end, lay = piece
    with open(path, "rb") as fh:
        fh.seek(start)
        cols = csv_ranges.read_range(fh.read(end - start), lay, undecoded=(1,))  # texts: decoded once each
    if cols is None or any(not i.strip() for i in cols[0]):  # (the ordinary reader names an empty id's row)
        raise RangeRejected(f"{path}: bytes {start}-{end}")
    return cols[0], cols[1]


def _match(index: int, piece: tuple) -> int:
    """Pass 1 on one piece: its matches, kept in this process; its sentence keys counted. Returns its size.

    A text seen before in this process is not matched again (a text's matches depend on nothing else; a
    corpus of reposted announcements repeats many texts): up to ``MEMO_CHARS`` characters of texts are kept
    (bytes, in a byte range: a text is decoded only when new).
    """
    ids, texts = _load(piece)
    texts = [t if isinstance(t, (str, bytes)) else "" for t in texts]
    matcher, memo = _WORK["matcher"], _WORK["memo"]
    known: dict = {}
    todo = []
    for t in dict.fromkeys(texts):
        r = memo.get(t, memo)
        if r is memo:
            todo.append(t)
        else:
            known[t] = r
    try:  # the texts of a byte range are UTF-8 bytes until here
        found = matcher.match_texts([t.decode("utf-8") if isinstance(t, bytes) else t for t in todo])
    except UnicodeDecodeError:
        raise RangeRejected(f"piece {index}: not UTF-8") from None
    known.update(zip(todo, found))
    raw = [known[t] for t in texts]
    size = sum(map(len, todo))
    if _WORK["memo_chars"] + size > MEMO_CHARS:
        memo.clear()
        _WORK["memo_chars"] = 0
    if size <= MEMO_CHARS:
        memo.update(zip(todo, found))
        _WORK["memo_chars"] += size
    if _WORK["count"]:
        _WORK["model"].update(matcher.match_keys(raw))
    _WORK["raw"][index] = (ids, raw)
    return len(ids)


def _write(index: int, flagged: frozenset) -> tuple[str, int, int]:
    """Pass 2 on one piece: its output (CSV rows, or JSON items joined by ``,\\n``), postings, digital ones.

    A text matched once (:func:`_match`) is coded once: its coding and its row but the id are kept, with the
    matches they come from (so that the key, an ``id()``, stays theirs)."""
    ids, raw = _WORK["raw"].pop(index)
    done = _WORK["done"]
    if len(done) > 500_000:
        done.clear()
    new = {id(r): r for r in raw if id(r) not in done}
    for r, c in zip(new.values(), _WORK["matcher"].finish(list(new.values()), flagged)):
        tail = None if _WORK["json"] else [safe_cell(v) for v in list(_row("", c).values())[1:]]
        done[id(r)] = (r, c, tail)
    coded = [done[id(r)] for r in raw]
    if _WORK["json"]:
        items = (json.dumps(_json_item(i, c), ensure_ascii=False) for i, (_, c, _) in zip(ids, coded))
        return ",\n".join(items), len(ids), 0
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([safe_cell(i), *tail] for i, (_, _, tail) in zip(ids, coded))
    return buf.getvalue(), len(ids), sum(c.digital for _, c, _ in coded)


def _flagged(matcher: Matcher, counted: Iterable[tuple[int, dict]]) -> frozenset:
    """The boilerplate sentences of the corpus, from each process's postings and sentence counts."""
    model = matcher.new_boilerplate_model()
    for n, counts in counted:
        model.n_postings += n
        for k, c in counts.items():
            model.counts[k] = model.counts.get(k, 0) + c
    return model.flagged()


def _one_process(pieces: Iterable[tuple], start: tuple, prog: _Progress) -> Iterator[tuple[str, int, int]]:
    _start(*start)
    paused = gc.isenabled()
    gc.disable()  # millions of small match tuples, no cycles: the cyclic collector only costs time
    try:
        n_pieces = 0
        for i, piece in enumerate(pieces):
            prog.step(_match(i, piece))
            n_pieces += 1
        prog.done()
        model = _WORK["model"]
        flagged = _flagged(_WORK["matcher"], [(model.n_postings, model.counts)]) if _WORK["count"] else frozenset()
        for i in range(n_pieces):
            yield _write(i, flagged)
    finally:
        _WORK.update(raw={}, memo={}, done={})
        if paused:
            gc.enable()


def _worker(wid: int, start: tuple, tasks: Any, results: Any, orders: Any, of: tuple[int, dict]) -> None:
    """A coding process: pass 1 on pieces from ``tasks`` until ``None``, its counts, then pass 2 on its pieces.
    It takes the caller's environment and exits when the caller is gone (killed, it would wait on ``tasks``)."""
    start_worker(of, 0.5)
    gc.disable()
    try:
        _start(*start)
        while (item := tasks.get()) is not None:
            results.put(("matched", wid, item[0], _match(*item)))
        model = _WORK["model"]
        results.put(("counts", wid, None, (model.n_postings, model.counts)))
        flagged = orders.get()
        for i in sorted(_WORK["raw"]):
            results.put(("written", wid, i, _write(i, flagged)))
        results.put(("done", wid, None, None))
    except RangeRejected:
        results.put(("rejected", wid, None, None))
    except BaseException:  # the parent re-raises it with the worker's traceback
        results.put(("error", wid, None, traceback.format_exc()))


def _receive(results: Any, procs: list) -> tuple:
    while True:
        try:
            kind, wid, index, payload = results.get(timeout=1.0)
        except queue.Empty:
            dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(f"a coding process ended with exit code {dead[0]}") from None
            continue
        if kind == "rejected":
            raise RangeRejected("a byte range")
        if kind == "error":
            raise RuntimeError(f"a coding process failed:\n{payload}")
        return kind, wid, index, payload


def _processes(pieces: Iterable[tuple], jobs: int, start: tuple, prog: _Progress) -> Iterator[tuple[str, int, int]]:
    """Both passes in ``jobs`` fresh processes (from a fork server, never forked from the caller: it may hold
    threads; :func:`~civcomp.runner.watch.worker_context`). Pass 1: each
    takes the next piece (at most 2 x jobs queued) and keeps its matches; pass 2: each writes its own pieces,
    yielded here in the order of the pieces."""
    ctx = worker_context([__name__])
    tasks, results = ctx.Queue(), ctx.Queue()
    orders = [ctx.Queue() for _ in range(jobs)]
    of = caller()
    procs = [
        ctx.Process(target=_worker, args=(w, start, tasks, results, orders[w], of), daemon=True) for w in range(jobs)
    ]
    for p in procs:
        p.start()
    try:
        source, queued, n_pieces, more = enumerate(pieces), 0, 0, True

        def feed() -> None:
            nonlocal queued, n_pieces, more
            while more and queued < 2 * jobs:
                item = next(source, None)
                if item is None:
                    more = False
                    for _ in procs:
                        tasks.put(None)
                else:
                    tasks.put(item)
                    queued += 1
                    n_pieces += 1

        feed()
        counted: list = []
        while len(counted) < jobs:
            kind, _, _, payload = _receive(results, procs)
            if kind == "matched":
                queued -= 1
                prog.step(payload)
                feed()
            else:
                counted.append(payload)
        prog.done()
        flagged = _flagged(_WORK["matcher"], counted) if start[2] else frozenset()
        for q in orders:
            q.put(flagged)
        ready: dict = {}
        done = 0
        for i in range(n_pieces):
            while i not in ready:
                kind, _, index, payload = _receive(results, procs)
                if kind == "written":
                    ready[index] = payload
                else:
                    done += 1
            yield ready.pop(i)
        for p in procs:
            p.join()
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join()


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
        show = a.progress or sys.stderr.isatty()
        count = not (a.all_text or a.no_boilerplate)  # boilerplate: sentence counts over the whole corpus
        start = (a.dictionary, a.all_text, count, a.json)
        for pieces in _plans(a.file, a):
            prog = _Progress(show, "pass 1/2 (matching)")
            coded = _one_process(pieces, start, prog) if a.jobs <= 1 else _processes(pieces, a.jobs, start, prog)
            try:
                return _write_out(a, coded, show)
            except RangeRejected:
                if show:
                    sys.stderr.write("\nnot well-formed CSV in parallel: reading it in one process\n")
    except readers.ReadError as exc:
        where = f" line {exc.line}:" if exc.line else ""
        print(f"civcomp code-postings: {a.file}:{where} {exc.message}", file=sys.stderr)
    except (DictionaryError, InputError) as exc:
        print(f"civcomp code-postings: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"civcomp code-postings: {exc.filename or a.file}: {exc.strerror or exc}", file=sys.stderr)
    return 1


def _write_out(a: argparse.Namespace, coded: Iterator[tuple[str, int, int]], show: bool) -> int:
    """Write the pieces' output in order: a JSON array on stdout, or CSV rows to stdout or ``--out``."""
    n = n_dig = 0
    first = True
    if a.json:  # nothing reaches stdout before pass 1 is over (a rejected range leaves no partial output)
        for items, k, _ in coded:
            if first:
                sys.stdout.write("[")
            if k:
                sys.stdout.write(("\n" if n == 0 else ",\n") + items)
            n += k
            first = False
        sys.stdout.write("[" if first else "")
        sys.stdout.write("\n]\n")
        return 0
    prog = _Progress(show, "pass 2/2 (writing)")
    sink = io.StringIO()
    sink.write("id,digital,tiers,n_matches,keywords,not_counted\n")
    for rows, k, dig in coded:
        sink.write(rows)
        n += k
        n_dig += dig
        prog.step(k)
    prog.done()
    if a.out is None:
        sys.stdout.write(sink.getvalue())
        return 0
    try:
        atomic_write(a.out, sink.getvalue().encode("utf-8"))
    except OSError as exc:
        print(f"civcomp code-postings: cannot write {a.out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"coded {n} postings: {n_dig} specify a digital skill, {n - n_dig} do not -> {a.out}")
    return 0
