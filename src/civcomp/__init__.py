"""civcomp — research compendium for two studies of Kazakhstan's civil servants.

The package is layered; a layer imports only from the layers above it in this list.

==========================  ==========================================================================
``civcomp.paths``           every path, anchored on the repository (never the working directory)
``civcomp.errors``          the exceptions every layer raises for bad input (``ParamsError``, ``DataError``)
``civcomp.io``              parameters (``params``), file readers (``readers``), codebooks (``codebook``),
                            validation (``validate``), where each dataset is (``sources``), typed loading
                            (``load``), every write to ``outputs/`` (``outputs``), and the published values
                            of the claims ledger, the one home of each number (``ledger``)
``civcomp.stats``           generic statistics: proportions and means with CIs (``estimates``), crosstabs
                            (``crosstabs``), association tests (``association``), weighting
                            (``weighting``), disclosure control (``disclosure``, ``linked_tables``), coder and rater
                            agreement (``agreement``), scale reliability α/ω (``reliability``), exploratory factor
                            analysis (``efa``: items → correlation, adequacy, nfactors, extraction, resampling, result),
                            structural equation models (``sem``, semopy in lavaan's conventions), relative
                            importance of predictors (``importance``: dominance analysis, Pratt)
``civcomp.text``            the text engine for job postings: normalisation, dictionary, matcher, KWIC
``civcomp.analyses``        one module per analysis of the papers: ``postings`` (000, content analysis;
                            ``postings_validity``, ``postings_display``), ``digital_survey`` (000, survey;
                            ``digital_survey_display``), ``published``, ``capacity`` (003, profile and factor
                            model), ``capacity_structural`` (003, Figure 4's structural model),
                            ``appraisal`` and ``appraisal_perspectives`` (003, 360 appraisal), ``frameworks``
                            (003, Tables 1-2); ``published`` (what a ``results`` function returns) and the
                            notebooks' sentences (``capacity_narrative``, ``appraisal_narrative``)
``civcomp.plots``           the figures, one module per analysis
``civcomp.synth``           the synthetic twin of every dataset, calibrated to the published aggregates
``civcomp.pipeline``        the runner: step graph, cache, notebook execution, manifest, nbval recording,
                            the claims ledger (evaluated once, by notebook 05), the robustness panel and
                            the HTML report
``civcomp.commands``        the ``civcomp`` sub-commands (``reproduce``, ``synthesize``, ``validate``,
                            ``code-postings``, ``efa``, ``cfa``); ``civcomp.cli`` dispatches to them
==========================  ==========================================================================

Examples
--------
>>> from civcomp.stats.estimates import proportion
>>> round(proportion([1] * 273 + [0] * 135)["share"], 4)
0.6691
"""

__version__ = "0.1.0"
