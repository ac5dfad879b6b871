"""The environment: lock and environment.yml agree, and the known factor-analyzer trap stays closed."""
from __future__ import annotations

import numpy as np
import yaml

from civcomp import paths
from civcomp.pipeline.envfile import environment_yml, lock_pins


def test_environment_yml_carries_the_lock_pins():
    lock = lock_pins((paths.ROOT / "requirements.lock").read_text())
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    env_pins = dict(p.split("==") for p in pip if "==" in p)
    env_pins = {k.lower(): v for k, v in env_pins.items()}
    assert env_pins == lock, "environment.yml drifted from requirements.lock: run `make lock`"
    assert (paths.ROOT / "environment.yml").read_text() == environment_yml(lock)


def test_core_packages_are_pinned_exactly():
    lock = lock_pins((paths.ROOT / "requirements.lock").read_text())
    for name in ("jupyterlab", "papermill", "pandas", "seaborn", "factor-analyzer", "scipy", "nbval",
                 "scikit-learn", "pingouin", "statsmodels", "pandera", "krippendorff", "jupytext"):
        assert name in lock, name


def test_factor_analyzer_fits_on_the_pinned_scikit_learn():
    # factor-analyzer 0.5.1 calls check_array(force_all_finite=...), removed in scikit-learn 1.8
    from factor_analyzer import FactorAnalyzer

    rng = np.random.default_rng(0)
    f = rng.normal(size=(300, 1))
    x = f @ np.full((1, 6), 0.7) + rng.normal(scale=0.6, size=(300, 6))
    fa = FactorAnalyzer(n_factors=1, rotation=None, method="minres").fit(x)
    assert fa.loadings_.shape == (6, 1)
    assert np.all(np.abs(fa.loadings_) > 0.5)
