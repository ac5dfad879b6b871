"""Where each dataset's file is: the synthetic twin or the configured real file.

Examples
--------
>>> from civcomp.io import sources
>>> sources.source_path("appraisal_360", "synthetic").name
'appraisal_360.synthetic.csv'
"""

from __future__ import annotations

from pathlib import Path

from civcomp import paths
from civcomp.errors import DataError
from civcomp.io import params as params_mod
from civcomp.io.codebook import ALL_DATASETS, load_codebook

SOURCES = ("synthetic", "real")
OPTIONAL_REAL = ("postings_gold",)  # may be absent in real mode


def synthetic_path(name: str, out_dir: Path | None = None) -> Path:
    """The synthetic twin of ``name``: ``data/synthetic/<name>.synthetic.csv`` (or in ``out_dir``)."""
    return (out_dir or paths.SYNTHETIC) / f"{name}.synthetic.csv"


def real_path(name: str, params_dir: Path | None = None) -> Path:
    """The real file of ``name`` configured in ``params/global.yaml`` ``real_data``; raise :class:`DataError`.

    Examples
    --------
    >>> real_path("capacity_survey").relative_to(paths.ROOT).as_posix()
    'data/raw/capacity_survey.sav'
    """
    if load_codebook(name).synthetic_only:
        raise DataError(
            f"{name} exists only in the synthetic twin (it is the generator's ground truth); "
            "in real mode use postings_gold for reliability checks"
        )
    cfg = params_mod.load_global(params_dir).get("real_data") or {}
    rel = cfg.get(name)
    if not rel:
        raise DataError(
            f"params/global.yaml: real_data.{name} is not set (path of the real {name} file, "
            "relative to the repository root)"
        )
    p = Path(rel)
    p = p if p.is_absolute() else paths.ROOT / p
    resolved = p.resolve()
    for folder, what in (
        (paths.PROCESSED, "the typed cache"),
        (paths.SYNTHETIC, "the synthetic twin"),
        (paths.OUTPUTS, "the outputs"),
    ):
        if resolved.is_relative_to(Path(folder).resolve()):
            raise DataError(
                f"params/global.yaml: real_data.{name} = {rel!r} lies in {display_path(folder)}/, "
                f"which the pipeline writes ({what}); keep real files elsewhere, e.g. data/raw/"
            )
    problems = params_mod.real_path_problems(f"params/global.yaml: real_data.{name}", rel, paths.ROOT)
    if problems:
        raise DataError(problems[0])
    return p


def display_path(p: str | Path) -> str:
    """How a data path may appear in outputs: relative to the repository, or only its file name.

    An absolute path outside the repository would publish a user's directory layout (a home
    folder, an encrypted drive's name) in the manifest and the report.

    Examples
    --------
    >>> display_path(paths.ROOT / "data" / "raw" / "x.csv"), display_path(paths.ROOT.parent / "elsewhere" / "x.csv")
    ('data/raw/x.csv', '<outside the repository>/x.csv')
    """
    q = Path(p)
    q = q if q.is_absolute() else paths.ROOT / q
    try:
        return q.resolve().relative_to(paths.ROOT.resolve()).as_posix()
    except ValueError:
        return f"<outside the repository>/{q.name}"


def public_params(gparams: dict) -> dict:
    """``params/global.yaml`` as it may be published: ``real_data`` paths through :func:`display_path`.

    Examples
    --------
    >>> public_params({"seed": 1, "real_data": {"postings": "/mnt/usb/p.csv"}})["real_data"]
    {'postings': '<outside the repository>/p.csv'}
    """
    out = dict(gparams)
    if isinstance(out.get("real_data"), dict):
        out["real_data"] = {
            k: (display_path(v) if isinstance(v, str) and v else v) for k, v in out["real_data"].items()
        }
    return out


def source_path(name: str, source: str) -> Path:
    """Input file of ``name`` for ``source``.

    Examples
    --------
    >>> source_path("appraisal_360", "synthetic").name
    'appraisal_360.synthetic.csv'
    """
    if source not in SOURCES:
        raise DataError(f"data source must be 'synthetic' or 'real', got {source!r}")
    if name not in ALL_DATASETS:
        raise DataError(f"unknown dataset {name!r}; datasets are: {', '.join(ALL_DATASETS)}")
    return synthetic_path(name) if source == "synthetic" else real_path(name)


def available(name: str, source: str = "synthetic") -> bool:
    """Whether ``load(name, source)`` has a file to read (e.g. the optional real ``postings_gold``).

    Examples
    --------
    >>> available("postings_truth", "real")
    False
    """
    try:
        return source_path(name, source).is_file()
    except DataError:
        return False


def dataset_files(source: str = "synthetic") -> list[Path]:
    """Input files of every dataset for ``source`` (the runner hashes them for its manifest and cache).

    Synthetic: the six twin files (whether or not written yet). Real: the configured files of the four datasets,
    plus ``postings_gold`` when configured and present.

    Examples
    --------
    >>> [p.name for p in dataset_files("real")][:2]
    ['postings.csv', 'digital_survey.sav']
    """
    if source == "synthetic":
        return [synthetic_path(n) for n in ALL_DATASETS]
    files = []
    for name in ALL_DATASETS:
        if load_codebook(name).synthetic_only:
            continue
        if name in OPTIONAL_REAL:
            if available(name, "real"):
                files.append(real_path(name))
            continue
        files.append(real_path(name))
    return files
