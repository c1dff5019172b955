"""litcurate: clinical review PDFs -> a versioned, validated, provenance-carrying dataset.

Subpackages follow the import direction ``schemas <- extractors <- pipeline``:
``schemas`` is the public contract a downstream app needs (models and the release
loader), ``extractors`` are pure functions over PDFs and text, ``pipeline`` is the
Prefect flow, publishing and the CLI.
"""

from typing import Any

__version__ = "0.6.0"


def load(path: str | Any, version: str | None = "latest", *, check: bool = True) -> Any:
    """Open a published release for reading: ``litcurate.load("data/curated", "1.2.0")``.

    Returns a ``litcurate.schemas.loader.Release`` (DataFrames and typed records per
    resource) after checking every file's sha256 and the dataset schema; needs only
    the core dependencies (pydantic, pandas, pyarrow).
    """
    from litcurate.schemas.loader import load_release

    return load_release(path, version, check=check)
