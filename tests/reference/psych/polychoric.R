# Reference values of R psych::polychoric for tests/stats/test_polychoric.py (R is not needed to run the tests).
#
# Regenerate:
#   apt-get install -y --no-install-recommends r-base-core r-cran-psych
#   cd tests/reference/psych && Rscript polychoric.R
#
# Reads bfi.csv (psych::bfi, written by make_reference.R) and writes, next to this script:
#   ordinal10.csv            600 rows x 4 items on a 1-10 scale (seeded normal draws cut at fixed points, 5 % NA)
#   polychoric_values.csv    long format: dataset, setting, row, col, value (15 significant digits)
suppressPackageStartupMessages(library(psych))
set.seed(20250412)

bfi <- read.csv("bfi.csv")[, 1:10]  # A1-A5, C1-C5: six categories, NA kept (pairwise, global thresholds)
z <- matrix(rnorm(2400), 600) %*% chol(matrix(c(1, .6, .4, .3, .6, 1, .5, .2, .4, .5, 1, .45, .3, .2, .45, 1), 4))
cuts <- c(-Inf, -1.6, -1.1, -.7, -.35, 0, .3, .65, 1.05, 1.5, Inf)
ord <- apply(z, 2, function(v) as.integer(cut(v, cuts)))
ord[sample(length(ord), round(.05 * length(ord)))] <- NA
colnames(ord) <- paste0("q", 1:4)
write.csv(ord, "ordinal10.csv", row.names = FALSE, na = "")

out <- list()
add <- function(dataset, setting, m) {
  g <- expand.grid(i = seq_len(nrow(m)), j = seq_len(ncol(m)))
  out[[length(out) + 1]] <<- data.frame(dataset = dataset, setting = setting, row = rownames(m)[g$i],
                                        col = colnames(m)[g$j], value = m[cbind(g$i, g$j)])
}
add("bfi10", "correct=0.5", polychoric(bfi, smooth = FALSE, correct = .5)$rho)
add("bfi10", "correct=0", polychoric(bfi, smooth = FALSE, correct = 0)$rho)
add("ordinal10", "correct=0.5", polychoric(ord, smooth = FALSE, correct = .5, max.cat = 10)$rho)
add("ordinal10", "correct=0", polychoric(ord, smooth = FALSE, correct = 0, max.cat = 10)$rho)
res <- do.call(rbind, out)
res$value <- trimws(formatC(res$value, digits = 15, format = "g"))
write.csv(res, "polychoric_values.csv", row.names = FALSE, quote = FALSE)
writeLines(c(R.version.string, paste("psych", packageVersion("psych"))), "polychoric_versions.txt")
