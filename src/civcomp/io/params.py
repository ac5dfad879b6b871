"""Read the YAML parameter files in ``params/``.

``params/global.yaml`` holds what every step shares (seed, data source, real-data
paths); ``params/<step>.yaml`` holds one notebook's parameters, which the runner
passes to papermill.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from civcomp import paths
from civcomp.errors import ParamsError  # noqa: F401 (re-exported: callers catch params.ParamsError)


def read_yaml(path: Path) -> dict[str, Any]:
    """Return the mapping stored in ``path``; raise :class:`ParamsError` naming the file."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise ParamsError(f"{path}: parameter file not found") from None
    except yaml.YAMLError as exc:
        raise ParamsError(f"{path}: not valid YAML ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamsError(f"{path}: expected a mapping of names to values, got {type(data).__name__}")
    return data


def load_global(params_dir: Path | None = None) -> dict[str, Any]:
    """Parameters shared by every step (``params/global.yaml``)."""
    return read_yaml((params_dir or paths.PARAMS) / "global.yaml")


def load_step(step: str, params_dir: Path | None = None) -> dict[str, Any]:
    """Parameters of one notebook step (``params/<step>.yaml``); empty if the file is absent."""
    path = (params_dir or paths.PARAMS) / f"{step}.yaml"
    return read_yaml(path) if path.exists() else {}


def data_source(params_dir: Path | None = None) -> str:
    """``"synthetic"`` (the default twin) or ``"real"`` (the team's microdata)."""
    src = load_global(params_dir).get("data_source", "synthetic")
    if src not in ("synthetic", "real"):
        raise ParamsError(f"params/global.yaml: data_source must be 'synthetic' or 'real', got {src!r}")
    return src
