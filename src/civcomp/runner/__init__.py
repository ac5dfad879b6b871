"""The runner: the step graph (``graph``), the verified cache (``cache``), notebook execution (``execute``,
``notebooks``, ``watch``), the run manifest (``manifest``), nbval recording (``nbval``) and ``environment.yml``
(``envfile``)."""
