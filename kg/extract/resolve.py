"""Resolve mentions into entities: one node per real-world thing.

Quoted and unquoted forms, owner-prefixed forms (浙大衢州研究院高端化学品中试平台 → the
platform, part of the institute), abbreviated heads (综保区 / 综合保税区) and short place
names (衢州 / 衢州市) all land on one entity with one canonical label and its other forms
as aliases.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.model import Entity, Mention, Relation
from kg.text import lexicon
from kg.text.segment import segment

_QUOTES = re.compile(r"[“”‘’\"《》「」『』]")
_LEADING = re.compile(r"^(?:首批|首个|首家|一批|全市|我市|本市)")
_OWNER_TYPES = ("Institution",)
_TYPE_PRIORITY = {t: i for i, t in enumerate(("Place", "Event", "Designation", "Institution", "Project", "Industry", "Policy"))}


@lru_cache(maxsize=65536)
def clean_label(text: str) -> str:
    """Drop quotation marks and leading counters from a mention's text.

    >>> clean_label("“企呼我应”机制"), clean_label("首批国家级制造业中试平台")
    ('企呼我应机制', '国家级制造业中试平台')
    """
    label = _QUOTES.sub("", text).strip()
    stripped = _LEADING.sub("", label)
    return stripped if len(stripped) >= 3 else label


@lru_cache(maxsize=65536)
def identity_key(label: str) -> str:
    """Return the form under which two names are the same thing (full heads, no quotes).

    >>> identity_key("衢州综保区") == identity_key("衢州综合保税区")
    True
    """
    key = _QUOTES.sub("", label)
    for short, full in lexicon.abbreviations().items():
        if key.endswith(short):
            key = key[: -len(short)] + full
            break
    return key


def _place_label(text: str) -> str:
    place = lexicon.place_names().get(text)
    return place.name if place else text


@lru_cache(maxsize=65536)
def split_owner(label: str) -> tuple[str, str] | None:
    """Split an owner-prefixed name into (owner, name), or None.

    >>> split_owner("浙大衢州研究院高端化学品中试平台")
    ('浙大衢州研究院', '高端化学品中试平台')
    """
    words = segment(label)
    pos = 0
    for w in words[:-1]:
        pos += len(w)
        suffix = _suffix(w)
        rest = label[pos:]
        if suffix and suffix.type in _OWNER_TYPES and len(rest) >= 3 and _suffix(rest) and pos >= 4:
            return label[:pos], rest
    return None


@lru_cache(maxsize=65536)
def _suffix(text: str) -> lexicon.Suffix | None:
    table = lexicon.entity_suffixes()
    for n in range(min(len(text), 6), 0, -1):
        if text[-n:] in table:
            return table[text[-n:]]
    return None


class _Draft:
    """An entity being gathered: its label, and counts of the types and subtypes it is named with.

    A plain class of plain dicts: a report makes a draft for most of its mentions, and a
    dataclass of Counters costs four Python-level constructor calls each.
    """

    __slots__ = ("label", "types", "subtypes", "aliases", "sentences")

    def __init__(self, label: str) -> None:
        self.label = label
        self.types: dict[str, int] = {}
        self.subtypes: dict[str, int] = {}
        self.aliases: set[str] = set()
        self.sentences: set[int] = set()

    def absorb(self, other: _Draft) -> None:
        """Take in a draft merged into this one (counts add up, as Counter.update adds them)."""
        self.aliases |= other.aliases | {other.label}
        self.sentences |= other.sentences
        types = self.types
        for t, n in other.types.items():
            types[t] = types.get(t, 0) + n


def _most_common(counts: dict[str, int]) -> str:
    """The key counted most often; the first one among equals (as Counter.most_common(1) picks)."""
    return max(counts, key=counts.__getitem__)


def _place_in_scope(raw: str, region: str) -> bool:
    """Tell whether a place mention names a place, given the report's region.

    Short county names (江山, 柯城) are common words elsewhere, so they count only in a
    report of their own city or province; the nation counts only in a national report,
    where it is the region ("中国式现代化" in a city report names no place).
    """
    names = lexicon.place_names()
    place = names.get(raw)
    if place is None:
        return True  # a named region (长三角)
    home = names.get(region)
    if place.level == "country":
        return home is not None and home.level == "country"
    if place.level == "county" and raw != place.name:
        if home is None:
            return False
        parent = lexicon.places().get(place.parent)
        return home.code in (place.parent, parent.parent if parent else "")
    return True


def resolve_entities(mentions: list[Mention], region: str) -> tuple[list[Entity], list[Relation], dict[tuple[int, int, int], str]]:
    """Merge mentions into entities.

    Returns the entities, the partOf relations found inside names, and a map from each
    mention (sentence, start, end) to its entity's label, for the stages that follow.
    """
    drafts: dict[str, _Draft] = {}
    relations: list[Relation] = []
    where: dict[tuple[int, int, int], str] = {}

    def add(label: str, typ: str, subtype: str, sentence: int, alias: str = "") -> str:
        key = identity_key(label)
        d = drafts.get(key)
        if d is None:  # not setdefault: a draft is four containers, made for each new key only
            d = drafts[key] = _Draft(label)
        d.types[typ] = d.types.get(typ, 0) + 1
        if subtype:
            d.subtypes[subtype] = d.subtypes.get(subtype, 0) + 1
        d.sentences.add(sentence)
        for a in (alias, label):
            if a and a != d.label:
                d.aliases.add(a)
        return key

    add(region, "Place", "AdministrativeDivision", -1)
    for m in mentions:
        raw = _QUOTES.sub("", m.text)
        if m.type == "Place":
            if not _place_in_scope(raw, region):
                continue
            key = add(_place_label(raw), "Place", m.subtype, m.sentence, raw)
        else:
            label = clean_label(m.text)
            label = lexicon.national_names().get(label, label)
            owner = split_owner(label) if m.type in ("Institution", "Project") else None
            if owner and m.type == "Project":
                # a project of an institution keeps its full name: 衢州职业技术学院新校区
                add(owner[0], "Institution", "", m.sentence)
                key = add(label, m.type, m.subtype, m.sentence, raw)
                relations.append(Relation(label, "partOf", owner[0], m.sentence))
            elif owner:
                add(owner[0], "Institution", "", m.sentence)
                key = add(owner[1], m.type, m.subtype, m.sentence, raw)
                relations.append(Relation(owner[1], "partOf", owner[0], m.sentence))
            else:
                key = add(label, m.type, m.subtype, m.sentence, raw)
        where[(m.sentence, m.start, m.end)] = key
    _merge_place_prefixed(drafts, where)
    _merge_generic_heads(drafts, where)

    entities = []
    labels = {}
    for key, d in drafts.items():
        typ = max(d.types, key=lambda t: (d.types[t], -_TYPE_PRIORITY[t]))
        sub = _most_common(d.subtypes) if d.subtypes else ""
        labels[key] = d.label
        entities.append(Entity(d.label, typ, sub, tuple(sorted(a for a in d.aliases if a != d.label)),
                               tuple(sorted(s for s in d.sentences if s >= 0))))
    where = {k: labels[v] for k, v in where.items() if v in labels}
    return sorted(entities, key=lambda e: (e.type, e.label)), relations, where


# Heads that a policy's name may carry or drop without naming another thing:
# 新型城镇化 / 新型城镇化战略 / 新型城镇化战略行动, 全国统一大市场 / 全国统一大市场建设.
_GENERIC_HEADS = ("战略行动", "战略", "建设", "行动", "工作")


def _merge_generic_heads(drafts: dict[str, _Draft], where: dict[tuple[int, int, int], str]) -> None:
    """Merge "X建设" / "X战略" into X when X is a thing of its own in the same report."""
    moved: dict[str, str] = {}
    for key in sorted(drafts, key=len, reverse=True):
        for head in _GENERIC_HEADS:
            core = key[: -len(head)]
            if key.endswith(head) and len(core) >= 3 and core in drafts and core not in moved:
                drafts[core].absorb(drafts[key])
                moved[key] = core
                break
    for key in moved:
        del drafts[key]
    for k, v in where.items():
        while v in moved:
            v = moved[v]
        where[k] = v


def _merge_place_prefixed(drafts: dict[str, _Draft], where: dict[tuple[int, int, int], str]) -> None:
    """Merge a name into the same name with a place before it (综保区 → 衢州综保区)."""
    places = lexicon.place_names()
    moved: dict[str, str] = {}
    for other_key in sorted(drafts, key=len):
        for n in range(2, min(len(other_key) - 2, 8) + 1):
            key = other_key[n:]
            if other_key[:n] not in places or key not in drafts or key in moved or other_key in moved:
                continue
            d, o = drafts[key], drafts[other_key]
            if _most_common(o.types) != _most_common(d.types):
                continue
            o.absorb(d)
            moved[key] = other_key
    for key in moved:
        del drafts[key]
    for k, v in where.items():
        while v in moved:
            v = moved[v]
        where[k] = v
