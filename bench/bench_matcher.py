"""Benchmark of the digital-skills matcher (civcomp.text) against grep — a timing, not a test.

Builds a synthetic corpus of N postings (default 1,000,000) in a temporary folder — texts drawn
with replacement from a pool made by the twin's own generator, one posting per line (line
breaks inside a posting written as U+2028, which the matcher treats as whitespace) — then
times, on one core:

* the matcher on the whole text (``coding_sections=None``, the coder before sections): read the file,
  decode UTF-8, code every posting (digital yes/no, tiers, matches with spans), in batches; reported in
  MB/s (UTF-8 bytes of the file) and postings/s;
* the section-aware coder (the default): the same, plus segmentation into sections (headings, sentence
  cues) and corpus-level boilerplate detection, in one pass over the file
  (:meth:`civcomp.text.Matcher.code_batches`: the matches are kept, boilerplate is decided at the end); its
  ratio to the whole-text matcher;
* the reference floor: ``grep -c -i -F -f terms.txt`` over the same file, with the
  dictionary's literal terms (wildcards cut). grep counts lines with any substring hit and
  stops at the first hit of a line; it neither folds look-alike letters nor checks word
  boundaries nor reports spans, so it is a floor, not the same job. With ``--slow-greps``, two
  greps that, like the matcher, must find every occurrence are timed too: ``grep -c -i -w -F``
  (word boundaries) and ``grep -o -i -F | wc -l`` (every substring hit); both are far slower.

Wall-clock and CPU seconds are both reported (the CPU time of grep is its child-process time):
on a shared machine the CPU time is the steadier figure.

The corpus repeats its pool's texts (1,000,000 draws from 20,000 by default), so the coder's memos (the
classification of a sentence, the heading of a line, the entry behind a matched string) hit more often than
on a corpus of distinct postings; ``--pool`` sets the pool (e.g. ``--n 200000 --pool 100000``).

Usage: ``python bench/bench_matcher.py [--n 1000000] [--pool 20000] [--seed 1] [--keep DIR] [--slow-greps]``
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from civcomp import paths, text
from civcomp.io import (
    ledger,  # twin targets refer to the claims ledger
    params,
)
from civcomp.synth import postings as gen


def make_pool(size: int, seed: int) -> list[str]:
    """``size`` posting texts from the twin's generator (several corpora of 408, different seeds)."""
    cfg = ledger.resolve(params.read_yaml(paths.PARAMS / "synthetic" / "postings.yaml"))
    pool: list[str] = []
    k = 0
    while len(pool) < size:
        out = gen.generate(cfg, np.random.default_rng([seed, k]))
        pool.extend(out["postings"]["text"].tolist())
        k += 1
    return pool[:size]


def write_corpus(path: Path, pool: list[str], n: int, seed: int) -> int:
    rng = np.random.default_rng(seed)
    lines = [t.replace("\r", " ").replace("\n", "\u2028") + "\n" for t in pool]
    size = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for start in range(0, n, 100_000):
            idx = rng.integers(len(lines), size=min(100_000, n - start))
            chunk = "".join(lines[i] for i in idx)
            fh.write(chunk)
            size += len(chunk.encode("utf-8"))
    return size


def time_coder(path: Path, coder: text.Matcher, matcher: text.Matcher, batch: int = 20_000) -> dict:
    """Section-aware coding with boilerplate in one pass over the file (boilerplate decided over the corpus),
    with the whole-text matcher run on the same batches, interleaved, so that a busy machine slows both alike:
    CPU seconds of reading, of the whole-text matcher and of the coder are accumulated separately."""
    read_cpu = old_cpu = 0.0

    def batches():
        nonlocal read_cpu, old_cpu
        with open(path, encoding="utf-8", newline="\n") as fh:
            while True:
                r0 = time.process_time()
                lines = fh.readlines(batch * 1700)
                r1 = time.process_time()
                read_cpu += r1 - r0
                if not lines:
                    break
                matcher.code(lines)
                old_cpu += time.process_time() - r1
                yield lines

    t0 = time.process_time()
    codes = coder.code_batches(batches())
    total = time.process_time() - t0
    return {
        "read_cpu": read_cpu,
        "old_cpu": old_cpu,
        "code_cpu": total - read_cpu - old_cpu,
        "n": len(codes),
        "n_digital": sum(c.digital for c in codes),
        "n_matches": sum(len(c.matches) for c in codes),
        "n_counted": sum(m.counted for c in codes for m in c.matches),
        "n_boilerplate": sum(m.boilerplate for c in codes for m in c.matches),
    }


def time_matcher(path: Path, matcher: text.Matcher, batch: int = 20_000) -> dict:
    """Read, decode and code the whole file in batches; wall and CPU seconds (total and coding only)."""
    n = n_dig = n_matches = 0
    code_wall = code_cpu = 0.0
    t0, c0 = time.perf_counter(), time.process_time()
    with open(path, encoding="utf-8", newline="\n") as fh:
        while True:
            lines = fh.readlines(batch * 1700)
            if not lines:
                break
            t1, c1 = time.perf_counter(), time.process_time()
            codes = matcher.code(lines)
            code_wall += time.perf_counter() - t1
            code_cpu += time.process_time() - c1
            n_dig += sum(c.digital for c in codes)
            n_matches += sum(len(c.matches) for c in codes)
            n += len(lines)
    return {
        "wall": time.perf_counter() - t0,
        "cpu": time.process_time() - c0,
        "code_wall": code_wall,
        "code_cpu": code_cpu,
        "n": n,
        "n_digital": n_dig,
        "n_matches": n_matches,
    }


def time_grep(args: list[str], path: Path, terms: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of one grep run, and its output."""
    env = dict(os.environ, LC_ALL="C.UTF-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(["grep", *args, "-f", str(terms), str(path)], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, res.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="postings in the corpus (default 1,000,000)")
    ap.add_argument("--pool", type=int, default=20_000, help="distinct generated texts to draw from")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=None, help="write the corpus here and keep it")
    ap.add_argument("--slow-greps", action="store_true", help="also time grep -c -i -w -F and grep -o -i -F (slow)")
    a = ap.parse_args(argv)
    if shutil.which("grep") is None:
        print("grep not found", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="bench_matcher_")) if a.keep is None else a.keep
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        pool = make_pool(a.pool, a.seed)
        corpus, terms = tmp / "corpus.txt", tmp / "terms.txt"
        size = write_corpus(corpus, pool, a.n, a.seed)
        dictionary = text.load_dictionary()
        terms.write_text("\n".join(dictionary.literal_terms()) + "\n", encoding="utf-8")
        print(
            f"corpus: {a.n:,} postings, {size / 1e6:,.1f} MB UTF-8 ({size / a.n:,.0f} B/posting), "
            f"{len(dictionary.terms)} terms + {len(dictionary.exclusions)} excluded contexts; "
            f"built in {time.perf_counter() - t0:.1f} s"
        )
        subprocess.run(["cat", str(corpus)], stdout=subprocess.DEVNULL, check=True)  # warm the page cache
        matcher = text.Matcher(dictionary, coding_sections=None)
        m = time_matcher(corpus, matcher)
        coder = time_coder(corpus, text.Matcher(dictionary), matcher)
        g_wall, g_cpu, g_out = time_grep(["-c", "-i", "-F"], corpus, terms)
        mb = size / 1e6
        print(f"python {platform.python_version()}, {platform.machine()}, one core; times: wall / CPU seconds")
        print(
            f"matcher (whole text), read+decode+code : {m['wall']:7.2f} / {m['cpu']:7.2f} s  "
            f"{mb / m['wall']:7.1f} MB/s wall {mb / m['cpu']:7.1f} MB/s CPU  {m['n'] / m['wall']:9,.0f} postings/s"
        )
        print(
            f"matcher (whole text), coding only      : {m['code_wall']:7.2f} / {m['code_cpu']:7.2f} s  "
            f"{mb / m['code_wall']:7.1f} MB/s wall {mb / m['code_cpu']:7.1f} MB/s CPU  "
            f"({m['n_digital']:,} digital = {m['n_digital'] / m['n']:.1%}, {m['n_matches']:,} matches)"
        )
        print(
            f"grep -c -i -F                          : {g_wall:7.2f} / {g_cpu:7.2f} s  {mb / g_wall:7.1f} MB/s wall "
            f"{mb / max(g_cpu, 1e-9):7.1f} MB/s CPU  ({int(g_out):,} lines with a substring hit)"
        )
        print(f"matcher / grep -F (CPU): {m['cpu'] / max(g_cpu, 1e-9):.1f}x")
        c_mb, o_mb = mb / coder["code_cpu"], mb / coder["old_cpu"]
        print(
            f"interleaved on the same batches (CPU): whole-text matcher {o_mb:7.1f} MB/s coding only; "
            f"section-aware coder with boilerplate {c_mb:7.1f} MB/s coding only, "
            f"{mb / (coder['code_cpu'] + coder['read_cpu']):7.1f} MB/s incl. reading; ratio {c_mb / o_mb:.2f}"
        )
        print(
            f"  coder: {coder['n_digital']:,} digital = {coder['n_digital'] / coder['n']:.1%}; {coder['n_counted']:,} of "
            f"{coder['n_matches']:,} matches counted, {coder['n_boilerplate']:,} in boilerplate"
        )
        if a.slow_greps:
            w_wall, w_cpu, w_out = time_grep(["-c", "-i", "-w", "-F"], corpus, terms)
            print(
                f"grep -c -i -w -F          : {w_wall:7.2f} / {w_cpu:7.2f} s  {mb / w_wall:7.1f} MB/s wall  "
                f"({int(w_out):,} lines with a whole-word hit)"
            )
            o_wall, o_cpu, o_out = time_grep(["-o", "-i", "-F"], corpus, terms)
            print(
                f"grep -o -i -F             : {o_wall:7.2f} / {o_cpu:7.2f} s  {mb / o_wall:7.1f} MB/s wall  "
                f"({len(o_out.splitlines()):,} substring hits)"
            )
        incl = mb / (coder["code_cpu"] + coder["read_cpu"])
        print(
            f"target: coding incl. segmentation and boilerplate >= 50 MB/s on one core: "
            f"{'met' if c_mb >= 50 else 'NOT met'} ({c_mb:.1f} MB/s); incl. reading and decoding the file "
            f"{'also' if incl >= 50 else 'not'} >= 50 ({incl:.1f} MB/s)"
        )
    finally:
        if a.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
