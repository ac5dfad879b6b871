#!/usr/bin/env Rscript
# Reference values for civcomp's SEM module (sem.py), computed with R lavaan.
#
# Usage (from the repository root, after `civcomp synthesize`, which writes the capacity twin):
#   Rscript tests/reference/lavaan/make_reference.R [capacity_csv]
# capacity_csv defaults to data/synthetic/capacity_survey.synthetic.csv of this repository.
#
# Writes, next to this script (tests/reference/lavaan/):
#   reference_lavaan.json      fit measures, std.all estimates with delta-method SEs, R^2, and the
#                              md5 of the capacity file it used (tests/stats/test_sem.py checks it)
#   HolzingerSwineford1939.csv, PoliticalDemocracy.csv  public data sets shipped with lavaan
#
# Models (all lavaan defaults: estimator ML, likelihood "normal" (N, not N-1),
# information "expected", fixed.x = TRUE, first loading fixed to 1):
#   hs1939      cfa(): visual =~ x1+x2+x3; textual =~ x4+x5+x6; speed =~ x7+x8+x9
#   capacity_cfa  cfa(): one factor measured by the nine Table-3 variables (paper 003)
#   political_democracy  sem(): lavaan's tutorial SEM (Bollen 1989), latent regressions + residual covs
#   capacity_path sem(): innovative_capacity ~ the eight determinants (observed regression)
#   capacity_mediation sem(): an over-identified observed path model with a fixed-x covariate
# The capacity sample mirrors notebooks/03_innovative_capacity.py: level == "regional",
# the nine items, values outside 1-10 (missing codes such as 99) set to NA, listwise deletion.

suppressPackageStartupMessages({
  library(lavaan)
  library(jsonlite)
})

script <- sub("^--file=", "", grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)[1])
here <- normalizePath(dirname(script))
root <- normalizePath(file.path(here, "..", "..", ".."))
args <- commandArgs(trailingOnly = TRUE)
capacity_csv <- if (length(args) >= 1) args[1] else file.path(root, "data", "synthetic",
                                                              "capacity_survey.synthetic.csv")
if (!file.exists(capacity_csv)) {
  stop("capacity twin not found: ", capacity_csv, "\nrun `civcomp synthesize --only capacity_survey` first")
}
out_json <- file.path(here, "reference_lavaan.json")
hs_csv <- file.path(here, "HolzingerSwineford1939.csv")
pd_csv <- file.path(here, "PoliticalDemocracy.csv")

items <- c("innovative_capacity", "agency_activities", "salary", "trust", "work_conditions",
           "environment", "schedule", "career", "competencies")
determinants <- items[-1]

fit_keys <- c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower",
              "rmsea.ci.upper", "srmr", "baseline.chisq", "baseline.df", "fmin", "ntotal")

summarise_fit <- function(fit) {
  fm <- fitMeasures(fit, fit_keys)
  std <- standardizedSolution(fit, type = "std.all")
  pe <- parameterEstimates(fit)
  std <- merge(std, pe[, c("lhs", "op", "rhs", "est", "se")], by = c("lhs", "op", "rhs"),
               suffixes = c(".std", ".raw"), sort = FALSE)
  names(std)[names(std) == "se.std"] <- "se_std"
  names(std)[names(std) == "se.raw"] <- "se_raw"
  names(std)[names(std) == "est"] <- "est_raw"
  list(
    n = lavInspect(fit, "ntotal"),
    converged = lavInspect(fit, "converged"),
    fit = as.list(setNames(as.numeric(fm), gsub(".", "_", names(fm), fixed = TRUE))),
    estimates = std,            # lhs, op, rhs, est.std, se_std, z, pvalue, ci.lower, ci.upper, est_raw, se_raw
    r2 = as.list(lavInspect(fit, "r2"))
  )
}

# (a) Holzinger & Swineford (1939), lavaan's tutorial CFA ------------------------------------
hs <- lavaan::HolzingerSwineford1939
write.csv(hs, hs_csv, row.names = FALSE)
hs_model <- "visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9"
hs_fit <- cfa(hs_model, data = hs)

# (a2) Bollen's (1989) political democracy SEM, lavaan's tutorial full SEM (chi2 38.125, df 35):
# latent regressions (Beta matrix) and residual covariances
pd <- lavaan::PoliticalDemocracy
write.csv(pd, pd_csv, row.names = FALSE)
pd_model <- "ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ ind60
dem65 ~ ind60 + dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8"
pd_fit <- sem(pd_model, data = pd)

# (b) the compendium's capacity survey --------------------------------------------------------
cs <- read.csv(capacity_csv, stringsAsFactors = FALSE)
cs <- cs[cs$level == "regional", items]
for (v in items) {
  x <- suppressWarnings(as.numeric(cs[[v]]))
  x[!is.na(x) & (x < 1 | x > 10)] <- NA   # missing codes (99 ...) -> NA
  cs[[v]] <- x
}
n_rows <- nrow(cs)
cs <- na.omit(cs)

cfa_model <- paste0("capacity =~ ", paste(items, collapse = " + "))
path_model <- paste0("innovative_capacity ~ ", paste(determinants, collapse = " + "))
# an over-identified observed path model with a fixed-x covariate (tests df and baseline net of fixed.x)
med_model <- "environment ~ work_conditions
career ~ work_conditions
innovative_capacity ~ environment + career"
cfa_fit <- cfa(cfa_model, data = cs)
med_fit <- sem(med_model, data = cs)
path_fit <- sem(path_model, data = cs)

out <- list(
  meta = list(
    lavaan = as.character(packageVersion("lavaan")),
    jsonlite = as.character(packageVersion("jsonlite")),
    R = R.version.string,
    capacity_csv = basename(capacity_csv),
    capacity_md5 = unname(tools::md5sum(capacity_csv)),
    capacity_rows_regional = n_rows,
    capacity_rows_complete = nrow(cs),
    settings = "lavaan defaults: estimator ML, likelihood normal, information expected, fixed.x TRUE"
  ),
  models = list(
    hs1939 = c(list(syntax = hs_model), summarise_fit(hs_fit)),
    political_democracy = c(list(syntax = pd_model), summarise_fit(pd_fit)),
    capacity_cfa = c(list(syntax = cfa_model), summarise_fit(cfa_fit)),
    capacity_path = c(list(syntax = path_model), summarise_fit(path_fit)),
    capacity_mediation = c(list(syntax = med_model), summarise_fit(med_fit))
  )
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null", dataframe = "rows"),
           out_json)
cat("wrote", out_json, hs_csv, pd_csv, "\n")
cat("capacity twin:", capacity_csv, "md5", out$meta$capacity_md5, "\n")
print(fitMeasures(hs_fit, c("chisq", "df", "cfi", "tli", "rmsea", "srmr")))
