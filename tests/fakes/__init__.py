"""Fakes of the cloud APIs that really run the submitted job locally (see DESIGN.md, Runtimes)."""
