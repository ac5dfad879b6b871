# Reference values from R's psych package for tests/stats/test_efa.py.
#
# Regenerate (needs R; CI does not):
#   apt-get install -y --no-install-recommends r-base-core r-cran-psych r-cran-gparotation r-cran-psychtools
#   cd tests/reference/psych && Rscript make_reference.R
#
# Writes, next to this script:
#   bfi.csv               psych::bfi, the 25 personality items, all 2,800 rows (NA kept; tests drop listwise)
#   holzinger9.csv        psychTools::holzinger.swineford, the nine classic tests (301 rows, complete)
#   harman74_cor.csv      datasets::Harman74.cor$cov, a 24 x 24 correlation matrix (n = 145)
#   reference_values.csv  long format: dataset, analysis, statistic, row, col, value
#   versions.txt          R and package versions that produced the values
suppressPackageStartupMessages({
  library(psych)
  library(GPArotation)
  library(psychTools)
})
set.seed(20250412)  # fa.parallel simulates; only its observed eigenvalues are exported

out <- list()
add <- function(dataset, analysis, statistic, value, rows = NULL, cols = NULL) {
  value <- as.matrix(value)
  if (is.null(rows)) rows <- rownames(value)
  if (is.null(cols)) cols <- colnames(value)
  if (is.null(rows)) rows <- rep("", nrow(value))
  if (is.null(cols)) cols <- rep("", ncol(value))
  grid <- expand.grid(i = seq_len(nrow(value)), j = seq_len(ncol(value)))
  out[[length(out) + 1]] <<- data.frame(
    dataset = dataset, analysis = analysis, statistic = statistic,
    row = rows[grid$i], col = cols[grid$j], value = value[cbind(grid$i, grid$j)],
    stringsAsFactors = FALSE)
}
vec <- function(x, names_) { m <- matrix(x, ncol = 1); rownames(m) <- names_; m }

# ---- data --------------------------------------------------------------------------------------
bfi_all <- psych::bfi[, 1:25]
bfi_lw <- na.omit(bfi_all)
hs <- psychTools::holzinger.swineford[, c("t01_visperc", "t02_cubes", "t04_lozenges", "t06_paracomp",
                                          "t07_sentcomp", "t09_wordmean", "t10_addition",
                                          "t12_countdot", "t13_sccaps")]
harman <- datasets::Harman74.cor$cov
write.csv(bfi_all, "bfi.csv", row.names = FALSE, na = "")
write.csv(hs, "holzinger9.csv", row.names = FALSE)
write.csv(harman, "harman74_cor.csv", row.names = TRUE)

sets <- list(
  bfi = list(x = bfi_lw, r = cor(bfi_lw), n = nrow(bfi_lw), k = 5),
  holzinger9 = list(x = hs, r = cor(hs), n = nrow(hs), k = 3),
  harman74 = list(x = NULL, r = harman, n = 145, k = 4)
)

for (name in names(sets)) {
  s <- sets[[name]]
  items <- colnames(s$r)
  add(name, "n", "n", s$n)

  km <- KMO(s$r)
  add(name, "kmo", "overall", km$MSA)
  add(name, "kmo", "msa", vec(km$MSAi, items))

  b <- cortest.bartlett(s$r, n = s$n)
  add(name, "bartlett", "chi2", b$chisq)
  add(name, "bartlett", "df", b$df)
  add(name, "bartlett", "p", b$p.value)
  add(name, "bartlett", "log10_p", pchisq(b$chisq, b$df, lower.tail = FALSE, log.p = TRUE) / log(10))

  add(name, "eigen", "values", vec(eigen(s$r)$values, NULL))

  for (nf in c(1, 3)) for (rot in c("none", "varimax")) {
    if (nf == 1 && rot != "none") next
    p <- principal(s$r, nfactors = nf, rotate = rot, n.obs = s$n)
    a <- sprintf("principal_%d_%s", nf, rot)
    add(name, a, "loadings", unclass(p$loadings))
    add(name, a, "communality", vec(p$communality, items))
  }

  for (fm in c("minres", "pa", "ml")) for (rot in c("none", "varimax", "oblimin", "promax")) {
    f <- fa(s$r, nfactors = s$k, fm = fm, rotate = rot, n.obs = s$n, warnings = FALSE)
    a <- sprintf("fa_%s_%d_%s", fm, s$k, rot)
    add(name, a, "loadings", unclass(f$loadings))
    add(name, a, "communality", vec(f$communality, items))
    add(name, a, "uniquenesses", vec(f$uniquenesses, items))
    add(name, a, "values", vec(f$values, NULL))
    if (!is.null(f$Phi)) add(name, a, "phi", f$Phi)
  }
  f1 <- fa(s$r, nfactors = 1, fm = "minres", rotate = "none", n.obs = s$n, warnings = FALSE)
  add(name, "fa_minres_1_none", "loadings", unclass(f1$loadings))
  add(name, "fa_minres_1_none", "communality", vec(f1$communality, items))

  if (!is.null(s$x)) {
    fp <- fa.parallel(s$x, fm = "minres", fa = "both", n.iter = 2, plot = FALSE)
  } else {
    fp <- fa.parallel(s$r, n.obs = s$n, fm = "minres", fa = "both", n.iter = 2, plot = FALSE)
  }
  add(name, "parallel", "pc_values", vec(fp$pc.values, NULL))
  add(name, "parallel", "fa_values", vec(fp$fa.values, NULL))

  if (!is.null(s$x)) {
    al <- suppressWarnings(alpha(s$x, check.keys = FALSE, warnings = FALSE))
    add(name, "alpha", "raw_alpha", al$total$raw_alpha)
    add(name, "alpha", "std_alpha", al$total$std.alpha)
    add(name, "alpha", "feldt_lower", al$feldt$lower.ci)
    add(name, "alpha", "feldt_upper", al$feldt$upper.ci)
  }
  om <- suppressWarnings(suppressMessages(omega(s$r, nfactors = 1, fm = "minres", n.obs = s$n, plot = FALSE)))
  add(name, "omega_1", "omega_tot", om$omega.tot)
  add(name, "omega_1", "key", vec(om$key, items))
}

# pairwise deletion: R's cor(use = "pairwise") on all 2,800 bfi rows
r_pw <- cor(bfi_all, use = "pairwise")
km <- KMO(r_pw)
add("bfi_pairwise", "kmo", "overall", km$MSA)
add("bfi_pairwise", "kmo", "msa", vec(km$MSAi, colnames(r_pw)))
add("bfi_pairwise", "cor", "r", r_pw)
add("bfi_pairwise", "n", "complete_rows", sum(complete.cases(bfi_all)))
add("bfi_pairwise", "n", "min_pairwise", min(pairwiseCount(bfi_all)))
p <- principal(r_pw, nfactors = 3, rotate = "none")
add("bfi_pairwise", "principal_3_none", "communality", vec(p$communality, colnames(r_pw)))

res <- do.call(rbind, out)
write.csv(res, "reference_values.csv", row.names = FALSE, na = "")
writeLines(c(R.version.string,
             paste("psych", packageVersion("psych")),
             paste("GPArotation", packageVersion("GPArotation")),
             paste("psychTools", packageVersion("psychTools"))), "versions.txt")
cat("wrote", nrow(res), "reference values\n")
