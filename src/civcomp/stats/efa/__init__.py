"""Exploratory factor analysis with the known traps of ``factor_analyzer`` guarded.

:func:`efa` runs the whole analysis a reviewer expects for a scale: sampling
adequacy (KMO overall and per item), Bartlett's test of sphericity, eigenvalues and
variance explained, the number of factors by three rules (Kaiser, scree acceleration,
Horn's parallel analysis), extraction, rotation, communalities, Heywood checks,
reliability (Cronbach's alpha, McDonald's omega) and vectorised bootstrap CIs.

What differs from calling ``factor_analyzer.FactorAnalyzer`` directly, and why:

* **no silent imputation** -- ``FactorAnalyzer`` fills missing values with the column
  median by default. Here rows are dropped listwise (default) or correlations are
  computed pairwise, and the N used and the N dropped are always reported.
  ``factor_analyzer`` only ever sees a correlation matrix (``is_corr_matrix=True``).
* **principal components computed exactly** from the eigen-decomposition of the
  correlation matrix (``FactorAnalyzer(method="principal")`` goes through
  scikit-learn's randomized SVD on large inputs).
* **pa** (iterated principal axis) follows ``psych::fa(fm="pa")`` step by step
  (SMC start, stop when the sum of communalities changes by less than ``min_err``);
  ``factor_analyzer`` 0.5.1 has no ``pa``.
* **communalities come from the unrotated solution** (``FactorAnalyzer`` sums squared
  *rotated* loadings, wrong for oblique rotations).
* **factors are signed and sorted as psych does** (column sums positive, then by
  variance accounted for, Phi-weighted for oblique rotations) **and the factor
  correlation matrix Phi is permuted with them** (``FactorAnalyzer`` re-sorts the
  loadings but not ``phi_``).
* **Heywood cases are reported** (``FactorAnalyzer`` clamps uniquenesses at 0.005
  without a word): a :class:`HeywoodWarning` is issued and the items are listed.
* **Bartlett's test uses the log-determinant** (``slogdet``), so many items or strong
  correlations do not underflow ``det(R)`` to 0; p-values below the double range are
  also given as ``log10_p``.
* **bad input raises** :class:`EFAError` with a message naming the column (constant
  column, perfectly collinear pair, singular matrix, fewer rows than items,
  non-numeric values); the ``civcomp.stats.efa`` command prints it and exits with 1.

Extraction methods: ``principal`` (SPSS's default, the one the paper's communalities
come from), ``minres`` and ``ml`` (``factor_analyzer``, bounds 0.005..1 as in psych),
``pa``. Rotations: ``none``, ``varimax`` (Kaiser-normalised, as ``stats::varimax``),
``oblimin`` (GPA, gamma = 0, as ``GPArotation::oblimin``), ``promax`` (power 4 after
Kaiser normalisation, as ``psych::fa(rotate="promax")``) -- all through
``factor_analyzer.Rotator``.

Number of factors
-----------------
* **Kaiser**: eigenvalues of the correlation matrix above 1.
* **Scree** (acceleration factor, Raiche et al. 2013): the elbow is the eigenvalue
  ``i`` with the largest second difference ``l[i+1] - 2 l[i] + l[i-1]``; the
  factors retained are those before the elbow (``i - 1``).
* **Parallel analysis** (Horn 1965): each column is permuted independently
  (``iterations`` times, seeded), which keeps every item's distribution and destroys
  the correlations; components are kept while the observed eigenvalue exceeds the
  ``percentile`` of the resampled ones. With only a correlation matrix, normal data
  of the same size are simulated instead.

Reliability
-----------
Cronbach's alpha with Feldt's F-based CI (as ``psych::alpha``); McDonald's omega
total from a **one-factor** least-squares solution, psych's definition
``1 - sum(u2) / sum(R*)`` with ``R*`` the correlation matrix after reflecting
items that load negatively (as ``psych::omega(nfactors = 1)``), and a bootstrap CI.

References
----------
Bartlett, M. S. (1951). The effect of standardization on a chi square approximation
in factor analysis. Biometrika 38, 337-344.
Feldt, L. S., Woodruff, D. J. & Salih, F. A. (1987). Statistical inference for
coefficient alpha. Applied Psychological Measurement 11, 93-103.
Horn, J. L. (1965). A rationale and test for the number of factors in factor
analysis. Psychometrika 30, 179-185.
Kaiser, H. F. (1970). A second generation little jiffy. Psychometrika 35, 401-415.
McDonald, R. P. (1999). Test Theory: A Unified Treatment. Erlbaum.
Raiche, G., Walls, T. A., Magis, D., Riopel, M. & Blais, J.-G. (2013). Non-graphical
solutions for Cattell's scree test. Methodology 9, 23-29.
Revelle, W. (2022). psych: Procedures for Psychological, Psychometric, and
Personality Research, version 2.2.9 (``fa``, ``principal``, ``KMO``,
``cortest.bartlett``, ``fa.parallel``, ``alpha``, ``omega``).
"""

from civcomp.stats.efa.adequacy import bartlett, kmo, smc
from civcomp.stats.efa.common import (
    LOWER_BOUND,
    METHODS,
    MISSING,
    OBLIQUE,
    ROTATIONS,
    RULES,
    EFAError,
    HeywoodWarning,
)
from civcomp.stats.efa.extraction import extract, rotate
from civcomp.stats.efa.items import Prepared, check_corr, correlation, prepare
from civcomp.stats.efa.nfactors import (
    n_factors_kaiser,
    n_factors_scree,
    parallel_analysis,
)
from civcomp.stats.efa.resampling import bootstrap
from civcomp.stats.efa.result import EFAResult, adequacy_table, efa, fit
from civcomp.stats.reliability import cronbach_alpha, omega_total

__all__ = [
    "bartlett",
    "kmo",
    "smc",
    "bootstrap",
    "LOWER_BOUND",
    "METHODS",
    "MISSING",
    "OBLIQUE",
    "ROTATIONS",
    "RULES",
    "EFAError",
    "HeywoodWarning",
    "Prepared",
    "check_corr",
    "correlation",
    "prepare",
    "extract",
    "rotate",
    "n_factors_kaiser",
    "n_factors_scree",
    "parallel_analysis",
    "EFAResult",
    "adequacy_table",
    "efa",
    "fit",
    "cronbach_alpha",
    "omega_total",
]
