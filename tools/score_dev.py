"""Build every gold document and print its scores and the micro-average (the quality table).

Usage: python tools/score_dev.py [GOLD_DIR] [CORPUS_DIR] [--errors]
Defaults to the project's copies under tests/data/.
"""
from __future__ import annotations

import sys
from pathlib import Path

from kg.api import build_report, triples_to_rdflib
from kg.evaluate import Evaluation, evaluate, load_gold
from kg.rdf.ontology import ontology_text

ROOT = Path(__file__).resolve().parents[1]


def score_all(gold_dir: Path, corpus_dir: Path) -> tuple[dict[str, Evaluation], Evaluation]:
    """Build and score each document with a gold file; return per-document and micro totals."""
    per_doc: dict[str, Evaluation] = {}
    total = Evaluation()
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = load_gold(gold_path)
        built = build_report(corpus_dir / gold["document"], year=gold["report"]["year"],
                             region=gold["report"]["region"])
        g = triples_to_rdflib(built.triples)
        g.parse(data=ontology_text(), format="turtle")
        ev = evaluate(g, gold)
        per_doc[gold["document"]] = ev
        total.add(ev)
    return per_doc, total


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    gold_dir = Path(args[0]) if args else ROOT / "tests" / "data" / "gold"
    corpus_dir = Path(args[1]) if len(args) > 1 else ROOT / "tests" / "data" / "corpus"
    per_doc, total = score_all(gold_dir, corpus_dir)
    head = f"| {'document':28} | entities | observations | targets | relations | stages | period/status |"
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for name, ev in [*per_doc.items(), ("micro-average", total)]:
        print(f"| {name:28} | {ev.entities.f1:8.3f} | {ev.observations.f1:12.3f} | {ev.targets.f1:7.3f} | "
              f"{ev.relations.f1:9.3f} | {ev.stages.f1:6.3f} | {ev.attribute_accuracy:13.3f} |")
    if "--errors" in argv:
        for name, ev in per_doc.items():
            print(f"\n## {name}")
            print("\n".join(ev.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
