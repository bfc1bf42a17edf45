"""dask room of nbplatform."""
