"""Helpers of ``tools/typeset_sample_paper.py``: seed parsing, table data, page layout."""
