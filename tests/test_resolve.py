"""Tests for kg.extract.resolve: one entity per real-world thing, with canonical label and aliases."""
from __future__ import annotations

import pytest

from kg.extract.resolve import clean_label, identity_key, resolve_entities, split_owner
from kg.model import Entity, Mention

REGION = "衢州市"


@pytest.mark.parametrize(("text", "label"), [
    ("“企呼我应”机制", "企呼我应机制"),
    ("《南孔》", "南孔"),
    ("首批国家级制造业中试平台", "国家级制造业中试平台"),
    ("全市新材料产业链", "新材料产业链"),
    ("杭衢高铁", "杭衢高铁"),
    # a counter is not stripped when too little would be left
    ("首批站", "首批站"),
])
def test_clean_label(text: str, label: str) -> None:
    """Quotation marks and leading counters go; the name stays."""
    assert clean_label(text) == label


@pytest.mark.parametrize(("a", "b"), [
    ("综保区", "综合保税区"),
    ("衢州综保区", "衢州综合保税区"),
    ("“企呼我应”机制", "企呼我应机制"),
])
def test_identity_key_same(a: str, b: str) -> None:
    """Short heads and quotes do not make a different thing."""
    assert identity_key(a) == identity_key(b)


def test_identity_key_different() -> None:
    """Different names keep different keys."""
    assert identity_key("衢州综保区") != identity_key("金华综保区")


@pytest.mark.parametrize(("label", "parts"), [
    ("浙大衢州研究院高端化学品中试平台", ("浙大衢州研究院", "高端化学品中试平台")),
    ("杭衢高铁", None),
    ("衢州综保区", None),
    ("新材料产业链", None),
])
def test_split_owner(label: str, parts: tuple[str, str] | None) -> None:
    """An institution's name before another name is its owner."""
    assert split_owner(label) == parts


def _mention(text: str, typ: str, sentence: int, subtype: str = "") -> Mention:
    return Mention(text, typ, sentence, 0, len(text), subtype)


def _by_label(entities: list[Entity]) -> dict[str, Entity]:
    return {e.label: e for e in entities}


def test_short_place_name_merges_into_full_name() -> None:
    """衢州 and 衢州市 are one Place labelled 衢州市, with 衢州 as an alias."""
    entities, _, where = resolve_entities([
        _mention("衢州", "Place", 0, "AdministrativeDivision"),
        _mention("衢州市", "Place", 1, "AdministrativeDivision"),
    ], REGION)
    places = [e for e in entities if e.type == "Place"]
    assert [e.label for e in places] == ["衢州市"]
    assert "衢州" in places[0].aliases
    assert set(places[0].sentences) == {0, 1}
    assert where[(0, 0, 2)] == where[(1, 0, 3)] == "衢州市"


def test_region_is_always_an_entity() -> None:
    """The report's region is an entity even when no sentence names it."""
    entities, _, _ = resolve_entities([], REGION)
    assert [(e.label, e.type) for e in entities] == [("衢州市", "Place")]


def test_name_without_place_prefix_merges() -> None:
    """综保区 alone is the 衢州综保区 named elsewhere in the report."""
    entities, _, where = resolve_entities([
        _mention("衢州综保区", "Institution", 2, "DevelopmentZone"),
        _mention("综保区", "Institution", 3, "DevelopmentZone"),
    ], REGION)
    e = _by_label(entities)
    assert "综保区" not in e
    assert "综保区" in e["衢州综保区"].aliases
    assert set(e["衢州综保区"].sentences) == {2, 3}
    assert where[(3, 0, 3)] == "衢州综保区"


def test_abbreviated_and_full_heads_merge() -> None:
    """衢州综保区 and 衢州综合保税区 are one entity."""
    entities, _, _ = resolve_entities([
        _mention("衢州综保区", "Institution", 0, "DevelopmentZone"),
        _mention("衢州综合保税区", "Institution", 1, "DevelopmentZone"),
    ], REGION)
    institutions = [e for e in entities if e.type == "Institution"]
    assert len(institutions) == 1
    assert {institutions[0].label, *institutions[0].aliases} >= {"衢州综保区", "衢州综合保税区"}


def test_quoted_and_unquoted_forms_merge() -> None:
    """A quoted name and its bare form are one entity; the label has no quotes."""
    entities, _, _ = resolve_entities([
        _mention("“企呼我应”机制", "Policy", 0, "Mechanism"),
        _mention("企呼我应机制", "Policy", 1, "Mechanism"),
    ], REGION)
    policies = [e for e in entities if e.type == "Policy"]
    assert [e.label for e in policies] == ["企呼我应机制"]
    assert policies[0].sentences == (0, 1)


def test_owner_prefixed_name_splits_into_two_with_part_of() -> None:
    """An owner-prefixed name gives the owner, the thing, and thing partOf owner."""
    entities, relations, _ = resolve_entities([
        _mention("浙大衢州研究院高端化学品中试平台", "Institution", 4, "Platform"),
    ], REGION)
    e = _by_label(entities)
    assert e["浙大衢州研究院"].type == "Institution"
    assert e["高端化学品中试平台"].type == "Institution"
    assert "浙大衢州研究院高端化学品中试平台" in e["高端化学品中试平台"].aliases
    assert [(r.subject, r.predicate, r.object, r.sentence) for r in relations] == [
        ("高端化学品中试平台", "partOf", "浙大衢州研究院", 4)]


def test_entities_are_sorted_and_unique() -> None:
    """Entities come sorted by (type, label), one per label."""
    entities, _, _ = resolve_entities([
        _mention("杭衢高铁", "Project", 0, "InfrastructureProject"),
        _mention("新材料产业链", "Industry", 0, "IndustryChain"),
        _mention("杭衢高铁", "Project", 1, "InfrastructureProject"),
        _mention("衢州", "Place", 1, "AdministrativeDivision"),
    ], REGION)
    keys = [(e.type, e.label) for e in entities]
    assert keys == sorted(keys)
    assert len({e.label for e in entities}) == len(entities)
    assert _by_label(entities)["杭衢高铁"].sentences == (0, 1)
