"""pytest settings shared by the whole suite (unit tests, docstring examples, nbval)."""

import os

from hypothesis import HealthCheck, settings

# notebooks/*.py are the jupytext sources of the notebooks, not modules: never import them
collect_ignore_glob = ["notebooks/*.py", "notebooks/*.nbconvert.ipynb"]  # nbconvert --execute leaves these

# In CI the property-based tests draw the same examples every run (a red build is reproducible),
# and a slow shared machine is not mistaken for a slow strategy.
settings.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
