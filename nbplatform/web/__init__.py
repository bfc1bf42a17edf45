"""web room of nbplatform."""
