"""The synthetic-article generator writes what the curated-data loader accepts, deterministically.

The loader itself checks every quote (in the text, once or with start:), every id (unique, resolvable), and
that an id shared by two articles has the same labels and types in both; these tests make it load the
output and check what the loader does not: determinism, sharing across articles, the statement kinds the
real article has, and that the result builds, closes and validates.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from rdflib.namespace import RDF

from benchmarks.generate import articles, generate, main
from kg.build import build_dataset, source_index
from kg.closure import rules_closure
from kg.iris import ZQ
from kg.ontology import ontology_graph
from kg.pipeline import articles_of, union_of
from kg.reason import reason
from kg.sources import Article
from kg.validate import validate


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def five(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Article]]:
    folder = tmp_path_factory.mktemp("five")
    generate(5, folder, seed=3)
    return folder, articles_of(folder)


def test_one_article_loads(tmp_path: Path) -> None:
    ids = generate(1, tmp_path)
    loaded = articles_of(tmp_path)
    assert [a.id for a in loaded] == ids
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{ids[0]}.txt", f"{ids[0]}.yaml"]
    assert len(loaded[0].entities) > 20


def test_five_articles_load_with_shared_ids(five: tuple[Path, list[Article]]) -> None:
    _, loaded = five
    assert len(loaded) == 5
    counts = Counter(e.id for a in loaded for e in a.entities)
    shared = {ident for ident, n in counts.items() if n > 1}
    assert any(i.startswith("phase/") for i in shared)  # phase n-1 of one article is launched by the one before
    assert any(i.startswith("org/") for i in shared)  # bureaus, branches and enterprises recur in a district
    assert any(i.startswith("pairing/") for i in shared)  # a pairing launched, then reported on


def test_statement_kinds_of_the_real_article(five: tuple[Path, list[Article]]) -> None:
    _, loaded = five
    types = Counter(str(t).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for a in loaded for e in a.entities for t in e.types)
    for kind in ("AdministrativeArea", "Programme", "ProgrammePhase", "Pairing", "PartyBranch", "GovernmentAgency",
                 "Post", "Role", "Person", "Meeting", "SigningCeremony", "LaunchCeremony", "Outcome", "Remark"):
        assert types[kind] > 0, kind
    predicates = Counter(str(f.predicate).rsplit("#", 1)[-1] for a in loaded for e in a.entities for f in e.facts)
    for prop in ("party", "inPhase", "hostedBy", "phaseOf", "count", "partOfOutcome", "spokenBy", "heldBy"):
        assert predicates[prop] > 0, prop
    assert any(f.quote is not None for a in loaded for e in a.entities for f in e.facts)  # reified statements


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate(5, tmp_path / "a", seed=11)
    generate(5, tmp_path / "b", seed=11)
    generate(5, tmp_path / "c", seed=12)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")


def test_ids_and_names_stay_unique_across_a_larger_corpus() -> None:
    """300 articles: no two articles share an id; across all of them an entity id has one pair of names, and
    an enterprise's or place's full Chinese or English name (what its id is made from) belongs to it alone.
    Others may share names, as real ones do: namesakes (ids of their own), two provinces' 恒荣智能公司党支部
    (a branch is named after its company's short name), events' generic names."""
    import yaml

    ids: list[str] = []
    names_of: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
    owner: dict[str, str] = {}
    for ident, _text, facts in articles(300, seed=1):
        ids.append(ident)
        for entity in yaml.safe_load(facts)["entities"]:
            label = entity["label"]
            names_of[entity["id"]].add((label["zh"], label["en"]))
            for name in (label["zh"], label["en"]) if unique_names(entity) else ():
                assert owner.setdefault(name, entity["id"]) == entity["id"], (name, entity["id"], owner[name])
    assert len(ids) == len(set(ids))
    assert all(len(names) == 1 for names in names_of.values())
    assert len(owner) > 2 * 300  # many enterprises and places, so the checks above looked at something


def unique_names(entity: dict[str, str]) -> bool:
    return entity["type"].endswith("Enterprise") or entity["id"].startswith("place/")


def test_builds_closes_and_validates(five: tuple[Path, list[Article]]) -> None:
    _, loaded = five
    graph = union_of(build_dataset(loaded, ontology_graph()), inferred=False)
    reasoning = reason(graph, closure=rules_closure)
    assert (None, ZQ.pairedWith, None) in reasoning.inferred
    assert (None, RDF.type, ZQ.PartyOrganization) in reasoning.inferred
    report = validate(graph, sources_index=source_index(loaded), inferred=reasoning.inferred)
    assert report.conforms, report.to_text()


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--articles", "2", "--out", str(tmp_path), "--seed", "5"]) == 0
    assert "wrote 2 articles" in capsys.readouterr().err
    assert len(list(tmp_path.glob("*.yaml"))) == 2
