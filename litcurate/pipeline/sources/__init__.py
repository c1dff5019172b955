"""Inputs: the sources manifest and pulling papers from their URLs."""
