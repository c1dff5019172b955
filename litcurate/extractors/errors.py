"""Unrecoverable input problems, with messages a curator can act on.

Data problems inside a readable paper are ``Issue`` records, not exceptions; these
are for files the extractor cannot read at all. The pipeline reports them by file
name and carries on with the rest of the batch.
"""


class ExtractionError(Exception):
    """Base of every error a paper can fail with; ``reason`` is one line for the report."""

    slug = "extraction-failed"

    @property
    def reason(self) -> str:
        """One printable line: damaged files put raw bytes and newlines in messages."""
        return one_line(str(self))


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line, control characters escaped, cut to ``limit`` characters."""
    printable = "".join(c if c.isprintable() else repr(c)[1:-1] for c in " ".join(text.split()))
    return printable if len(printable) <= limit else printable[: limit - 3] + "..."


class EmptyFileError(ExtractionError):
    slug = "empty-file"


class NotAPdfError(ExtractionError):
    slug = "not-a-pdf"


class CorruptPdfError(ExtractionError):
    slug = "corrupt-pdf"


class EncryptedPdfError(ExtractionError):
    slug = "encrypted-pdf"


class NoTextLayerError(ExtractionError):
    slug = "no-text-layer"
