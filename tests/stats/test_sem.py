"""civcomp.stats.sem and civcomp.stats.importance against R lavaan 0.6.14.

Reference: tests/reference/lavaan/reference_lavaan.json, written by
``Rscript tests/reference/lavaan/make_reference.R`` (R is not needed to run these tests).
Data: Holzinger & Swineford (1939) and Bollen's political democracy (public, shipped with lavaan,
exported to tests/reference/lavaan/) and the capacity survey's synthetic twin, generated here in memory
exactly as ``civcomp synthesize`` writes it; the reference records the md5 of the twin file it used.
"""

from __future__ import annotations

import doctest
import hashlib
import io
import itertools
import json
import math
import re

import numpy as np
import pandas as pd
import pytest
import semopy

from civcomp import paths
from civcomp.analyses.capacity import ITEMS as TABLE3_ITEMS
from civcomp.io import params
from civcomp.stats import importance, sem
from civcomp.synth import generate_all, to_csv_bytes

HERE = paths.ROOT / "tests" / "reference" / "lavaan"
REF = json.loads((HERE / "reference_lavaan.json").read_text())
TOL = 1e-4
ITEMS = list(TABLE3_ITEMS)
FIT_KEYS = ["chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr"]
REGENERATE = (
    "the capacity twin differs from the one tests/reference/lavaan/reference_lavaan.json was made "
    "from (md5 {mine} vs {ref}). If the twin was recalibrated on purpose, refresh the reference: "
    "`civcomp synthesize --only capacity_survey && Rscript tests/reference/lavaan/make_reference.R`, "
    "review the diff and commit reference_lavaan.json."
)


def capacity_sample(raw: pd.DataFrame) -> pd.DataFrame:
    """The analysed sample of notebook 03: regional rows, the nine items, codes outside 1-10 -> NaN."""
    df = raw.loc[raw["level"].astype(str) == "regional", ITEMS].apply(pd.to_numeric, errors="coerce")
    df = df.astype(float)
    return df.where((df >= 1) & (df <= 10))


@pytest.fixture(scope="module")
def twin() -> pd.DataFrame:
    """The capacity twin as ``civcomp synthesize`` (default seed) writes it, read back from its CSV bytes."""
    frame = generate_all(int(params.load_global()["seed"]), only=["capacity_survey"])["capacity_survey"]
    raw = to_csv_bytes(frame)
    mine, ref = hashlib.md5(raw).hexdigest(), REF["meta"]["capacity_md5"]
    if mine != ref:
        pytest.fail(REGENERATE.format(mine=mine, ref=ref))
    return pd.read_csv(io.BytesIO(raw))


@pytest.fixture(scope="module")
def data(twin):
    cs = capacity_sample(twin).dropna()  # the analysed sample: complete on the nine items (notebook 03, the R script)
    return {
        "hs1939": pd.read_csv(HERE / "HolzingerSwineford1939.csv"),
        "political_democracy": pd.read_csv(HERE / "PoliticalDemocracy.csv"),
        "capacity_cfa": cs,
        "capacity_path": cs,
        "capacity_mediation": cs,
    }


@pytest.fixture(scope="module")
def results(data):
    return {k: sem.fit(data[k], REF["models"][k]["syntax"]) for k in REF["models"]}


MODELS = list(REF["models"])


def _ref_est(key: str, op: str) -> pd.DataFrame:
    est = pd.DataFrame(REF["models"][key]["estimates"])
    return est[est["op"] == op].set_index(["lhs", "rhs"])


# --- fit measures ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", MODELS)
def test_n_matches_lavaan(results, key):
    assert results[key].n == REF["models"][key]["n"]


@pytest.mark.parametrize("key", MODELS)
@pytest.mark.parametrize("measure", FIT_KEYS)
def test_fit_measure_matches_lavaan(results, key, measure):
    mine = results[key].fit[measure]
    ref = REF["models"][key]["fit"][measure]
    if ref is None:  # lavaan NA: p-value of a saturated model
        assert math.isnan(mine)
    else:
        assert mine == pytest.approx(ref, abs=TOL)


@pytest.mark.parametrize("key", MODELS)
def test_rmsea_ci_matches_lavaan(results, key):
    lo, hi = results[key].fit["rmsea_ci"]
    ref = REF["models"][key]["fit"]
    assert lo == pytest.approx(ref["rmsea_ci_lower"], abs=TOL)
    assert hi == pytest.approx(ref["rmsea_ci_upper"], abs=TOL)
    assert lo <= results[key].fit["rmsea"] <= hi


@pytest.mark.parametrize("key", MODELS)
def test_baseline_model_matches_lavaan(results, key):
    ref = REF["models"][key]["fit"]
    assert results[key].extra["baseline_df"] == ref["baseline_df"]
    assert results[key].extra["baseline_chisq"] == pytest.approx(ref["baseline_chisq"], abs=1e-3)
    assert results[key].extra["fmin"] == pytest.approx(ref["fmin"], abs=1e-7)


def test_fit_dict_has_exactly_the_agreed_keys(results):
    for r in results.values():
        assert set(r.fit) == {"chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea_ci", "srmr"}


def test_holzinger_swineford_tutorial_values(results):
    """lavaan tutorial: chi2 85.306, df 24, CFI .931, TLI .896, RMSEA .092, SRMR .065."""
    f = results["hs1939"].fit
    assert round(f["chisq"], 3) == 85.306
    assert f["df"] == 24
    assert round(f["cfi"], 3) == 0.931
    assert round(f["tli"], 3) == 0.896
    assert round(f["rmsea"], 3) == 0.092
    assert round(f["srmr"], 3) == 0.065


def test_political_democracy_tutorial_values(results):
    """lavaan tutorial (Bollen 1989 SEM): chi2 38.125, df 35, p .329, CFI .995, TLI .993, RMSEA .035,
    90% CI .000-.092, SRMR .044."""
    f = results["political_democracy"].fit
    assert round(f["chisq"], 3) == 38.125 and f["df"] == 35 and round(f["pvalue"], 3) == 0.329
    assert round(f["cfi"], 3) == 0.995 and round(f["tli"], 3) == 0.993
    assert round(f["rmsea"], 3) == 0.035 and round(f["srmr"], 3) == 0.044
    assert round(f["rmsea_ci"][0], 3) == 0.0 and round(f["rmsea_ci"][1], 3) == 0.092


# --- estimates -----------------------------------------------------------------------------------


def test_reference_covers_the_expected_models():
    assert set(MODELS) == {"hs1939", "political_democracy", "capacity_cfa", "capacity_path", "capacity_mediation"}


@pytest.mark.parametrize("key", ["hs1939", "political_democracy", "capacity_cfa"])
def test_loadings_match_lavaan(results, key):
    ref = _ref_est(key, "=~")
    mine = results[key].loadings.set_index(["latent", "indicator"])
    assert list(mine.index) == list(ref.index)
    np.testing.assert_allclose(mine["std_all"], ref["est.std"], rtol=0, atol=TOL)
    np.testing.assert_allclose(mine["std_se"], ref["se_std"], rtol=0, atol=TOL)
    np.testing.assert_allclose(mine["est"], ref["est_raw"], rtol=0, atol=TOL)
    free = ref["se_raw"] > 0
    np.testing.assert_allclose(mine["se"][free], ref["se_raw"][free], rtol=0, atol=TOL)
    assert mine["se"][~free].isna().all()  # fixed first loading: no SE


@pytest.mark.parametrize("key", ["political_democracy", "capacity_path", "capacity_mediation"])
def test_paths_match_lavaan(results, key):
    ref = _ref_est(key, "~")
    mine = results[key].paths.set_index(["lhs", "rhs"])
    assert list(mine.index) == list(ref.index)
    np.testing.assert_allclose(mine["std_all"], ref["est.std"], rtol=0, atol=TOL)
    np.testing.assert_allclose(mine["se"], ref["se_std"], rtol=0, atol=TOL)
    np.testing.assert_allclose(mine["ci_lower"], ref["ci.lower"], rtol=0, atol=TOL)
    np.testing.assert_allclose(mine["ci_upper"], ref["ci.upper"], rtol=0, atol=TOL)
    np.testing.assert_allclose(mine["pvalue"], ref["pvalue"], rtol=0, atol=TOL)
    np.testing.assert_allclose(mine["est"], ref["est_raw"], rtol=0, atol=TOL)
    np.testing.assert_allclose(mine["est_se"], ref["se_raw"], rtol=0, atol=TOL)


@pytest.mark.parametrize("key", MODELS)
def test_r2_matches_lavaan(results, key):
    ref = REF["models"][key]["r2"]
    mine = results[key].r2
    assert set(mine) == set(ref)
    for v, val in ref.items():
        assert mine[v] == pytest.approx(val, abs=TOL), v


def test_path_r2_equals_ols_r2(data, results):
    ri = importance.relative_importance(data["capacity_path"], ITEMS[0], ITEMS[1:])
    assert results["capacity_path"].r2[ITEMS[0]] == pytest.approx(ri.attrs["r2"], abs=1e-10)


# --- the definitions are discriminating: the alternatives we rejected would fail -------------------


def test_semopy_own_rmsea_would_not_match(data):
    """semopy's calc_stats uses N-1 in the RMSEA; lavaan uses N. The difference exceeds the tolerance."""
    m = semopy.Model(REF["models"]["hs1939"]["syntax"])
    m.fit(data["hs1939"])
    semopy_rmsea = float(semopy.calc_stats(m).T.loc["RMSEA"].iloc[0])
    assert abs(semopy_rmsea - REF["models"]["hs1939"]["fit"]["rmsea"]) > TOL


def test_semopy_own_df_would_not_match(data):
    """semopy counts the fixed-x moments in df (36 for the saturated path model); lavaan's df is 0."""
    m = semopy.Model(REF["models"]["capacity_path"]["syntax"])
    m.fit(data["capacity_path"])
    assert semopy.calc_stats(m).T.loc["DoF"].iloc[0] != REF["models"]["capacity_path"]["fit"]["df"]


def test_wrong_sample_would_be_detected(twin):
    """Fitting on all levels (not the regional sample) moves the CFA fit beyond the tolerance."""
    allrows = twin[ITEMS]
    r = sem.fit(allrows, REF["models"]["capacity_cfa"]["syntax"])
    assert abs(r.fit["chisq"] - REF["models"]["capacity_cfa"]["fit"]["chisq"]) > TOL


def test_reference_records_the_twin_it_was_made_from(twin):
    assert REF["meta"]["capacity_rows_complete"] == capacity_sample(twin).dropna().shape[0]
    assert REF["meta"]["lavaan"] == "0.6.14"


# --- data handling and API -------------------------------------------------------------------


def test_missing_codes_are_dropped_listwise(twin):
    df = capacity_sample(twin).dropna()
    raw = twin.loc[df.index].copy()  # complete rows only
    raw.iloc[:5, raw.columns.get_loc("salary")] = 99  # inject missing codes
    prepared = capacity_sample(raw)
    r = sem.fit(prepared, REF["models"]["capacity_cfa"]["syntax"])
    assert r.n == len(df) - 5
    assert r.extra["n_dropped"] == 5


def test_to_dict_is_json_serialisable(results):
    for r in results.values():
        d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
        assert d["n"] == r.n
        assert len(d["fit"]["rmsea_ci"]) == 2


def test_errors():
    df = pd.DataFrame(np.random.default_rng(0).normal(size=(50, 3)), columns=["a", "b", "c"])
    with pytest.raises(sem.SEMError):
        sem.fit(df, "f =~ a + b + c", estimator="WLSMV")
    with pytest.raises(sem.SEMError):
        sem.fit(df, "f =~ a + b + d")
    with pytest.raises(sem.SEMError):
        importance.relative_importance(df, "a", [])


@pytest.mark.parametrize(
    "model, message",
    [
        ("f =~ a + b + zz", "not in the data: zz"),
        ("f =~ a + b + txt", "column 'txt' is not numeric: data row 3 has value 'x'"),
        ("f =~ a + b", "not identified (df = -1 < 0)"),
        ("f =~ a + b + c; g =~ d", "not identified"),
        ("f =~ a +* b", "cannot read the model"),
        ("a b c", "cannot parse model statement 'a b c'"),
        ("# nothing", "the model is empty"),
        ("f =~ a + b + k", "constant"),
    ],
)
def test_clear_errors(model, message):
    rng = np.random.default_rng(0)
    f = rng.normal(size=60)
    df = pd.DataFrame({v: f + rng.normal(size=60) for v in "abcd"})
    df["txt"] = ["1", "2", "x"] + ["3"] * 57
    df["k"] = 1.0
    with pytest.raises(sem.SEMError, match=re.escape(message)):
        sem.fit(df, model)


def test_semicolons_and_comments_equal_newlines(data):
    a = sem.fit(data["hs1939"], REF["models"]["hs1939"]["syntax"])
    b = sem.fit(data["hs1939"], "visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6  # comment\n speed =~ x7 + x8 + x9")
    assert a.fit == b.fit


def test_fit_measures_saturated_and_independence():
    s = np.array([[2.0, 0.5, 0.3], [0.5, 1.0, 0.2], [0.3, 0.2, 1.5]])
    sat = sem.fit_measures(s, s, n=200, npar=6)
    assert sat["df"] == 0 and sat["chisq"] == pytest.approx(0, abs=1e-10)
    assert sat["cfi"] == 1 and sat["tli"] == 1 and sat["rmsea"] == 0 and sat["rmsea_ci"] == (0.0, 0.0)
    ind = sem.fit_measures(s, np.diag(np.diag(s)), n=200, npar=3)
    assert ind["chisq"] == pytest.approx(ind["baseline_chisq"])
    assert ind["cfi"] == pytest.approx(0.0) and ind["tli"] == pytest.approx(0.0)


# --- relative importance -------------------------------------------------------------------------


def _ols_r2(y: np.ndarray, x: np.ndarray) -> float:
    """R^2 by least squares on the raw data (independent of sem's correlation-matrix algebra)."""
    if x.shape[1] == 0:
        return 0.0
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    return 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))


def _shapley(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Shapley values of R^2 with factorial weights |S|!(p-|S|-1)!/p!, brute force over all subsets."""
    p = x.shape[1]
    out = np.zeros(p)
    for j in range(p):
        others = [k for k in range(p) if k != j]
        for size in range(p):
            w = math.factorial(size) * math.factorial(p - size - 1) / math.factorial(p)
            for s in itertools.combinations(others, size):
                out[j] += w * (_ols_r2(y, x[:, list(s) + [j]]) - _ols_r2(y, x[:, list(s)]))
    return out


def test_dominance_matches_brute_force_shapley(data):
    d = data["capacity_path"].dropna().iloc[:1500]  # 2 x 1,024 least-squares fits: a subsample keeps it fast
    ri = importance.relative_importance(d, ITEMS[0], ITEMS[1:])
    y, x = d[ITEMS[0]].to_numpy(), d[ITEMS[1:]].to_numpy()
    np.testing.assert_allclose(ri["general_dominance"], _shapley(y, x), rtol=0, atol=1e-10)
    assert ri["general_dominance"].sum() == pytest.approx(_ols_r2(y, x), abs=1e-10)
    assert ri.attrs["n"] == len(d)


def test_dominance_two_predictor_hand_case():
    """p = 2: GD_a = (r_ya^2 + (R^2 - r_yb^2)) / 2, by hand from the correlations."""
    rng = np.random.default_rng(7)
    a, b = rng.normal(size=200), rng.normal(size=200)
    y = 0.6 * a + 0.3 * b + rng.normal(size=200)
    df = pd.DataFrame({"y": y, "a": a + 0.5 * b, "b": b})
    r = df.corr().to_numpy()
    r_ya, r_yb, r_ab = r[0, 1], r[0, 2], r[1, 2]
    r2 = (r_ya**2 + r_yb**2 - 2 * r_ya * r_yb * r_ab) / (1 - r_ab**2)
    ri = importance.relative_importance(df, "y", ["a", "b"]).set_index("variable")
    assert ri.loc["a", "general_dominance"] == pytest.approx((r_ya**2 + r2 - r_yb**2) / 2, abs=1e-12)
    assert ri.loc["b", "general_dominance"] == pytest.approx((r_yb**2 + r2 - r_ya**2) / 2, abs=1e-12)
    assert ri.attrs["r2"] == pytest.approx(r2, abs=1e-12)


def test_pratt_measures(data):
    d = data["capacity_path"]
    ri = importance.relative_importance(d, ITEMS[0], ITEMS[1:])
    assert ri["pratt"].sum() == pytest.approx(1.0, abs=1e-12)
    z = (d - d.mean()) / d.std()
    beta, *_ = np.linalg.lstsq(z[ITEMS[1:]].to_numpy(), z[ITEMS[0]].to_numpy(), rcond=None)
    np.testing.assert_allclose(ri["beta"], beta, atol=1e-10)
    r = d.corr()[ITEMS[0]][ITEMS[1:]].to_numpy()
    np.testing.assert_allclose(ri["pratt"], beta * r / ri.attrs["r2"], atol=1e-10)
    # the standardized path coefficients of the SEM are these betas
    res = sem.fit(d, REF["models"]["capacity_path"]["syntax"])
    np.testing.assert_allclose(res.paths["std_all"], beta, atol=1e-8)


def test_complete_dominance_is_consistent(data):
    ri = importance.relative_importance(data["capacity_path"], ITEMS[0], ITEMS[1:])
    cd = ri.attrs["complete_dominance"]
    gd = ri.set_index("variable")["general_dominance"]
    for i, j in itertools.permutations(cd.index, 2):
        assert not (cd.loc[i, j] and cd.loc[j, i])
        if cd.loc[i, j]:  # complete dominance implies general dominance
            assert gd[i] > gd[j]


@pytest.mark.parametrize("module", [sem, importance])
def test_doctests(module):
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert tried >= 3
    assert failures == 0


def test_accepts_nullable_integer_columns(twin):
    """civcomp.io.load returns Int64 columns with <NA> for missing codes; fit and relative_importance
    must treat <NA> as missing (listwise)."""
    complete = capacity_sample(twin).dropna().index  # the analysed rows; the twin's 99 codes are outside them
    raw = twin.loc[complete, ITEMS].astype("Int64")
    raw.iloc[:3, 2] = pd.NA
    r = sem.fit(raw, REF["models"]["capacity_path"]["syntax"])
    assert r.n == REF["models"]["capacity_path"]["n"] - 3
    ri = importance.relative_importance(raw, ITEMS[0], ITEMS[1:])
    assert ri.attrs["n"] == r.n


# --- civcomp cfa ---------------------------------------------------------------------------------

HS_FILE = HERE / "HolzingerSwineford1939.csv"
HS_MODEL = "visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6; speed =~ x7 + x8 + x9"


def _cfa(argv, capsys):
    from civcomp.cli import main

    code = main(["cfa", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_holzinger_swineford_tutorial_values(capsys):
    """The acceptance case through the command: lavaan's tutorial prints chi2 85.306, df 24, CFI .931,
    TLI .896, RMSEA .092, SRMR .065; every value also agrees with the reference JSON to 1e-4."""
    code, out, err = _cfa([str(HS_FILE), "--model", HS_MODEL, "--json"], capsys)
    assert code == 0 and err == ""
    res = json.loads(out)
    f = res["fit"]
    assert set(f) == {"chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea_ci", "srmr"}
    assert (
        round(f["chisq"], 3),
        f["df"],
        round(f["cfi"], 3),
        round(f["tli"], 3),
        round(f["rmsea"], 3),
        round(f["srmr"], 3),
    ) == (85.306, 24, 0.931, 0.896, 0.092, 0.065)
    ref = REF["models"]["hs1939"]["fit"]
    for k in FIT_KEYS:
        assert f[k] == pytest.approx(ref[k], abs=TOL), k
    assert f["rmsea_ci"] == pytest.approx([ref["rmsea_ci_lower"], ref["rmsea_ci_upper"]], abs=TOL)
    lav = _ref_est("hs1939", "=~")
    mine = pd.DataFrame(res["loadings"]).set_index(["latent", "indicator"])
    np.testing.assert_allclose(mine["std_all"], lav["est.std"], atol=TOL)
    assert res["paths"] == [] and res["n"] == 301


def test_cli_paths_and_r2_with_regressions(capsys):
    model = REF["models"]["political_democracy"]["syntax"]
    code, out, _ = _cfa([str(HERE / "PoliticalDemocracy.csv"), "--model", model, "--json"], capsys)
    assert code == 0
    res = json.loads(out)
    lav = _ref_est("political_democracy", "~")
    mine = pd.DataFrame(res["paths"]).set_index(["lhs", "rhs"])
    np.testing.assert_allclose(mine["std_all"], lav["est.std"], atol=TOL)
    np.testing.assert_allclose(mine["ci_lower"], lav["ci.lower"], atol=TOL)
    for v, val in REF["models"]["political_democracy"]["r2"].items():
        assert res["r2"][v] == pytest.approx(val, abs=TOL)


def test_cli_text_report(capsys):
    code, out, _ = _cfa([str(HS_FILE), "--model", HS_MODEL + "; speed ~ visual"], capsys)
    assert code == 0
    assert "N = 301 complete rows" in out and "RMSEA = " in out and "90% CI" in out
    assert "Standardized loadings" in out and "Standardized regression paths" in out and "R-squared" in out


@pytest.mark.parametrize(
    "model, message",
    [
        ("f =~ x1 + x2 + nope", "not in the data: nope"),
        ("f =~ x1 + x2 + school", "column 'school' is not numeric: data row 1 has value 'Pasteur'"),
        ("f =~ x1 + x2", "not identified"),
        ("f x1 x2", "cannot parse model statement"),
    ],
)
def test_cli_errors_name_file_and_column_without_traceback(model, message, capsys):
    code, out, err = _cfa([str(HS_FILE), "--model", model], capsys)
    assert code == 1 and out == ""
    assert err.startswith(f"civcomp cfa: {HS_FILE}: ") and message in err
    assert "Traceback" not in err


def test_cli_missing_file_and_help(tmp_path, capsys):
    code, _, err = _cfa([str(tmp_path / "absent.csv"), "--model", "f =~ a + b + c"], capsys)
    assert code == 1 and "absent.csv" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        _cfa(["--help"], capsys)
    from civcomp.commands import cfa

    with pytest.raises(SystemExit):
        cfa.cli(["--help"])
    assert "(default: ML)" in capsys.readouterr().out


def test_cli_missing_codes(tmp_path, capsys):
    hs = pd.read_csv(HS_FILE)
    hs.loc[:9, "x4"] = 99
    f = tmp_path / "hs99.csv"
    hs.to_csv(f, index=False)
    code, out, _ = _cfa([str(f), "--model", HS_MODEL, "--missing-codes", "99", "--json"], capsys)
    assert code == 0 and json.loads(out)["n"] == 291
    code, _, err = _cfa([str(f), "--model", HS_MODEL, "--missing-codes", "x"], capsys)
    assert code == 1 and "--missing-codes" in err
