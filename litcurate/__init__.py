"""litcurate: clinical review PDFs -> a versioned, validated, provenance-carrying dataset.

Subpackages follow the import direction ``schemas <- extractors <- pipeline``:
``schemas`` is the public contract a downstream app needs (models and the release
loader), ``extractors`` are pure functions over PDFs and text, ``pipeline`` is the
Prefect flow, publishing and the CLI.
"""

__version__ = "0.1.0"
