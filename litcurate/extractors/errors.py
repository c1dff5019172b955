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
        return str(self)


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
