"""Sources stage: a folder of articles, shared ids merged, contradictions between articles reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib.namespace import PROV

from kg.errors import InputError
from kg.iris import ID
from kg.pipeline import articles_of, build_from, union_of
from tests.conftest import ROOT, run_kg

SECOND_TEXT = "广东村田智能科技有限公司今日举行开放日活动。村田智能公司党支部组织党员参加志愿服务。"


def _folder_with_second_article(tmp_path: Path, en_label: str | None = None) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for suffix in ("txt", "yaml"):
        name = f"shunde-2020-07-15.{suffix}"
        shutil.copyfile(ROOT / "data" / "articles" / name, folder / name)
    murata = next(e for e in articles_of()[0].entities if e.id == "org/murata")
    (folder / "open-day.txt").write_text(SECOND_TEXT, encoding="utf-8")
    (folder / "open-day.yaml").write_text(
        "article:\n  id: open-day\n  evidence_key: open-day\n"
        "  label: {zh: 村田开放日, en: Murata open day}\n  quote: 广东村田智能科技有限公司今日举行开放日活动。\n"
        "entities:\n  - id: org/murata\n    type: PrivateEnterprise\n"
        f"    label: {{zh: {murata.label_zh}, en: \"{en_label or murata.label_en}\"}}\n"
        "    quote: 广东村田智能科技有限公司今日举行开放日活动\n",
        encoding="utf-8",
    )
    return folder


def test_shared_ids_merge_into_one_node_with_both_evidences(tmp_path: Path) -> None:
    dataset = build_from(_folder_with_second_article(tmp_path))
    graph = union_of(dataset)
    murata = ID["org/murata"]
    evidence = {str(e).rsplit("/", 1)[-1] for e in graph.objects(murata, PROV.wasDerivedFrom)}
    assert any(e.startswith("open-day-0-") for e in evidence)
    assert any(e.startswith("seed-") for e in evidence)
    assert len({g.identifier for g in dataset.graphs() if (murata, None, None) in g}) == 2


def test_contradicting_labels_are_reported_with_both_places(tmp_path: Path) -> None:
    folder = _folder_with_second_article(tmp_path, en_label="Murata Kitchen and Bath")
    with pytest.raises(InputError) as caught:
        articles_of(folder)
    message = str(caught.value)  # articles are read in name order: open-day first, then the seed article
    assert message.startswith(f"{folder / 'shunde-2020-07-15.yaml'}:")
    assert "org/murata: en label 'Guangdong Murata Intelligent Technology Co., Ltd.' contradicts" in message
    assert message.endswith("'Murata Kitchen and Bath' at open-day.yaml:7")


def test_article_text_without_facts_is_an_error(tmp_path: Path) -> None:
    folder = _folder_with_second_article(tmp_path)
    (folder / "open-day.yaml").unlink()
    result = run_kg("build", "--sources", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    expected = f"{folder / 'open-day.txt'}: article text without its curated facts file open-day.yaml"
    assert result.stderr.strip() == expected
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_missing_sources_folder(tmp_path: Path) -> None:
    result = run_kg("build", "--sources", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"{tmp_path / 'nowhere'}: not a folder of articles"
