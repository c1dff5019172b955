"""Prose -> statements: the NLP pipeline, cue lexicons, criteria and the prose check."""
