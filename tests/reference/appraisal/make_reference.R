# Reference values of tests/reference/appraisal/reference_values.yaml (R >= 4.2, psych >= 2.2).
library(psych)
sf <- data.frame(J1 = c(9, 6, 8, 7, 10, 6), J2 = c(2, 1, 4, 1, 5, 2),
                 J3 = c(5, 3, 6, 2, 6, 4), J4 = c(8, 2, 8, 6, 9, 7))
options(digits = 10)
print(ICC(sf)$results)        # Shrout & Fleiss (1979) Table 2 data (psych::ICC needs lme4)
print(t.test(c(4, 5, 6, 7, 8))$conf.int)
