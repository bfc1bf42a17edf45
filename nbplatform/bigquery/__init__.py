"""bigquery room of nbplatform."""
