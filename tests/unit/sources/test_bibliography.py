"""The bibliography: every source cited anywhere exists once, citations are built and escaped
from it, and the local text a quote is checked against never reaches a caller."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mlpm_core.errors import UserError
from mlpm_core.scenario.rule_spec import RuleDefinition, RuleSource
from mlpm_core.sources import (
    citation,
    load_sources,
    markdown_reference,
    plain_citation,
    reference_list,
    short_citation,
)
from mlpm_core.sources.bibliography import SOURCES_FILE
from tests.conftest import DATA, SEED_NAME

DATA_FILES = sorted(path for path in [*DATA.glob("*.toml"), *DATA.glob("templates/*.toml")]
                    if path.name != SOURCES_FILE)
THOMPSON_URL = "https://datatalks.club/books/20221010-managing-machine-learning-projects.html"


def cited_ids(node: object) -> list[str]:
    """Every source id a TOML tree cites: ``source = { id = ... }`` and ``cites = [...]``."""
    found: list[str] = []
    if isinstance(node, dict):
        source = node.get("source")
        if isinstance(source, dict) and "id" in source:
            found.append(source["id"])
        found += list(node.get("cites", []))
        for value in node.values():
            found += cited_ids(value)
    elif isinstance(node, list):
        for item in node:
            found += cited_ids(item)
    return found


def all_cited() -> dict[str, list[str]]:
    return {path.name: cited_ids(tomllib.loads(path.read_text(encoding="utf-8")))
            for path in DATA_FILES}


def test_every_source_a_data_file_cites_is_in_the_bibliography():
    """A typo in a source id would leave a rule without its citation: none is unknown."""
    known = set(load_sources()) | {"user"}
    cited = all_cited()
    assert sum(len(ids) for ids in cited.values()) > 100  # rules, templates, texts all cite
    unknown = {name: sorted(set(ids) - known) for name, ids in cited.items() if set(ids) - known}
    assert unknown == {}


def test_every_source_in_the_bibliography_is_cited_and_named_once():
    """No dead entry; each source has its own local text."""
    cited = {source_id for ids in all_cited().values() for source_id in ids}
    assert set(load_sources()) <= cited
    raw = tomllib.loads((DATA / SOURCES_FILE).read_text(encoding="utf-8"))
    seeds = [entry["seed"] for entry in raw.values()]
    assert len(seeds) == len(set(seeds)) == len(load_sources())


def test_no_data_file_names_a_seed_file():
    """Data cite by id; only the bibliography's ``seed`` fields name the local texts."""
    for path in DATA_FILES:
        assert not SEED_NAME.search(path.read_text(encoding="utf-8")), path.name


def test_the_loaded_sources_do_not_carry_the_local_file_name():
    """What callers get has authors, title, publisher, year and URL, but no ``seed``."""
    thompson = load_sources()["thompson-2022"]
    assert (thompson.authors, thompson.title, thompson.publisher, thompson.year,
            thompson.url) == (("Simon Thompson",), "Managing Machine Learning Projects",
                              "DataTalks.Club", 2022, THOMPSON_URL)
    for source in load_sources().values():
        assert not hasattr(source, "seed")
        assert not SEED_NAME.search(source.model_dump_json())


def test_short_citations_in_plain_text_and_markdown():
    """Surname, title and details; Markdown escapes every part, italicises the title and links
    it; a source without an author leads with its publisher, one without a URL is not linked."""
    assert plain_citation("thompson-2022") == (
        "Thompson, Managing Machine Learning Projects (Q&A, DataTalks.Club, 2022)")
    assert short_citation("thompson-2022") == (
        r"[Thompson, *Managing Machine Learning Projects* (Q\&A\, DataTalks\.Club\, 2022)]"
        f"(<{THOMPSON_URL}>)")
    assert short_citation("thompson-2022", link=False).startswith("Thompson, *Managing")
    assert plain_citation("google-managing-ml") == (
        "Google for Developers, Managing ML Projects (guide)")
    assert short_citation("ml-projects-max-roi") == (
        "*How to Manage Machine Learning Projects for Maximum ROI*")
    thompson = citation("thompson-2022")
    assert thompson is not None and thompson.brief == "Thompson (2022)"


def test_an_id_outside_the_bibliography_is_shown_as_text_never_as_markup():
    """A user's own rule says so; any other id (from an imported scenario) is escaped."""
    assert citation("user") is None and plain_citation("user") == "your own rule"
    assert short_citation("[x](https://evil.example) *b*") == (
        r"\[x\]\(https\:\/\/evil\.example\) \*b\*")


def test_the_reference_list_keeps_first_cited_order_once_each_and_skips_user_rules():
    """Full author names, the details as a sentence and the URL; all sources when no ids."""
    references = reference_list(["thompson-2022", "user", "fsdl-2021", "thompson-2022"])
    assert [reference.id for reference in references] == ["thompson-2022", "fsdl-2021"]
    assert references[0].full == ("Simon Thompson. Managing Machine Learning Projects. Q&A, "
                                  f"DataTalks.Club, 2022. {THOMPSON_URL}")
    assert markdown_reference(references[1]) == (
        r"Full Stack Deep Learning. *Week 5\: ML Project*. Lecture notes\, 2021. "
        "<https://fullstackdeeplearning.com/spring2021/>")
    assert [reference.id for reference in reference_list()] == list(load_sources())


def test_a_source_with_only_a_title_prints_the_title_and_nothing_invented():
    """The repository states no author, publisher, year or URL for the Maximum-ROI article;
    every format prints its title cleanly, with no empty author, link or 'None'."""
    from mlpm_core.report.html import _reference

    [reference] = reference_list(["ml-projects-max-roi"])
    title = "How to Manage Machine Learning Projects for Maximum ROI"
    assert (reference.authors, reference.url) == ("", "")
    assert reference.full == f"{title}."
    assert markdown_reference(reference) == f"*{title}*."
    assert _reference(reference) == f"<li><cite>{title}</cite>.</li>"


@pytest.mark.parametrize("entry, problem", [
    ('[a-b]\ntitle = "T"\n', "seed"),
    ('[a-b]\ntitle = "T"\nseed = "s.txt"\nurl = "https://e.example/x)[y"\n', "url"),
    ('[a-b]\ntitle = "T"\nseed = "s.txt"\nurl = "http://e.example/"\n', "url"),
    ('[A_B]\ntitle = "T"\nseed = "s.txt"\n', "id"),
    ('[a-b]\ntitle = "T"\nseed = "s.txt"\neditor = "X"\n', "editor"),
])
def test_a_broken_bibliography_is_reported_clearly(tmp_path: Path, entry: str, problem: str):
    """A missing local text, a URL that would need escaping or is not https, a bad id or an
    unknown field each stop the load with the file's name and the field."""
    path = tmp_path / SOURCES_FILE
    path.write_text(entry, encoding="utf-8")
    with pytest.raises(UserError, match=rf"sources\.toml is invalid(?s:.*){problem}"):
        load_sources(path)


def test_a_rule_saved_with_the_old_file_key_still_loads():
    """Scenarios saved before the bibliography named a rule's source ``file``."""
    rule = RuleDefinition.model_validate({
        "id": "mine", "title": "Mine", "when": "true", "multiplier": {"low": 1, "high": 2},
        "source": {"file": "user", "quote": "We saw it."}})
    assert rule.source == RuleSource(id="user", quote="We saw it.")
    assert "file" not in rule.model_dump()["source"]
