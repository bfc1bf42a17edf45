"""nbplatform: JupyterHub with resource profiles, Dask, BigQuery and scheduled Papermill jobs."""

__version__ = "0.1.0"
