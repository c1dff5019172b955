"""Running papers: bounded workers, task runners, the extraction cache and run memo."""
