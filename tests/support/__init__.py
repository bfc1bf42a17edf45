"""Helpers shared by the tests: real hub processes, free ports, HTTP clients."""
