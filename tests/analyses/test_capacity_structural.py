"""civcomp.analyses.capacity_structural: Figure 4's structural model as notebook 03 publishes it.

The SEM numbers themselves are checked against R lavaan in tests/stats/test_sem.py; here: the notebook's
result builder reproduces lavaan's values on the capacity twin, the tables, the "strong" rule, the 8- vs
9-item comparison, and byte-identical results whatever Python's string hashing.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from civcomp import paths
from civcomp.analyses import capacity_structural as cs
from civcomp.analyses.capacity import ITEMS as TABLE3_ITEMS
from civcomp.io import params
from civcomp.io.outputs import dumps_json
from civcomp.stats import efa
from civcomp.synth import generate_all, to_csv_bytes

REF = json.loads((paths.ROOT / "tests" / "reference" / "lavaan" / "reference_lavaan.json").read_text())
ITEMS = list(TABLE3_ITEMS)
OUTCOME, DETERMINANTS = ITEMS[0], ITEMS[1:]
TOL = 1e-4


def _toy(n: int = 800, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    f = rng.normal(size=n)
    w = np.linspace(0.9, 0.3, len(ITEMS))
    return pd.DataFrame({v: f * wi + rng.normal(size=n) for v, wi in zip(ITEMS, w)})


@pytest.fixture(scope="module")
def regional() -> pd.DataFrame:
    """Notebook 03's sample on the twin ``civcomp synthesize`` writes (the lavaan reference's input)."""
    frame = generate_all(int(params.load_global()["seed"]), only=["capacity_survey"])["capacity_survey"]
    raw = to_csv_bytes(frame)
    if hashlib.md5(raw).hexdigest() != REF["meta"]["capacity_md5"]:
        pytest.fail(
            "the capacity twin changed since tests/reference/lavaan/reference_lavaan.json was made: "
            "`civcomp synthesize --only capacity_survey && Rscript tests/reference/lavaan/make_reference.R`"
        )
    df = pd.read_csv(io.BytesIO(raw))
    df = df.loc[df["level"] == "regional", ITEMS].astype(float)
    return df.where((df >= 1) & (df <= 10))


@pytest.fixture(scope="module")
def model(regional) -> cs.Structural:
    return cs.fit_structural(regional, OUTCOME, DETERMINANTS)


def test_results_reproduce_lavaan_on_the_twin(model, regional):
    """The keys notebook 03 publishes agree with lavaan (capacity_cfa, capacity_path) to 1e-4."""
    res8 = efa.efa(regional, DETERMINANTS, n_factors=1, parallel_iterations=0)
    out = cs.structural_values(model, res8)
    ref = REF["models"]["capacity_cfa"]["fit"]
    for k in ("chisq", "df", "cfi", "tli", "rmsea", "srmr", "pvalue"):
        assert out[f"sem_cfa_{k}"] == pytest.approx(ref[k], abs=TOL), k
    assert out["sem_cfa_rmsea_ci_low"] == pytest.approx(ref["rmsea_ci_lower"], abs=TOL)
    assert out["sem_cfa_rmsea_ci_high"] == pytest.approx(ref["rmsea_ci_upper"], abs=TOL)
    est = pd.DataFrame(REF["models"]["capacity_cfa"]["estimates"])
    for _, r in est[est["op"] == "=~"].iterrows():
        assert out[f"sem_cfa_loading_{r['rhs']}"] == pytest.approx(r["est.std"], abs=TOL)
    path = REF["models"]["capacity_path"]
    assert out["sem_path_r2"] == pytest.approx(path["r2"][OUTCOME], abs=TOL)
    est = pd.DataFrame(path["estimates"])
    for _, r in est[est["op"] == "~"].iterrows():
        d = r["rhs"]
        assert out[f"sem_path_beta_{d}"] == pytest.approx(r["est.std"], abs=TOL)
        assert out[f"sem_path_beta_{d}_ci_low"] == pytest.approx(r["ci.lower"], abs=TOL)
        assert out[f"sem_path_beta_{d}_ci_high"] == pytest.approx(r["ci.upper"], abs=TOL)
        assert out[f"sem_path_p_{d}"] == pytest.approx(r["pvalue"], abs=TOL)
    assert out["sem_n"] == out["sem_path_n"] == path["n"] and out["sem_n_determinants"] == 8
    assert sum(out[f"sem_dominance_{d}"] for d in DETERMINANTS) == pytest.approx(out["sem_path_r2"], abs=1e-8)
    assert out["sem_n_strong"] == sum(out[f"sem_strong_{d}"] for d in DETERMINANTS)
    assert out["adequacy8_kmo"] == pytest.approx(res8.kmo, abs=1e-9)
    json.loads(dumps_json(out))  # JSON-able as write_results needs


def test_tables(model):
    labels = {v: v.upper() for v in ITEMS}
    t = cs.path_table(model, labels, 0.95)
    assert t["rank"].tolist() == sorted(t["rank"]) and set(t["determinant"]) == set(DETERMINANTS)
    assert (t["label"] == t["determinant"].str.upper()).all()
    assert ((t["ci_low"] < t["beta"]) & (t["beta"] < t["ci_high"])).all()
    narrow = cs.path_table(model, labels, 0.90)
    assert ((narrow["ci_high"] - narrow["ci_low"]) < (t["ci_high"] - t["ci_low"])).all()
    assert t["pratt"].sum() == pytest.approx(1, abs=1e-8)
    assert t["strong"].tolist() == cs.strong_rule(t.rename(columns={"dominance_share": "share"})).tolist()
    fit = cs.cfa_fit_table(model.cfa, 0.95, 0.95, 0.06, 0.08).set_index("measure")
    assert fit.loc["RMSEA", "ci_low"] <= fit.loc["RMSEA", "value"] <= fit.loc["RMSEA", "ci_high"]
    assert fit.loc["CFI", "meets"] == (model.cfa.fit["cfi"] >= 0.95)
    assert fit.loc["SRMR", "meets"] == (model.cfa.fit["srmr"] <= 0.08)
    assert fit.loc["chi-square", "meets"] is None
    lt = cs.loadings_table(model.cfa, labels)
    np.testing.assert_allclose(lt["r2"], lt["std_loading"] ** 2, atol=1e-7)  # one factor: R² = λ²


def test_strong_rule_boundaries():
    k = 4
    imp = pd.DataFrame({"share": [1 / k, 1 / k - 1e-6, 0.5, 0.5], "pratt": [0.2, 0.2, 1 / (2 * k), 0.126]})
    assert cs.strong_rule(imp).tolist() == [True, False, False, True]


def test_adequacy_comparison_eight_vs_nine():
    df = _toy()
    r9 = efa.efa(df, ITEMS, n_factors=1, parallel_iterations=0)
    r8 = efa.efa(df, DETERMINANTS, n_factors=1, parallel_iterations=0)
    t = cs.adequacy_comparison(r9, r8, {}).set_index("key")
    assert t.loc["kmo", "all_items"] == pytest.approx(r9.kmo) and t.loc["kmo", "determinants"] == pytest.approx(r8.kmo)
    assert t.loc["bartlett_df", "all_items"] == 36 and t.loc["bartlett_df", "determinants"] == 28
    assert np.isnan(t.loc[f"communality_{OUTCOME}", "determinants"])
    c = f"communality_{DETERMINANTS[0]}"
    assert t.loc[c, "difference"] == pytest.approx(
        r8.communalities[DETERMINANTS[0]] - r9.communalities[DETERMINANTS[0]]
    )


_SCRIPT = """
import json, sys, numpy as np, pandas as pd
sys.path.insert(0, {tests!r})
from test_capacity_structural import _toy, OUTCOME, DETERMINANTS
from civcomp.analyses import capacity_structural as cs
from civcomp.stats import efa
df = _toy()
s = cs.fit_structural(df, OUTCOME, DETERMINANTS)
from civcomp.stats import sem
hs = pd.read_csv({hs!r})
raw = sem.fit(hs, "visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6; speed =~ x7 + x8 + x9").loadings
print(json.dumps(cs.structural_values(s, efa.efa(df, DETERMINANTS, n_factors=1, parallel_iterations=0)), sort_keys=True))
print(json.dumps(raw["std_all"].tolist()))
"""


def test_results_identical_whatever_the_hash_seed():
    """semopy orders parameters by set iteration (string hashing); the published numbers must not move."""
    code = _SCRIPT.format(
        tests=str(Path(__file__).parent),
        hs=str(paths.ROOT / "tests" / "reference" / "lavaan" / "HolzingerSwineford1939.csv"),
    )
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.append(
            subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
        )
    published = [o.splitlines()[0] for o in outs]
    assert published[0] == published[1]
    assert json.loads(published[0])["sem_cfa_df"] == 27
    # unrounded estimates agree to 1e-12 (semopy's own optimum differs by ~1e-9 between hash seeds)
    raw = [np.array(json.loads(o.splitlines()[1])) for o in outs]
    np.testing.assert_allclose(raw[0], raw[1], rtol=0, atol=1e-12)


def _params() -> dict:
    p = {**params.load_global(), **params.load_step("03_innovative_capacity")}
    p.update(parallel_iterations=10)
    return p


def test_results_publish_section_4_and_reuse_the_factor_model():
    df = _toy().assign(level="regional")
    p = _params()
    pub = cs.results({"capacity_survey": df}, p)
    assert list(pub.tables) == ["sem_cfa_fit", "sem_cfa_loadings", "sem_paths_importance", "adequacy_8_vs_9"]
    res8 = efa.efa(df, DETERMINANTS, n_factors=1, parallel_iterations=0)
    assert pub.values == cs.structural_values(cs.fit_structural(df, OUTCOME, DETERMINANTS), res8)
    # R² of the path model = R² of ordinary least squares on the same rows
    x = np.column_stack([np.ones(len(df)), df[DETERMINANTS].to_numpy()])
    y = df[OUTCOME].to_numpy()
    resid = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    assert pub.values["sem_path_r2"] == pytest.approx(1 - resid.var() / y.var(), abs=1e-6)
    # the factor model of all items passed in (as notebook 03 does) gives the same comparison table
    given = efa.efa(df, ITEMS, n_factors="auto", bootstrap_resamples=20, seed=1, parallel_iterations=10)
    again = cs.results({"capacity_survey": df}, p, efa_all=given)
    pd.testing.assert_frame_equal(again.tables["adequacy_8_vs_9"], pub.tables["adequacy_8_vs_9"])
    assert again.values == pub.values
