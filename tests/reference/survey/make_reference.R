# Reference values for tests/test_survey.py, computed with base R (stats package).
# Run from this folder: Rscript make_reference.R  (writes reference_values.csv and versions.txt)
out <- data.frame(case = character(), quantity = character(), value = numeric(), stringsAsFactors = FALSE)
add <- function(case, quantity, value) out[nrow(out) + 1, ] <<- list(case, quantity, value)

# Wilson score intervals: prop.test without continuity correction
wil <- list(c(120, 200), c(109, 200), c(113, 200), c(0, 10), c(10, 10), c(3, 7))
for (cl in c(0.95, 0.90)) for (w in wil) {
  ci <- prop.test(w[1], w[2], correct = FALSE, conf.level = cl)$conf.int
  case <- sprintf("wilson_%d_%d_%g", w[1], w[2], cl)
  add(case, "low", ci[1]); add(case, "high", ci[2])
}

tabs <- list(
  chi_2x3 = matrix(c(20, 30, 25, 35, 15, 25), nrow = 2, byrow = TRUE),
  chi_3x3 = matrix(c(12, 18, 30, 25, 20, 15, 8, 22, 10), nrow = 3, byrow = TRUE),
  chi_2x2 = matrix(c(30, 10, 10, 30), nrow = 2, byrow = TRUE),
  fisher_2x2 = matrix(c(3, 1, 1, 3), nrow = 2, byrow = TRUE),
  fisher_2x2b = matrix(c(8, 2, 1, 5), nrow = 2, byrow = TRUE),
  fisher_2x3 = matrix(c(3, 1, 0, 1, 2, 6), nrow = 2, byrow = TRUE),
  fisher_3x3 = matrix(c(2, 0, 4, 1, 3, 1, 5, 1, 0), nrow = 3, byrow = TRUE)
)
cells <- data.frame(case = character(), row = integer(), col = integer(), count = numeric(), stringsAsFactors = FALSE)
for (nm in names(tabs)) {
  t <- tabs[[nm]]
  ct <- suppressWarnings(chisq.test(t, correct = FALSE))
  for (i in seq_len(nrow(t))) for (j in seq_len(ncol(t))) cells[nrow(cells) + 1, ] <- list(nm, i - 1, j - 1, t[i, j])
  add(nm, "chi2", unname(ct$statistic)); add(nm, "df", unname(ct$parameter)); add(nm, "p_chi2", ct$p.value)
  add(nm, "p_fisher", fisher.test(t)$p.value)
}
write.csv(out, "reference_values.csv", row.names = FALSE)
write.csv(cells, "reference_tables.csv", row.names = FALSE)
writeLines(c(R.version.string), "versions.txt")
