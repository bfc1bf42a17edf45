"""auth room of nbplatform."""
