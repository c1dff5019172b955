"""A digest of litcurate's own source files: what a cache entry was computed with.

The extraction cache, the run memo and the metrics card each depend on part of the
code (the extractors, or the whole package); hashing those files means an edited
rule is never served stale, even before a version number is bumped. Files are named
by their path in the package, so the digest is the same wherever it is installed.

This module imports nothing from litcurate's layers: every layer may use it.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def package_files(patterns: tuple[str, ...]) -> list[Path]:
    """The package's files matching any of the glob ``patterns`` (relative to it), sorted."""
    return sorted({path for pattern in patterns for path in PACKAGE.glob(pattern)
                   if path.is_file()})


@functools.cache
def code_digest(patterns: tuple[str, ...]) -> str:
    """sha256 over the package files matching ``patterns``: their paths and bytes."""
    digest = hashlib.sha256()
    for path in package_files(patterns):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
