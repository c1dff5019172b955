"""Releases: publishing, resource files, versioning, diffs, verification, carry-over."""
