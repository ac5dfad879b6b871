"""civcomp.stats.efa against R's psych (committed reference values), its guards, and the CLI.

Reference values: tests/reference/psych/ (make_reference.R; R is not needed to run these tests).
Tolerances: 1e-6 for closed-form statistics (KMO, Bartlett, principal components, alpha),
1e-3 for iterative ones (minres, pa, ml, rotations, omega), loadings up to column sign and order.
"""

from __future__ import annotations

import json
import warnings
from functools import cache

import numpy as np
import pandas as pd
import pytest

from civcomp import paths
from civcomp.commands import efa as efa_cmd
from civcomp.stats import efa as E
from civcomp.stats.efa import adequacy
from civcomp.stats.efa import extraction as extract_mod

REF = paths.TESTS / "reference" / "psych"
K = {"bfi": 5, "holzinger9": 3, "harman74": 4}


@cache
def ref() -> pd.DataFrame:
    df = pd.read_csv(REF / "reference_values.csv", keep_default_na=False, dtype={"row": str, "col": str})
    df["value"] = pd.to_numeric(df["value"])
    return df


def rv(ds, an, st) -> pd.DataFrame:
    r = ref()
    out = r[(r.dataset == ds) & (r.analysis == an) & (r.statistic == st)]
    assert len(out), (ds, an, st)
    return out


def scalar(ds, an, st) -> float:
    return float(rv(ds, an, st).value.iloc[0])


def vector(ds, an, st, items=None) -> np.ndarray:
    s = rv(ds, an, st)
    return s.set_index("row").loc[items, "value"].to_numpy() if items is not None else s.value.to_numpy()


def matrix(ds, an, st, items) -> np.ndarray:
    s = rv(ds, an, st)
    m = s.pivot(index="row", columns="col", values="value")
    return m.loc[items, list(dict.fromkeys(s.col))].to_numpy()  # R's column order


@cache
def dataset(name: str):
    """(correlation matrix, n, columns, raw x or None) exactly as the tests feed civcomp.stats.efa."""
    if name == "harman74":
        m = pd.read_csv(REF / "harman74_cor.csv", index_col=0)
        return m.to_numpy(), 145, list(m.columns), None
    file = {"bfi": "bfi.csv", "holzinger9": "holzinger9.csv"}[name]
    prep = E.prepare(pd.read_csv(REF / file))
    cov, r = E.correlation(prep)
    return r, prep.n, prep.columns, prep.x


def match(ours: np.ndarray, theirs: np.ndarray) -> tuple[float, list[int], np.ndarray]:
    """Max |difference| after matching our columns to R's by permutation and sign."""
    from itertools import permutations

    k = ours.shape[1]
    best = (np.inf, None, None)
    for perm in permutations(range(k)):
        o = ours[:, perm]
        s = np.where((o * theirs).sum(axis=0) < 0, -1.0, 1.0)
        d = np.abs(o * s - theirs).max()
        if d < best[0]:
            best = (d, list(perm), s)
    return best


# ------------------------------------------------------------------ adequacy, closed form
@pytest.mark.parametrize("name", list(K))
def test_kmo_matches_psych(name):
    r, n, cols, _ = dataset(name)
    overall, msa = E.kmo(r)
    assert abs(overall - scalar(name, "kmo", "overall")) < 1e-6
    assert np.abs(msa - vector(name, "kmo", "msa", cols)).max() < 1e-6


@pytest.mark.parametrize("name", list(K))
def test_bartlett_matches_psych(name):
    r, n, cols, _ = dataset(name)
    b = E.bartlett(r, n)
    assert abs(b["chi2"] - scalar(name, "bartlett", "chi2")) < 1e-6
    assert b["df"] == scalar(name, "bartlett", "df")
    p_ref = scalar(name, "bartlett", "p")
    assert b["p"] == pytest.approx(p_ref, rel=1e-6, abs=1e-300)
    assert abs(b["log10_p"] - scalar(name, "bartlett", "log10_p")) < 1e-6


def test_bartlett_log10_p_beyond_underflow():
    # bfi: p underflows to 0 in double precision; psych's log.p gives -3611.2, and so must we
    r, n, _, _ = dataset("bfi")
    b = E.bartlett(r, n)
    assert b["p"] == 0.0 and np.isfinite(b["log10_p"]) and b["log10_p"] < -3000
    # the continued fraction agrees with scipy where scipy is still finite
    from scipy import stats

    assert adequacy._log10_upper_gamma_cf(22.5, 750.0) == pytest.approx(
        stats.chi2.logsf(1500, 45) / np.log(10), abs=1e-9
    )


def test_bartlett_uses_log_determinant_for_many_items():
    # 1,000 items with r = .6: det(R) = 0.4^999 (1 + 999 * .6) underflows to 0.0, its logarithm is fine
    p, n = 1000, 5000
    r = np.full((p, p), 0.6) + 0.4 * np.eye(p)
    assert np.linalg.det(r) == 0.0
    b = E.bartlett(r, n=n)
    logdet = (p - 1) * np.log(0.4) + np.log(0.4 + 0.6 * p)
    assert b["chi2"] == pytest.approx(-logdet * (n - 1 - (2 * p + 5) / 6), rel=1e-10)


@pytest.mark.parametrize("name", list(K))
def test_eigenvalues_match_psych(name):
    r, *_ = dataset(name)
    ev = np.sort(np.linalg.eigvalsh(r))[::-1]
    assert np.abs(ev - vector(name, "eigen", "values")).max() < 1e-6
    assert np.abs(ev - vector(name, "parallel", "pc_values")).max() < 1e-6


@pytest.mark.parametrize("name", list(K))
@pytest.mark.parametrize("nf,rot", [(1, "none"), (3, "none"), (3, "varimax")])
def test_principal_matches_psych(name, nf, rot):
    r, n, cols, _ = dataset(name)
    a = f"principal_{nf}_{rot}"
    lo, _ = E.extract(r, nf, "principal")
    assert np.abs((lo**2).sum(axis=1) - vector(name, a, "communality", cols)).max() < 1e-6
    rotated, phi = E.rotate(lo, rot)
    assert phi is None
    assert match(rotated, matrix(name, a, "loadings", cols))[0] < 1e-6


# ------------------------------------------------------------------ iterative methods
@cache
def extracted(name, method):
    r, n, cols, _ = dataset(name)
    return E.extract(r, K[name], method)[0]


@pytest.mark.parametrize("name", list(K))
@pytest.mark.parametrize("method", ["minres", "pa", "ml"])
@pytest.mark.parametrize("rot", ["none", "varimax", "oblimin", "promax"])
def test_fa_matches_psych(name, method, rot):
    r, n, cols, _ = dataset(name)
    a = f"fa_{method}_{K[name]}_{rot}"
    lo = extracted(name, method)
    h2 = (lo**2).sum(axis=1)
    assert np.abs(h2 - vector(name, a, "communality", cols)).max() < 1e-3
    rotated, phi = E.rotate(lo, rot)
    diff, perm, signs = match(rotated, matrix(name, a, "loadings", cols))
    assert diff < 1e-3
    if rot in ("oblimin", "promax"):
        # Phi must follow the factors: permuted and signed exactly like the loadings
        phi_r = matrix(name, a, "phi", list(dict.fromkeys(rv(name, a, "phi").row)))
        ours = phi[np.ix_(perm, perm)] * np.outer(signs, signs)
        assert np.abs(ours - phi_r).max() < 1e-3
        # and our factor order and signs are psych's own (not just equal up to them)
        assert perm == list(range(K[name])) and (signs == 1).all()
    else:
        assert phi is None


@pytest.mark.parametrize("name", list(K))
def test_one_factor_minres_and_fa_values_match_psych(name):
    r, n, cols, _ = dataset(name)
    lo, _ = E.extract(r, 1, "minres")
    assert match(lo, matrix(name, "fa_minres_1_none", "loadings", cols))[0] < 1e-3
    reduced = r.copy()
    np.fill_diagonal(reduced, (lo**2).sum(axis=1))
    fa_values = np.sort(np.linalg.eigvalsh(reduced))[::-1]
    assert np.abs(fa_values - vector(name, "parallel", "fa_values")).max() < 1e-3


def test_communalities_come_from_the_unrotated_solution():
    # factor_analyzer sums squared *rotated* pattern loadings: wrong after an oblique rotation
    r, n, cols, x = dataset("holzinger9")
    df = pd.DataFrame(x, columns=cols)
    none = E.efa(df, n_factors=3, method="minres", rotation="none", parallel_iterations=0)
    obl = E.efa(df, n_factors=3, method="minres", rotation="oblimin", parallel_iterations=0)
    assert np.abs(obl.communalities - none.communalities).max() < 1e-12
    assert (
        np.abs(obl.communalities.to_numpy() - vector("holzinger9", "fa_minres_3_oblimin", "communality", cols)).max()
        < 1e-3
    )
    wrong = (obl.loadings.to_numpy() ** 2).sum(axis=1)
    assert np.abs(wrong - obl.communalities.to_numpy()).max() > 0.01


def test_principal_is_exact_eigen_decomposition():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2000, 1)) @ rng.uniform(0.4, 0.9, (1, 12)) + rng.normal(size=(2000, 12))
    r = np.corrcoef(x, rowvar=False)
    lo, _ = E.extract(r, 2, "principal")
    vals, vecs = np.linalg.eigh(r)
    np.testing.assert_allclose((lo**2).sum(axis=0), vals[::-1][:2], rtol=1e-12)
    np.testing.assert_allclose(lo @ lo.T, (vecs[:, ::-1][:, :2] * vals[::-1][:2]) @ vecs[:, ::-1][:, :2].T, atol=1e-12)


# ------------------------------------------------------------------ reliability
@pytest.mark.parametrize("name", ["bfi", "holzinger9"])
def test_alpha_matches_psych(name):
    r, n, cols, x = dataset(name)
    a = E.cronbach_alpha(np.cov(x, rowvar=False), n)
    for key, stat in [
        ("alpha", "raw_alpha"),
        ("alpha_std", "std_alpha"),
        ("ci_low", "feldt_lower"),
        ("ci_high", "feldt_upper"),
    ]:
        assert abs(a[key] - scalar(name, "alpha", stat)) < 1e-6, key


@pytest.mark.parametrize("name", list(K))
def test_omega_total_matches_psych(name):
    r, *_ = dataset(name)
    assert abs(E.omega_total(r) - scalar(name, "omega_1", "omega_tot")) < 1e-3


def test_omega_reflects_negatively_loading_items():
    # bfi has reverse-keyed items: psych reflects them before summing R
    keys = vector("bfi", "omega_1", "key")
    assert (keys < 0).any()
    r, *_ = dataset("bfi")
    lo = extract_mod.pa_batch(r[None], 1, min_err=1e-10, max_iter=2000)[0][0, :, 0]
    lo = lo if lo.sum() > 0 else -lo
    assert (np.sign(lo) == keys).all()


def test_omega_iteration_reaches_the_minres_solution():
    r, *_ = dataset("holzinger9")
    pa = extract_mod.pa_batch(r[None], 1, min_err=1e-12, max_iter=5000)[0][0]
    mr, _ = E.extract(r, 1, "minres")
    assert np.abs(np.abs(pa) - np.abs(mr)).max() < 1e-4


# ------------------------------------------------------------------ missing data
def test_listwise_reports_n_used_and_dropped():
    bfi = pd.read_csv(REF / "bfi.csv")
    res = E.efa(bfi, n_factors=5, method="minres", parallel_iterations=0)
    assert res.n == scalar("bfi", "n", "n") == scalar("bfi_pairwise", "n", "complete_rows")
    assert res.n_dropped == len(bfi) - res.n == 364
    d = res.to_dict()
    assert d["n"] == res.n and d["n_dropped"] == 364


def test_pairwise_matches_r_cor_pairwise():
    bfi = pd.read_csv(REF / "bfi.csv")
    prep = E.prepare(bfi, missing="pairwise")
    cov, r = E.correlation(prep)
    assert np.abs(r - matrix("bfi_pairwise", "cor", "r", prep.columns)).max() < 1e-10
    assert prep.n == scalar("bfi_pairwise", "n", "min_pairwise")
    overall, msa = E.kmo(r)
    assert abs(overall - scalar("bfi_pairwise", "kmo", "overall")) < 1e-6
    assert np.abs(msa - vector("bfi_pairwise", "kmo", "msa", prep.columns)).max() < 1e-6
    lo, _ = E.extract(r, 3, "principal")
    comm = vector("bfi_pairwise", "principal_3_none", "communality", prep.columns)
    assert np.abs((lo**2).sum(axis=1) - comm).max() < 1e-6


def test_missing_values_are_never_imputed():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(300, 1)) + rng.normal(size=(300, 5))
    df = pd.DataFrame(x, columns=list("abcde"))
    df.iloc[::7, 2] = np.nan
    res = E.efa(df, parallel_iterations=0)
    clean = E.efa(df.dropna(), parallel_iterations=0)
    assert (res.n, res.n_dropped) == (len(df.dropna()), df["c"].isna().sum())
    assert res.kmo == pytest.approx(clean.kmo, abs=1e-14)
    # factor_analyzer's default would have filled the median in and used all 300 rows
    from factor_analyzer import calculate_kmo
    from factor_analyzer.utils import impute_values

    assert abs(calculate_kmo(impute_values(df.to_numpy(), how="median"))[1] - res.kmo) > 1e-6


# ------------------------------------------------------------------ Heywood
HEYWOOD = np.array([[1, 0.8, 0.8, 0.3], [0.8, 1, 0.5, 0.3], [0.8, 0.5, 1, 0.3], [0.3, 0.3, 0.3, 1]])


@pytest.mark.parametrize("method,kind", [("ml", "heywood"), ("minres", "ultra_heywood"), ("pa", "ultra_heywood")])
def test_heywood_cases_warn(method, kind):
    with pytest.warns(E.HeywoodWarning, match="Heywood case"):
        res = E.fit(HEYWOOD, 200, list("abcd"), 1, method, parallel_iterations=0)
    assert getattr(res, kind) == ["a"]


def test_no_heywood_warning_for_proper_solution():
    r, n, cols, _ = dataset("holzinger9")
    with warnings.catch_warnings():
        warnings.simplefilter("error", E.HeywoodWarning)
        res = E.fit(r, n, cols, 3, "ml", parallel_iterations=0)
    assert res.heywood == [] and res.ultra_heywood == []


# ------------------------------------------------------------------ number of factors
def test_kaiser_and_scree_rules():
    assert E.n_factors_kaiser(np.array([2.5, 1.3, 1.0, 0.2])) == 2
    # acceleration = l[i+1] - 2 l[i] + l[i-1]; elbow at the 3rd eigenvalue -> 2 factors
    assert E.n_factors_scree(np.array([3.0, 2.6, 0.5, 0.45, 0.45])) == 2
    assert E.n_factors_scree(np.array([5.0, 1.0, 0.9, 0.8, 0.3])) == 1


def test_parallel_analysis_is_seeded_and_finds_structure():
    rng = np.random.default_rng(11)
    f = rng.normal(size=(600, 2))
    x = np.hstack([f[:, :1] + rng.normal(size=(600, 4)), f[:, 1:] + rng.normal(size=(600, 4))])
    r = np.corrcoef(x, rowvar=False)
    a = E.parallel_analysis(x, r, 600, iterations=40, percentile=95, seed=7)
    b = E.parallel_analysis(x, r, 600, iterations=40, percentile=95, seed=7)
    assert a["n_factors"] == 2 and a["kind"] == "resampled"
    np.testing.assert_array_equal(a["threshold"], b["threshold"])
    # resampling permutes each column: every resampled matrix has the observed marginals
    sim = E.parallel_analysis(None, r, 600, iterations=40, seed=7)
    assert sim["kind"] == "simulated" and sim["n_factors"] == 2


def test_all_three_rules_reported_and_the_used_one_named():
    r, n, cols, x = dataset("holzinger9")
    res = E.efa(
        pd.DataFrame(x, columns=cols), n_factors="auto", n_factors_rule="parallel", parallel_iterations=30, seed=1
    )
    assert set(res.n_factors_by) == {"kaiser", "scree", "parallel"}
    assert res.n_factors_rule == "parallel" and res.n_factors == res.n_factors_by["parallel"]
    assert E.efa(pd.DataFrame(x, columns=cols), n_factors=2, parallel_iterations=0).n_factors_rule == "fixed"


# ------------------------------------------------------------------ bootstrap
def _loop_bootstrap(x, k, method, resamples, seed, chunk):
    """Reference implementation: one resample at a time, through the public functions."""
    rng = np.random.default_rng(seed)
    n, p = x.shape
    kmo_, comm, alpha, omega = [], [], [], []
    done = 0
    while done < resamples:
        b = min(chunk, resamples - done)
        idx = rng.integers(0, n, size=(b, n))
        for row in idx:
            xb = x[row]
            prep = E.Prepared(
                x=xb, columns=[str(i) for i in range(p)], n=n, n_dropped=0, n_rows=n, missing="listwise", n_complete=n
            )
            cov, r = (
                E.correlation(prep) if np.isnan(xb).any() else (np.cov(xb, rowvar=False), np.corrcoef(xb, rowvar=False))
            )
            kmo_.append(E.kmo(r)[0])
            lo, _ = E.extract(r, k, method)
            comm.append((lo**2).sum(axis=1))
            alpha.append(E.cronbach_alpha(cov, n)["alpha"])
            omega.append(E.omega_total(r))
        done += b
    return np.array(kmo_), np.array(comm), np.array(alpha), np.array(omega)


@pytest.mark.parametrize("method", ["principal", "pa"])
def test_vectorised_bootstrap_equals_a_loop(method):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(150, 1)) * [0.9, 0.8, 0.7, 0.6, 0.5] + rng.normal(size=(150, 5))
    boot = E.bootstrap(x, 1, method, resamples=30, seed=9, chunk=8)
    kmo_, comm, alpha, omega = _loop_bootstrap(x, 1, method, 30, 9, 8)
    d = boot["draws"]
    np.testing.assert_allclose(d["kmo"], kmo_, atol=1e-10)
    np.testing.assert_allclose(d["comm"], comm, atol=1e-8 if method == "pa" else 1e-10)
    np.testing.assert_allclose(d["alpha"], alpha, atol=1e-10)
    np.testing.assert_allclose(d["omega"], omega, atol=1e-8)


def test_bootstrap_pairwise_equals_a_loop():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(120, 1)) + rng.normal(size=(120, 4))
    x[rng.random(x.shape) < 0.1] = np.nan
    boot = E.bootstrap(x, 1, "principal", resamples=10, seed=3, chunk=4)
    kmo_, comm, _, _ = _loop_bootstrap(x, 1, "principal", 10, 3, 4)
    np.testing.assert_allclose(boot["draws"]["kmo"], kmo_, atol=1e-10)
    np.testing.assert_allclose(boot["draws"]["comm"], comm, atol=1e-10)


def test_bootstrap_is_deterministic_and_ci_brackets_estimate():
    r, n, cols, x = dataset("holzinger9")
    df = pd.DataFrame(x, columns=cols)
    a = E.efa(df, n_factors=1, bootstrap_resamples=200, seed=5, parallel_iterations=0)
    b = E.efa(df, n_factors=1, bootstrap_resamples=200, seed=5, parallel_iterations=0)
    assert json.dumps(a.to_dict()["bootstrap"]) == json.dumps(b.to_dict()["bootstrap"])
    lo, hi = a.bootstrap["kmo_ci"]
    assert lo < a.kmo < hi
    for c in cols:
        lo, hi = a.bootstrap["communality_ci"][c]
        assert lo < a.communalities[c] < hi
    assert a.reliability["omega_ci_low"] < a.reliability["omega_total"] < a.reliability["omega_ci_high"]


# ------------------------------------------------------------------ errors
def _frame(n=50, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 1)) + rng.normal(size=(n, 4))
    return pd.DataFrame(x, columns=["a", "b", "c", "d"])


def test_error_constant_column():
    df = _frame().assign(e=3)
    with pytest.raises(E.EFAError, match=r"column 'e' is constant \(every used row is 3\)"):
        E.efa(df)


def test_error_perfectly_collinear_pair():
    df = _frame().assign(e=lambda d: 2 * d["b"] + 1)
    with pytest.raises(E.EFAError, match=r"columns 'b' and 'e' are perfectly collinear \(r = \+1\.000000\)"):
        E.efa(df)


def test_error_singular_matrix_of_three_columns():
    df = _frame().assign(e=lambda d: d["a"] + d["b"])
    with pytest.raises(E.EFAError, match=r"correlation matrix is singular .*'e'"):
        E.efa(df)


def test_error_fewer_rows_than_items():
    df = _frame(n=4)
    with pytest.raises(
        E.EFAError,
        match=r"only 4 complete rows \(listwise\) for 4 items: factor analysis needs "
        r"more rows than items",
    ):
        E.efa(df)


def test_error_non_numeric_column_named():
    df = _frame().astype({"c": object})
    df.loc[6, "c"] = "n/a"
    with pytest.raises(E.EFAError, match=r"column 'c' is not numeric: data row 7 has value 'n/a'") as info:
        E.efa(df, columns=["a", "b", "c", "d"])
    assert (info.value.column, info.value.row, info.value.value) == ("c", 7, "n/a")


def test_error_unknown_column_and_default_skips_text():
    df = _frame().assign(name="x")
    with pytest.raises(E.EFAError, match=r"column\(s\) not in the data: 'zz'"):
        E.efa(df, columns=["a", "zz"])
    res = E.efa(df, parallel_iterations=0)
    assert res.excluded_columns == ["name"] and res.columns == ["a", "b", "c", "d"]


def test_error_bad_options():
    with pytest.raises(E.EFAError, match="method must be one of"):
        E.efa(_frame(), method="pca")
    with pytest.raises(E.EFAError, match="out of range"):
        E.efa(_frame(), n_factors=4, method="minres", parallel_iterations=0)


# ------------------------------------------------------------------ command line
@pytest.fixture()
def hs_csv(tmp_path):
    r, n, cols, x = dataset("holzinger9")
    path = tmp_path / "hs.csv"
    pd.DataFrame(x, columns=cols).to_csv(path, index=False)
    return path, cols


def test_cli_json(hs_csv, capsys):
    path, cols = hs_csv
    rc = efa_cmd.cli(
        [
            str(path),
            "--json",
            "--n-factors",
            "3",
            "--method",
            "ml",
            "--rotation",
            "promax",
            "--parallel-iterations",
            "10",
        ]
    )
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    for key in (
        "n",
        "n_dropped",
        "kmo",
        "bartlett",
        "communalities",
        "eigenvalues",
        "loadings",
        "n_factors",
        "method",
        "rotation",
    ):
        assert key in out, key
    assert set(out["kmo"]) >= {"overall", "per_item"} and set(out["bartlett"]) >= {"chi2", "df", "p"}
    assert abs(out["kmo"]["overall"] - scalar("holzinger9", "kmo", "overall")) < 1e-6
    assert out["n"] == 301 and out["n_dropped"] == 0 and out["n_factors"] == 3
    assert (out["method"], out["rotation"]) == ("ml", "promax")
    comm = np.array([out["communalities"][c] for c in cols])
    assert np.abs(comm - vector("holzinger9", "fa_ml_3_promax", "communality", cols)).max() < 1e-3


def test_cli_defaults_and_report(hs_csv, capsys):
    path, cols = hs_csv
    assert efa_cmd.cli([str(path), "--columns", ",".join(cols[:5]), "--parallel-iterations", "10"]) == 0
    text = capsys.readouterr().out
    assert "KMO (overall) =" in text and "principal; rotation: none" in text and "listwise" in text


def test_cli_error_exit_1_without_traceback(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,c,d\n1,2,3,4\n2,x,4,5\n3,4,5,7\n4,3,1,2\n5,5,2,1\n6,1,1,1\n")
    assert efa_cmd.cli([str(path), "--columns", "a,b,c,d"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("civcomp efa: ") and "Traceback" not in err
    assert "column 'b' is not numeric: data row 2 has value 'x' (line 3 of the file)" in err
    assert efa_cmd.cli([str(tmp_path / "none.csv")]) == 1
    assert "file not found" in capsys.readouterr().err


def test_cli_dispatch_through_civcomp(hs_csv, capsys):
    from civcomp.cli import main

    path, _ = hs_csv
    assert main(["efa", str(path), "--json", "--parallel-iterations", "5"]) == 0
    assert json.loads(capsys.readouterr().out)["method"] == "principal"


# ------------------------------------------------------------------ defaults that could mislead
def _one_factor(n=300, seed=1):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 1))
    df = pd.DataFrame(f * [0.8, 0.7, 0.6, 0.5] + rng.normal(size=(n, 4)) * 0.6, columns=list("abcd"))
    return df


def test_id_like_columns_are_left_out_and_reported():
    df = _one_factor()
    df.insert(0, "respondent", np.arange(1, len(df) + 1))
    df["serial"] = np.arange(5000, 5000 + len(df))  # not named like an ID, but distinct integers
    res = E.efa(df, parallel_iterations=10)
    assert res.columns == list("abcd") and res.n_factors == 1
    assert res.id_columns == ["respondent (named like an ID)", "serial (every value a distinct integer)"]
    assert "ID-like columns left out: respondent" in res.report()
    with_id = E.efa(df, columns=["respondent", *"abcd"], parallel_iterations=10)  # named explicitly: kept
    assert "respondent" in with_id.columns


def test_unknown_options_are_rejected_with_a_suggestion():
    with pytest.raises(E.EFAError, match=r"unknown option\(s\) 'n_factor_rule' \(did you mean 'n_factors_rule'\?\)"):
        E.efa(_one_factor(), n_factor_rule="parallel")


def test_report_prints_intervals_unambiguously(tmp_path, capsys):
    df = _one_factor()
    df.insert(0, "id", np.arange(len(df)))
    f = tmp_path / "x.csv"
    df.to_csv(f, index=False)
    assert efa_cmd.cli([str(f), "--bootstrap", "20", "--parallel-iterations", "10"]) == 0
    out = capsys.readouterr().out
    assert "(95% CI [" in out and "KMO [" in out and "ID-like columns left out: id" in out
    with pytest.raises(SystemExit):
        efa_cmd.cli(["--help"])
    assert "(default: principal)" in capsys.readouterr().out
