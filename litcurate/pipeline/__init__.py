"""Prefect flows and tasks, sources, releases and the CLI: the I/O around the extractors."""
