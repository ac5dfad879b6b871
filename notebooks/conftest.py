# The .py files here are jupytext sources of the notebooks, not modules: never import them.
collect_ignore_glob = ["*.py"]
