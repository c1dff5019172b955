"""The ``litcurate`` command line."""
