"""civcomp — research compendium for two studies of Kazakhstan's civil servants.

Topic modules: :mod:`civcomp.data` (codebooks, loaders, validation),
:mod:`civcomp.synth` (the synthetic twin), :mod:`civcomp.content` (dictionary
coding of job postings), :mod:`civcomp.survey` and :mod:`civcomp.disclosure`
(survey estimates and disclosure control), :mod:`civcomp.efa` (exploratory factor
analysis), :mod:`civcomp.appraisal` (360-degree appraisal), :mod:`civcomp.claims`
and :mod:`civcomp.report` (the reproduction report), :mod:`civcomp.runner`
(the papermill pipeline).
"""
__version__ = "0.1.0"
