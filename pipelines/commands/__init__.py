"""Sub-commands of the ``supplylinks`` CLI, one module each (see ``pipelines.cli``)."""
