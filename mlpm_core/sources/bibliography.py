"""The bibliography (``data/sources.toml``): each cited source once, and how to cite it.

Data files name a source by a short stable id (``thompson-2022``); everything a user sees (the
pages, the Rules table, the report, the CLI) turns that id into a citation with authors, title,
publisher and year, and a link. The file also records the local copy each quote was checked
against, but that is for the test suite only: the models here drop it, so no caller can show it.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mlpm_core.errors import UserError
from mlpm_core.paths import repo_data_dir

SOURCES_FILE = "sources.toml"
USER = "user"
# Only characters that need no escaping in a Markdown link destination, an HTML attribute or a
# PDF link, so a URL from the data file can be written into any format as it is.
_URL = r"^https://[A-Za-z0-9._~:/?#@!$&*+,;=%-]+$"


class Source(BaseModel):
    """One source, as a reader would look it up."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    authors: tuple[str, ...] = ()
    title: str = Field(min_length=1)
    publisher: str = ""
    kind: str = ""
    year: int | None = Field(None, ge=1900, le=2100)
    url: str = Field("", pattern=_URL + "|^$")


class _Entry(Source):
    """A row of the file: a source plus the name of its local copy, which only tests read."""

    seed: str = Field(min_length=1)


class Citation(BaseModel):
    """A source cited in one place: the parts every output format assembles its own way.

    ``lead`` is the authors' surnames (or the publisher when the source names no person),
    ``details`` what the text is, where and when ("Q&A, DataTalks.Club, 2022").
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    lead: str
    title: str
    details: str
    url: str
    year: int | None = None

    @property
    def brief(self) -> str:
        """Author and year ("Thompson (2022)"), for a narrow table beside the reference list."""
        head = self.lead or self.title
        return f"{head} ({self.year})" if self.year else head

    @property
    def plain(self) -> str:
        """The short citation as plain text, for tables, the PDF, JSON and CSV."""
        head = f"{self.lead}, {self.title}" if self.lead else self.title
        return f"{head} ({self.details})" if self.details else head


class Reference(Citation):
    """A line of the reference list: the citation with every author's full name."""

    authors: str

    @property
    def who(self) -> str:
        """The authors in full, or the publisher when the source names no person."""
        return self.authors or self.lead

    @property
    def about(self) -> str:
        """The details as the start of a sentence ("Q&A, DataTalks.Club, 2022")."""
        return self.details[:1].upper() + self.details[1:]

    @property
    def full(self) -> str:
        """The reference as plain text: Authors. Title. Details. URL."""
        parts = [f"{part}." for part in (self.who, self.title, self.about) if part]
        return " ".join([*parts, self.url] if self.url else parts)


@lru_cache(maxsize=4)
def load_sources(path: Path | None = None) -> dict[str, Source]:
    """Every source by id, validated once: a broken bibliography is a bug, reported clearly."""
    path = path or repo_data_dir() / SOURCES_FILE
    raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        entries = [_Entry.model_validate({"id": key, **value}) for key, value in raw.items()]
    except (ValidationError, TypeError) as error:
        raise UserError(f"{path.name} is invalid: {error}") from None
    return {entry.id: Source.model_validate(entry.model_dump(exclude={"seed"}))
            for entry in entries}


def _surname(name: str) -> str:
    return name.split()[-1]


def _lead(source: Source) -> str:
    names = [_surname(author) for author in source.authors]
    if len(names) > 2:
        return f"{names[0]} et al."
    return " and ".join(names) or source.publisher


def citation(source_id: str) -> Citation | None:
    """The citation of a source in the bibliography; None for any other id (a user's rule)."""
    source = load_sources().get(source_id)
    if source is None:
        return None
    lead = _lead(source)
    details = [source.kind, "" if lead == source.publisher else source.publisher,
               str(source.year or "")]
    return Citation(id=source.id, lead=lead, title=source.title,
                    details=", ".join(part for part in details if part), url=source.url,
                    year=source.year)


def plain_citation(source_id: str) -> str:
    """The short citation as plain text; a user's rule says so; an unknown id is shown as is."""
    found = citation(source_id)
    if found is not None:
        return found.plain
    return "your own rule" if source_id == USER else source_id


def _md(text: str) -> str:
    """Every ASCII punctuation character backslash-escaped: CommonMark shows it literally."""
    return "".join(f"\\{char}" if char.isascii() and not char.isalnum() and not char.isspace()
                   else char for char in " ".join(text.split()))


def markdown_citation(cited: Citation, link: bool = True) -> str:
    """A citation as Markdown: every part escaped, the title in italics, linked to its URL."""
    title = f"*{_md(cited.title)}*"
    head = f"{_md(cited.lead)}, {title}" if cited.lead else title
    text = f"{head} ({_md(cited.details)})" if cited.details else head
    return f"[{text}](<{cited.url}>)" if link and cited.url else text


def markdown_reference(reference: Reference) -> str:
    """A reference-list entry as Markdown: Authors. *Title*. Details. <URL> (a link)."""
    who = f"{_md(reference.who)}. " if reference.who else ""
    about = f" {_md(reference.about)}." if reference.about else ""
    url = f" <{reference.url}>" if reference.url else ""
    return f"{who}*{_md(reference.title)}*.{about}{url}"


def short_citation(source_id: str, link: bool = True) -> str:
    """The short citation of an id as Markdown (see :func:`markdown_citation`).

    Any id that is not in the bibliography (a user's own text) is escaped, never interpreted.
    """
    found = citation(source_id)
    return _md(plain_citation(source_id)) if found is None else markdown_citation(found, link)


def reference_list(source_ids: list[str] | None = None) -> list[Reference]:
    """The references for these ids (all sources when None), in first-cited order, each once.

    Ids that are not in the bibliography (a user's rule) have no reference and are skipped.
    """
    ids = list(load_sources()) if source_ids is None else list(dict.fromkeys(source_ids))
    found = []
    for source_id in ids:
        cited = citation(source_id)
        if cited is not None:
            authors = ", ".join(load_sources()[source_id].authors)
            found.append(Reference(**cited.model_dump(), authors=authors))
    return found
