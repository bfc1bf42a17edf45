# The chart's jupyterhub_config.py executes this file after applying the Helm
# values, with its traitlets config object in scope as `c`.
import nbplatform.wiring

nbplatform.wiring.configure(c)  # noqa: F821
