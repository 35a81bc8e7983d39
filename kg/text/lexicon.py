"""Load the project's lexicons: data files shipped inside the package.

Lexicons hold general knowledge — statistical indicators, the administrative divisions of
China, the head words of names, the verbs that govern them — never names taken from the
reports we test on. They are read once per process and cached, since every report needs them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("kg.text").joinpath("lexicons", name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _words(name: str) -> frozenset[str]:
    return frozenset(w for line in _lines(name) for w in line.split())


def _rows(name: str) -> list[list[str]]:
    rows = [line.split("\t") for line in _lines(name)]
    return rows[1:]  # the first row names the columns


@dataclass(frozen=True)
class Suffix:
    """A head word that makes a phrase a name of `type` (研究院 → Institution)."""

    text: str
    type: str
    subtype: str
    needs: str


@dataclass(frozen=True)
class Place:
    """An administrative division of China from the gazetteer."""

    code: str
    name: str
    short: str
    level: str
    parent: str


@dataclass(frozen=True)
class Indicator:
    """A statistical indicator: its standard name, the other names reports use, its kind."""

    name: str
    aliases: tuple[str, ...]
    kind: str


@cache
def entity_suffixes() -> dict[str, Suffix]:
    """Return the head words of names, by text."""
    out = {}
    for row in _rows("entity_suffixes.tsv"):
        row += [""] * (4 - len(row))
        out[row[0]] = Suffix(row[0], row[1], row[2], row[3] or "any")
    return out


@cache
def boundary_words() -> frozenset[str]:
    """Return the words that end a name on its left (governing verbs, adverbs, particles)."""
    return _words("boundaries.txt")


@cache
def industry_names() -> frozenset[str]:
    """Return industry categories known by name (人工智能, 新材料 …)."""
    return _words("industries.txt")


@cache
def region_names() -> frozenset[str]:
    """Return named regions that are not administrative divisions (长三角 …)."""
    return _words("regions.txt")


@cache
def places() -> dict[str, Place]:
    """Return the gazetteer of administrative divisions, by adcode."""
    out = {}
    for row in _rows("places.tsv"):
        row += [""] * (5 - len(row))
        out[row[0]] = Place(*row[:5])
    return out


@cache
def place_names() -> dict[str, Place]:
    """Return divisions by full name and unambiguous short name (衢州市, 衢州 → 衢州市).

    A full name shared by several divisions (朝阳区) resolves to the highest level, then
    the lowest code, so that the choice is the same in every build.
    """
    out: dict[str, Place] = {}
    rank = {"country": 0, "province": 1, "city": 2, "county": 3}
    for p in sorted(places().values(), key=lambda p: (rank.get(p.level, 9), p.code)):
        out.setdefault(p.name, p)
    for p in sorted(places().values(), key=lambda p: (rank.get(p.level, 9), p.code)):
        if p.short and len(p.short) >= 2:
            out.setdefault(p.short, p)
    return out


@cache
def indicators() -> dict[str, Indicator]:
    """Return indicators by every name they go by (standard name and aliases)."""
    out: dict[str, Indicator] = {}
    for row in _rows("indicators.tsv"):
        row += [""] * (3 - len(row))
        ind = Indicator(row[0].strip(), tuple(a.strip() for a in row[1].split("|") if a.strip()), row[2].strip())
        for name in (ind.name, *ind.aliases):
            out.setdefault(name, ind)
    return out


@cache
def designation_verbs() -> tuple[str, ...]:
    """Return the verbs whose object is a designation, longest first (入选, 获评 …)."""
    return tuple(sorted(_words("designation_verbs.txt"), key=len, reverse=True))


@cache
def designation_heads() -> tuple[str, ...]:
    """Return head words of designations, longest first (示范区, 百强榜 …)."""
    return tuple(sorted(_words("designation_heads.txt"), key=len, reverse=True))


@cache
def stage_verbs() -> dict[str, str]:
    """Return construction verbs and the project stage each one reports (建成 → Completed)."""
    out = {}
    for line in _lines("construction_verbs.txt"):
        stage, _, verbs = line.partition("\t")
        if stage == "stage":
            continue
        for verb in verbs.split():
            out.setdefault(verb, stage)
    return out


@cache
def abbreviations() -> dict[str, str]:
    """Return standard short forms of name heads and their full forms (综保区 → 综合保税区)."""
    return {row[0]: row[1] for row in _rows("abbreviations.tsv") if len(row) >= 2}


@cache
def generic_modifiers() -> frozenset[str]:
    """Return words that leave a phrase generic when they are all that precedes its head."""
    return _words("generic_modifiers.txt")


@cache
def leading_words() -> dict[str, tuple[str, ...]]:
    """Return words stripped from the front of names, by kind ("always", "unless-action").

    Each list is longest first; "always" also holds the boundary words.
    """
    out: dict[str, set[str]] = {}
    for row in _rows("leading_words.txt"):
        if len(row) >= 2:
            out.setdefault(row[0], set()).update(row[1].split())
    out.setdefault("always", set()).update(w for w in boundary_words() if len(w) >= 2)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


@cache
def national_policies() -> dict[str, str]:
    """Return standing national strategies and programmes cited by name, with their type.

    Every form of a name is a key ("乡村全面振兴" and "乡村振兴"); `national_names` maps the
    forms to the standard one.
    """
    out = {}
    for line in _lines("national_policies.txt"):
        names, _, typ = line.partition("\t")
        for name in names.split("|"):
            out[name.strip()] = typ.strip() or "Policy"
    return out


@cache
def national_names() -> dict[str, str]:
    """Return each form of a national strategy's name with its standard form."""
    out = {}
    for line in _lines("national_policies.txt"):
        names = [n.strip() for n in line.partition("\t")[0].split("|")]
        for name in names:
            out[name] = names[0]
    return out


@cache
def lower_is_better() -> frozenset[str]:
    """Return parts of indicator names for which a lower value is the better one (失业率 …)."""
    return _words("lower_is_better.txt")
