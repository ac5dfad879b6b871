"""The replication check: the claims ledger evaluated against the recomputed results (``claims``), notebook
05's summary of the verdict (``summary``) and the HTML report (``report``, ``report_html``,
``report_notebooks``)."""
