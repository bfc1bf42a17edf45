"""spawners room of nbplatform."""
