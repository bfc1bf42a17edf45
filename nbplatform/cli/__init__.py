"""The ``nbplatform`` command."""
