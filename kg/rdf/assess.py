"""Judge targets against results: was last year's target met?

A report of year N sets targets for N; the report of year N+1 for the same region states the
results for N. A result assesses a target when both are about the same indicator, measure,
unit and subject. `gkg:met` on the target then says whether the result reached it:

- a lower bound (3%以上, 不低于3%) is met when the result is at least the bound;
- an upper bound (5%以内, 控制在5%以内) when it is at most the bound;
- a range (5.5—6%) when the result reaches its lower end, or, for indicators where less is
  better (失业率, 能耗, 居民消费价格 …), stays under its upper end;
- a single value V is met when the result reaches V (or stays at most V where less is
  better); with 左右 ("about V") half a percentage point of shortfall is allowed for
  percentages and 5% of V for other units — so GDP "5%左右" is met by 5.0% and by 4.6%, not by 4.4%.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from kg.rdf.vocab import GKG, XSD
from kg.text import lexicon

# Every target and result of the regions put in VALUES ?region (those with consecutive years).
_QUERY = f"""
PREFIX gkg: <{GKG}>
SELECT ?o ?kind ?region ?ryear ?ind ?indlabel ?measure ?unit ?subject ?start ?end ?v ?min ?max ?q WHERE {{
  VALUES ?kind {{ gkg:Target gkg:Result }}
  VALUES ?region {{ %s }}
  ?o a ?kind ; gkg:reportedIn ?r ; gkg:indicator ?ind ; gkg:unit ?unit ; gkg:period ?p .
  ?r gkg:region ?region ; gkg:year ?ryear .
  ?ind <http://www.w3.org/2000/01/rdf-schema#label> ?indlabel .
  ?p gkg:startYear ?start ; gkg:endYear ?end .
  OPTIONAL {{ ?o gkg:measure ?measure }}
  OPTIONAL {{ ?o gkg:subject ?subject }}
  OPTIONAL {{ ?o gkg:value ?v }} OPTIONAL {{ ?o gkg:minValue ?min }} OPTIONAL {{ ?o gkg:maxValue ?max }}
  OPTIONAL {{ ?o gkg:qualifier ?q }}
}}"""


def _consecutive_regions(merged: ox.Store) -> list[ox.NamedNode]:
    """The regions whose reports include two consecutive years (only they can pair a target and a result)."""
    years: dict[ox.NamedNode, set[int]] = {}
    for row in merged.query(f"PREFIX gkg: <{GKG}> SELECT DISTINCT ?region ?year WHERE {{ "
                            "?r a gkg:Report ; gkg:region ?region ; gkg:year ?year }"):
        years.setdefault(row["region"], set()).add(int(row["year"].value))  # type: ignore[arg-type, union-attr]
    return sorted((r for r, ys in years.items() if any(y + 1 in ys for y in ys)), key=str)


@dataclass(frozen=True)
class _Obs:
    iri: ox.NamedNode
    key: tuple[str, ...]
    year: int
    report_year: int
    label: str
    unit: str
    value: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    qualifier: str


def _dec(term: object) -> Decimal | None:
    return Decimal(term.value) if isinstance(term, ox.Literal) else None


def lower_is_better(indicator: str) -> bool:
    """Tell whether less of an indicator is better.

    >>> lower_is_better("城镇调查失业率"), lower_is_better("地区生产总值")
    (True, False)
    """
    return any(part in indicator for part in lexicon.lower_is_better())


def target_met(result: Decimal, unit: str, indicator: str, value: Decimal | None = None,
               minimum: Decimal | None = None, maximum: Decimal | None = None, qualifier: str = "") -> bool:
    """Judge one result against one target (see the module docstring for the rules).

    >>> target_met(Decimal("5"), "%", "国内生产总值", value=Decimal("5"), qualifier="左右")
    True
    >>> target_met(Decimal("4.4"), "%", "国内生产总值", value=Decimal("5"), qualifier="左右")
    False
    >>> target_met(Decimal("5.2"), "%", "城镇调查失业率", maximum=Decimal("5.5"))
    True
    """
    lower = lower_is_better(indicator)
    if value is not None:
        if qualifier in ("左右", "上下"):
            tol = Decimal("0.5") if unit in ("%", "个百分点", "‰") else abs(value) * Decimal("0.05")
        else:
            tol = Decimal(0)
        return result <= value + tol if lower else result >= value - tol
    if minimum is not None and maximum is not None:
        return result <= maximum if lower else result >= minimum
    if minimum is not None:
        return result >= minimum
    if maximum is not None:
        return result <= maximum
    return False


def assess_targets(merged: ox.Store) -> list[ox.Triple]:
    """Return `?result gkg:assesses ?target` and `?target gkg:met` for every pair in the corpus.

    `merged` holds the corpus in its default graph. (Not a union of named graphs: the same
    triple — an indicator's label, a period's years — stands in every report's graph, and a
    union would repeat each match once per graph.)
    """
    regions = _consecutive_regions(merged)
    if not regions:
        return []  # no region has the reports of two consecutive years: nothing to pair
    rows = merged.query(_QUERY % " ".join(map(str, regions)))
    targets: dict[tuple[str, ...], list[_Obs]] = {}
    results: dict[tuple[str, ...], list[_Obs]] = {}
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        if start != end:
            continue  # five-year spans are judged by the plan's own reports, not year on year
        key = (row["region"].value, row["ind"].value, row["measure"].value if row["measure"] else "",
               row["unit"].value, row["subject"].value if row["subject"] else "", str(start))
        obs = _Obs(row["o"], key, start, int(row["ryear"].value), row["indlabel"].value, row["unit"].value,
                   _dec(row["v"]), _dec(row["min"]), _dec(row["max"]), row["q"].value if row["q"] else "")
        if row["kind"].value.endswith("Target") and obs.report_year == start:
            targets.setdefault(key, []).append(obs)
        elif row["kind"].value.endswith("Result") and obs.report_year == start + 1:
            results.setdefault(key, []).append(obs)
    out: set[ox.Triple] = set()
    assesses = ox.NamedNode(GKG + "assesses")
    met = ox.NamedNode(GKG + "met")
    boolean = ox.NamedNode(XSD + "boolean")
    for key in sorted(targets):
        found = sorted(results.get(key, []), key=lambda o: o.iri.value)
        if not found:
            continue
        result = found[0]
        value = result.value if result.value is not None else (result.minimum or result.maximum)
        for t in sorted(targets[key], key=lambda o: o.iri.value):
            out.add(ox.Triple(result.iri, assesses, t.iri))
            if value is not None:
                ok = target_met(value, t.unit, t.label, t.value, t.minimum, t.maximum, t.qualifier)
                out.add(ox.Triple(t.iri, met, ox.Literal("true" if ok else "false", datatype=boolean)))
    return sorted(out, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
