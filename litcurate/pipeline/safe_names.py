"""Names from outside that become paths: file names and paper ids, checked in one place.

A PDF's name comes from ``add --name``, a URL or sources.yaml; a paper id from
sources.yaml or the ``correct`` command line. Each becomes one file name under its
folder (``data/raw/<file>``, ``corrections/<paper_id>.yaml``) and is part of every
record id, so each must be one plain path component: no separator, not hidden and
not ``..``, printable, and of bounded length. Anything else could write or read
outside the folder it is meant for.
"""

from __future__ import annotations

from pathlib import Path

MAX_NAME = 200  # characters; well under every file system's limit, suffixes included
SEPARATORS = ("/", "\\")


class UnsafeNameError(ValueError):
    """A file name or paper id that is not one plain path component; says why."""


def name_problem(name: str) -> str:
    """Given a name, return what keeps it from being one plain path component ('' if
    nothing)."""
    if not name:
        return "is empty"
    if len(name) > MAX_NAME:
        return f"is longer than {MAX_NAME} characters"
    if any(separator in name for separator in SEPARATORS):
        return "contains a path separator"
    if name.startswith("."):
        return "starts with '.' (a hidden file or a parent folder)"
    if not name.isprintable():
        return "contains a control character"
    return ""


def check_name(name: str, what: str = "file name") -> str:
    """``name`` itself when it is safe to use as one path component under a folder."""
    problem = name_problem(name)
    if problem:
        shown = name if len(name) <= 60 else name[:57] + "..."
        raise UnsafeNameError(f"{what} {shown!r} {problem}")
    return name


def refuse_symlink(path: Path) -> None:
    """Writes never follow a link: a link where a file is to be written is an error."""
    if path.is_symlink():
        raise UnsafeNameError(f"{path} is a symbolic link; litcurate never writes through "
                              "links (remove it or choose another name)")
