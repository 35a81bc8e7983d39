"""Extraction quality on the gold documents must not fall below each document's floor.

The floors are the scores the extraction reaches today, less a small margin for noise-free
ties; raise them when the extraction improves. The issue's target bars are higher (entities
0.85, observations 0.90, targets 0.95, relations 0.70, stages 0.80 micro-averaged).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.api import build_report, triples_to_rdflib
from kg.evaluate import Evaluation, evaluate, load_gold
from kg.rdf.ontology import ontology_text

DATA = Path(__file__).parent / "data"
# document: (entities, observations, targets, relations, stages, period/status accuracy)
FLOORS = {
    "china_2024.txt": (0.87, 0.96, 0.93, 0.84, 0.49, 0.99),
    "china_2025.txt": (0.845, 0.95, 0.95, 0.72, 0.66, 0.99),
    "quzhou_2024.txt": (0.825, 0.96, 0.96, 0.70, 0.87, 0.99),
    "quzhou_2026_highlights.txt": (0.89, 0.99, 0.99, 0.86, 0.99, 0.99),
}
MICRO_FLOOR = (0.855, 0.96, 0.96, 0.74, 0.87, 0.99)


def _figures(ev: Evaluation) -> tuple[float, ...]:
    return (ev.entities.f1, ev.observations.f1, ev.targets.f1, ev.relations.f1, ev.stages.f1,
            ev.attribute_accuracy)


@pytest.fixture(scope="module")
def evaluations() -> dict[str, Evaluation]:
    out = {}
    for path in sorted((DATA / "gold").glob("*.json")):
        gold = load_gold(path)
        built = build_report(DATA / "corpus" / gold["document"], year=gold["report"]["year"],
                             region=gold["report"]["region"])
        g = triples_to_rdflib(built.triples)
        g.parse(data=ontology_text(), format="turtle")
        out[gold["document"]] = evaluate(g, gold)
    return out


@pytest.mark.parametrize("document", sorted(FLOORS))
def test_document_scores_hold(document: str, evaluations: dict[str, Evaluation]) -> None:
    """Each document scores at least its floor on every part."""
    got = _figures(evaluations[document])
    names = ("entities", "observations", "targets", "relations", "stages", "period/status")
    low = [f"{n} {g:.3f} < {f}" for n, g, f in zip(names, got, FLOORS[document]) if g < f]
    assert not low, f"{document}: " + "; ".join(low)


def test_micro_average_holds(evaluations: dict[str, Evaluation]) -> None:
    """The micro-average over all gold documents holds its floor."""
    total = Evaluation()
    for ev in evaluations.values():
        total.add(ev)
    got = _figures(total)
    assert all(g >= f for g, f in zip(got, MICRO_FLOOR)), got
