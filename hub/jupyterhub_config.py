# JupyterHub configuration for both modes. The wiring lives in the package
# (nbplatform.wiring) so it is versioned and tested with the code; settings
# come from NBPLATFORM_* environment variables (see docs/configuration.md).
from nbplatform.wiring import configure

configure(c)  # noqa: F821 - `c` is provided by JupyterHub when it loads this file
