"""The ``process-designer`` command line: one module per sub-command, each with ``register``."""
