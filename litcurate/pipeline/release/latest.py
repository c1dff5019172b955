"""LATEST and the releases it names: read, checked, and repaired after a crash.

A release folder appears whole (a rename) before LATEST is pointed at it, so a crash
between the two leaves a complete release that LATEST does not name yet; the next
publish would then compute that version again and refuse to overwrite it, run after
run. So before publishing, LATEST is settled: pointed at the newest release that
verifies when it names an older one or none, and refused, never guessed past, when it
names a release that is not there or is not a version at all (a guess would publish
a bogus major release).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from litcurate.atomic import write_atomic
from litcurate.pipeline.release.publish_lock import PublishError
from litcurate.schemas.loader import (
    ReleaseError,
    load_release,
    read_manifest,
    release_file_problems,
)

RELEASES_DIR = "releases"
LATEST_FILE = "LATEST"
PENDING_FILE = ".publishing"  # the version being renamed into place, until LATEST names it
SEMVER = re.compile(r"(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})\.(0|[1-9]\d{0,8})")

log = logging.getLogger(__name__)


class LatestError(PublishError):
    """LATEST cannot be trusted; the message says what is wrong and what to do."""


def version_key(version: str) -> tuple[int, int, int] | None:
    """A release version's sort key; None for anything that is not MAJOR.MINOR.PATCH."""
    match = SEMVER.fullmatch(version)
    if match is None:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def latest_version(curated_dir: Path) -> str | None:
    """The version LATEST names, if any."""
    latest = curated_dir / LATEST_FILE
    if not latest.is_file():
        return None
    version = latest.read_text(encoding="utf-8", errors="replace").strip()
    return version or None


def write_latest(curated_dir: Path, version: str) -> None:
    """Point LATEST at ``version`` with an atomic replace."""
    write_atomic(curated_dir / LATEST_FILE, f"{version}\n".encode(),
                 temporary=curated_dir / f".{LATEST_FILE}.tmp", sync=True)


def published_versions(releases: Path) -> list[str]:
    """The release folders under ``releases`` (a version with a datapackage.json), oldest
    first; anything else there (hidden staging, stray folders) is not a release."""
    if not releases.is_dir():
        return []
    found = [p.name for p in releases.iterdir()
             if version_key(p.name) is not None and (p / "datapackage.json").is_file()]
    return sorted(found, key=lambda v: version_key(v) or (0, 0, 0))


def newest_verified(releases: Path, after: str | None = None) -> str | None:
    """The newest release (newer than ``after``, if given) whose files all match their
    hashes; None when there is none."""
    floor = version_key(after) if after else None
    for version in reversed(published_versions(releases)):
        if floor is not None and (version_key(version) or (0, 0, 0)) <= floor:
            return None
        if _verifies(releases / version):
            return version
    return None


def mark_pending(curated_dir: Path, version: str) -> None:
    """Note, durably, that ``version`` is being renamed into place and LATEST is next."""
    write_atomic(curated_dir / PENDING_FILE, f"{version}\n", prefix=f"{PENDING_FILE}.",
                 sync=True)


def clear_pending(curated_dir: Path) -> None:
    (curated_dir / PENDING_FILE).unlink(missing_ok=True)


def _verifies(release: Path) -> bool:
    try:
        load_release(release, check=True)
    except (ReleaseError, OSError, ValueError, KeyError, TypeError):
        return False
    return True


def _finish_pending(curated_dir: Path, named: str | None) -> str | None:
    """LATEST after finishing a publish that stopped between its rename and LATEST."""
    pending_file = curated_dir / PENDING_FILE
    pending = pending_file.read_text(encoding="utf-8", errors="replace").strip() if (
        pending_file.is_file()) else ""
    key = version_key(pending)
    if key is not None and (named is None or key > (version_key(named) or (0, 0, 0))) and (
            _verifies(curated_dir / RELEASES_DIR / pending)):
        log.warning("release %s was published but LATEST not updated (the run stopped); "
                    "LATEST now names it", pending)
        write_latest(curated_dir, pending)
        named = pending
    clear_pending(curated_dir)
    return named


def latest_problems(release: Path) -> list[str]:
    """What is wrong with the files of ``release`` (a file edited, truncated or gone, a
    manifest of the wrong shape): a release compared against or published after must be
    the one that was published."""
    try:
        return release_file_problems(release, read_manifest(release))
    except ReleaseError as error:
        return [str(error)]


def settle_latest(curated_dir: Path) -> str | None:
    """The version the next release follows: LATEST, repaired when a crash left it behind
    (a publish stopped before updating it, or a newer release that verifies). Raises
    ``LatestError`` when LATEST names something that is not a published release."""
    releases = curated_dir / RELEASES_DIR
    named = _finish_pending(curated_dir, latest_version(curated_dir))
    if named is None:
        return None
    shown = named if len(named) <= 40 else named[:37] + "..."
    if version_key(named) is None:
        raise LatestError(f"{curated_dir / LATEST_FILE} says {shown!r}, which is not a "
                          f"release version; point it at a release in {releases}")
    if not (releases / named / "datapackage.json").is_file():
        raise LatestError(f"{curated_dir / LATEST_FILE} names release {named}, which is not "
                          f"in {releases}; restore that release or point LATEST at one that "
                          "is there (refusing to guess the next version)")
    damage = latest_problems(releases / named)
    if damage:
        more = (f" (and {len(damage) - 1} more; `litcurate verify` lists them)"
                if len(damage) > 1 else "")
        raise LatestError(f"LATEST names release {named}, which fails verification: "
                          f"{damage[0]}{more}; restore that release before publishing on top "
                          "of it")
    newest = newest_verified(releases, after=named)
    if newest is None:
        return named
    log.warning("LATEST named %s; repaired to %s, the newest release that verifies",
                named, newest)
    write_latest(curated_dir, newest)
    return newest
