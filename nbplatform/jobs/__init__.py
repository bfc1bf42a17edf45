"""jobs room of nbplatform."""
