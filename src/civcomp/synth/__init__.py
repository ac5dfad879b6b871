"""The synthetic twin: all four datasets, written deterministically from ``params/``.

Each generator module exposes ``generate(cfg, rng, **inputs) -> dict[name, DataFrame]``
and reads its calibration targets from ``params/synthetic/<dataset>.yaml``. This
module runs them in dependency order and writes ``data/synthetic/<name>.synthetic.csv``; each survey twin
(:data:`civcomp.io.spss.SURVEYS`) is also written as ``<name>.synthetic.sav`` (SPSS, English variable and value
labels from the codebook, user-missing codes declared) with its Russian labels in ``<name>.synthetic.ru.sps``
(see :mod:`civcomp.io.spss`), so real mode, whose survey files are usually ``.sav``, can be rehearsed on the twin.
Same seed and params → byte-identical files, ``.sav`` included (a test runs it twice).
"""

from __future__ import annotations

import hashlib
import importlib
import io
import time
from pathlib import Path

import numpy as np
import pandas as pd

from civcomp import paths
from civcomp.io import params as params_mod
from civcomp.io.codebook import load_codebook
from civcomp.io.outputs import atomic_write, sha256_file
from civcomp.io.sources import synthetic_path
from civcomp.io.spss import SURVEYS, write_sav

# (config file, generator module, stream number, inputs it needs from earlier generators)
GENERATORS = [
    ("postings", "civcomp.synth.postings", 1, ()),
    ("digital_survey", "civcomp.synth.digital_survey", 2, ()),
    ("capacity_survey", "civcomp.synth.capacity", 3, ()),
    ("appraisal_360", "civcomp.synth.appraisal", 4, ("capacity_survey",)),
]


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Deterministic CSV encoding: UTF-8, ``\\n`` line ends, no index, integers as integers."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", float_format="%.10g")
    return buf.getvalue().encode("utf-8")


def generate_all(seed: int, params_dir: Path | None = None, only: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Run the generators in order and return every frame they make."""
    pdir = (params_dir or paths.PARAMS) / "synthetic"
    wanted = set(only or [g[0] for g in GENERATORS])
    for name, _, _, needs in reversed(GENERATORS):  # add what the wanted ones need
        if name in wanted:
            wanted.update(needs)
    frames: dict[str, pd.DataFrame] = {}
    for cfg_name, module_name, stream, needs in GENERATORS:
        if cfg_name not in wanted:
            continue
        cfg = params_mod.read_yaml(pdir / f"{cfg_name}.yaml")
        rng = np.random.default_rng([int(seed), stream])
        module = importlib.import_module(module_name)
        frames.update(module.generate(cfg, rng, **{k: frames[k] for k in needs}))
    return frames


def synthesize(
    seed: int | None = None,
    params_dir: Path | None = None,
    out_dir: Path | None = None,
    only: list[str] | None = None,
    verbose: bool = True,
) -> dict[str, str]:
    """Write the twin (CSV, and ``.sav`` + ``.ru.sps`` for the surveys); return ``{file name: sha256}``."""
    if seed is None:
        seed = int(params_mod.load_global(params_dir)["seed"])
    t0 = time.perf_counter()
    frames = generate_all(seed, params_dir, only)
    hashes = {}
    for name, df in frames.items():
        data = to_csv_bytes(df)
        path = atomic_write(synthetic_path(name, out_dir), data)
        hashes[path.name] = hashlib.sha256(data).hexdigest()
        if verbose:
            print(f"  wrote {path.name}: {len(df):,} rows, sha256 {hashes[path.name][:12]}")
        if name in SURVEYS:
            sav = write_sav(df, load_codebook(name), path.with_name(f"{name}.synthetic.sav"), ru_syntax=True)
            for p in (sav, sav.with_suffix(".ru.sps")):
                hashes[p.name] = sha256_file(p)
            if verbose:
                print(f"  wrote {sav.name} (+ {sav.with_suffix('.ru.sps').name}): sha256 {hashes[sav.name][:12]}")
    if verbose:
        print(f"synthetic twin (seed {seed}) written in {time.perf_counter() - t0:.1f} s")
    return hashes
