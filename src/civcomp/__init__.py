"""civcomp — research compendium for two studies of Kazakhstan's civil servants.

The package is layered; a layer imports only from the layers above it in this list.

==========================  ==========================================================================
``civcomp.paths``           every path, anchored on the repository (never the working directory)
``civcomp.errors``          the exceptions every layer raises for bad input (``ParamsError``, ``DataError``)
``civcomp.io``              YAML read within bounds (``yaml_safe``), parameters (``params``) and the
                            parameters cells written from them (``params_cells``), file readers
                            (``readers``; a large CSV in byte ranges, ``csv_ranges``), codebooks (``codebook``) and their README (``codebook_readme``),
                            row filters (``rowfilter``), a real file's mapping onto its codebook (``mapping``)
                            and its draft (``suggest``),
                            validation (``validate``) and its reports (``violations``), where each dataset is (``sources``), typed loading
                            (``load``), safe writes (``atomic``) and every write to ``outputs/``
                            (``outputs``), the tables' workbook (``workbook``), notebook display helpers
                            (``display``), SPSS files (``spss``), the Data Package (``datapackage``) and
                            the published values of the claims ledger, the one home of each number
                            (``ledger``)
``civcomp.stats``           generic statistics: proportions and means with CIs (``estimates``), crosstabs
                            (``crosstabs``), association tests (``association``), weighting
                            (``weighting``), disclosure control (``disclosure``, ``linked_tables``) and its
                            audit (``intruder``, the joint integer attacks ``intruder_joint`` and
                            ``intruder_counts``, and the whole-outputs audit of every published artefact
                            ``intruder_audit``, the numbers a page prints ``intruder_pages``), coder and
                            rater agreement (``agreement``), scale
                            reliability α/ω (``reliability``), exploratory factor analysis (``efa``),
                            polychoric correlations (``polychoric``),
                            structural equation models (``sem``, semopy in lavaan's conventions, and their fit
                            measures ``sem_fit``), relative
                            importance of predictors (``importance``: dominance analysis, Pratt)
``civcomp.text``            the text engine for job postings: normalisation (``normalize``), the skill
                            dictionary (``dictionary``), section names and vocabulary (``section_names``,
                            ``section_vocabulary``), segmentation (``sections``, ``sentences``),
                            boilerplate (``boilerplate``), the terms' byte patterns (``patterns``) and the
                            matcher with KWIC (``matcher``)
``civcomp.analyses``        one ``results(data, params)`` per analysis, returning what it publishes
                            (``published``): ``postings`` (000, content analysis; the coder's quality
                            ``postings_validity`` and ``coder_validity``, its sentences ``postings_display``),
                            ``digital_survey`` (000, survey; ``digital_survey_display``), ``capacity`` (003,
                            profile and factor model; ``capacity_narrative``), ``capacity_structural`` (003,
                            Figure 4's structural model), ``appraisal`` and ``appraisal_perspectives``
                            (003, 360 appraisal; ``appraisal_narrative``), ``frameworks`` (003, Tables 1-2),
                            and the robustness panel's readings (``robustness``, ``robustness_factor``,
                            ``robustness_appraisal``, ``robustness_postings``)
``civcomp.plots``           the figures, one module per analysis (``postings``, ``digital_survey``,
                            ``capacity``, ``appraisal``, ``frameworks``, ``report``)
``civcomp.synth``           the synthetic twin of every dataset, calibrated to the published aggregates
                            (``postings``, ``postings_genre``, ``digital_survey``, ``capacity``,
                            ``appraisal``, ``rounding``)
``civcomp.replication``     the replication check: the claims ledger evaluated once (``claims``), notebook
                            05's verdict (``summary``) and the HTML report (``report``, ``report_html``,
                            ``report_notebooks``, ``report_templates``), its values at the paper's precision
                            (``report_format``), figure provenance (``report_provenance``) and its offline
                            zip (``report_bundle``)
``civcomp.runner``          the runner: step graph (``graph``), verified cache (``cache``), notebook
                            execution (``execute``, ``notebooks``, ``watch``), manifest (``manifest``),
                            nbval recording (``nbval``) and ``environment.yml`` (``envfile``)
``civcomp.commands``        the console script's sub-commands (``reproduce``, ``synthesize``, ``validate``,
                            ``code_postings``, ``efa``, ``cfa``) and their shared argument rules (``args``)
``civcomp.cli``             the console script: dispatches to ``civcomp.commands``
==========================  ==========================================================================

Examples
--------
>>> from civcomp.stats.estimates import proportion
>>> round(proportion([1] * 273 + [0] * 135)["share"], 4)
0.6691
"""

__version__ = "0.1.0"
