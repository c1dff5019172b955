"""Scoring the extractor against hand-checked corpora; every corpus path is an argument."""
