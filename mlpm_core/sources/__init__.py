"""The sources mlpm cites, and their citations (see ``bibliography``)."""

from mlpm_core.sources.bibliography import (
    USER,
    Citation,
    Reference,
    Source,
    citation,
    load_sources,
    markdown_citation,
    markdown_reference,
    plain_citation,
    reference_list,
    short_citation,
)

__all__ = [
    "USER",
    "Citation",
    "Reference",
    "Source",
    "citation",
    "load_sources",
    "markdown_citation",
    "markdown_reference",
    "plain_citation",
    "reference_list",
    "short_citation",
]
