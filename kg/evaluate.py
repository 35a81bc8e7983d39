"""Score a built graph against a gold annotation (shared/ANNOTATION.md): P, R, F1 per part.

The matching rules are those of the annotation guideline, so that `kg eval` agrees with the
team's reference scorer: names compare after NFKC, lower-casing and dropping spaces and
quotation marks; an entity matches a gold item of an acceptable type by label or alias; an
observation matches on its numbers, unit (a bare magnitude matches it with a noun) and an
indicator name that equals or contains the other (two characters at least); pairs are made
greedily, best-ranked first; optional gold items neither reward nor punish.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import SKOS

from kg.errors import InputError

GKG = rdflib.Namespace("https://w3id.org/govkg/ontology#")
ENTITY_TYPES = ("Industry", "Project", "Institution", "Policy", "Designation", "Event", "Place")
RELATIONS = ("partOf", "selectedAs", "locatedIn")
STAGES = {"Planned": "planned", "Started": "started", "Completed": "completed"}
_QUOTES = "“”‘’\"'「」『』《》〈〉【】"
_MAGNITUDES = ("万亿", "千亿", "百亿", "亿", "千万", "百万", "十万", "万", "千", "百")


def norm(text: object) -> str:
    """Return the form names are compared in.

    >>> norm(" “八八战略” ")
    '八八战略'
    """
    s = unicodedata.normalize("NFKC", str(text)).lower()
    return "".join(c for c in s if not c.isspace() and c not in _QUOTES)


@dataclass
class Score:
    """True positives, false positives and false negatives of one part."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: Score) -> Score:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self


@dataclass
class Evaluation:
    """The scores of one graph against one gold file, and the errors behind them."""

    entities: Score = field(default_factory=Score)
    observations: Score = field(default_factory=Score)
    targets: Score = field(default_factory=Score)
    relations: Score = field(default_factory=Score)
    stages: Score = field(default_factory=Score)
    attributes_ok: int = 0
    attributes_n: int = 0
    errors: list[str] = field(default_factory=list)

    PARTS = ("entities", "observations", "targets", "relations", "stages")

    @property
    def attribute_accuracy(self) -> float:
        """Share of matched observations whose status and period agree with gold."""
        return self.attributes_ok / self.attributes_n if self.attributes_n else 0.0

    def add(self, other: Evaluation) -> None:
        """Add another evaluation's counts (for micro-averages over documents)."""
        for part in self.PARTS:
            getattr(self, part).__iadd__(getattr(other, part))
        self.attributes_ok += other.attributes_ok
        self.attributes_n += other.attributes_n

    def as_dict(self) -> dict[str, object]:
        """Return the figures as plain data (for --json)."""
        out: dict[str, object] = {}
        for part in self.PARTS:
            s: Score = getattr(self, part)
            out[part] = {"tp": s.tp, "fp": s.fp, "fn": s.fn, "p": round(s.precision, 3),
                         "r": round(s.recall, 3), "f1": round(s.f1, 3)}
        out["attribute_accuracy"] = round(self.attribute_accuracy, 3)
        return out


def _closure(g: rdflib.Graph, term: rdflib.URIRef, prop: rdflib.URIRef) -> set[rdflib.term.Node]:
    seen, todo = {term}, [term]
    while todo:
        t = todo.pop()
        for sub in g.subjects(prop, t):
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return seen


def _instances(g: rdflib.Graph, cls: rdflib.URIRef) -> set[rdflib.term.Node]:
    out: set[rdflib.term.Node] = set()
    for c in _closure(g, cls, RDFS.subClassOf):
        out.update(g.subjects(RDF.type, c))
    return out


def _names(g: rdflib.Graph, node: rdflib.term.Node) -> set[str]:
    out = {norm(o) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for o in g.objects(node, p)}
    out.discard("")
    return out


def _num(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return None


def _unit_match(pred: set[str], gold: str | None) -> bool:
    if gold is None:
        return not pred
    if gold in pred:
        return True
    for u in pred:
        short, long_ = sorted((u, gold), key=len)
        if short in _MAGNITUDES and long_.startswith(short) and long_[len(short):] not in ("", "%"):
            return True
    return False


def _loose(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 2 and short in long_


def _greedy(pairs: list[tuple[tuple[bool, ...], int, int]]) -> dict[int, int]:
    pairs.sort(key=lambda x: (x[0], -x[1], -x[2]), reverse=True)
    match: dict[int, int] = {}
    used: set[int] = set()
    for _, pi, gi in pairs:
        if pi not in match and gi not in used:
            match[pi] = gi
            used.add(gi)
    return match


def _score_entities(g: rdflib.Graph, gold: dict, ev: Evaluation) -> None:
    preds = [(n, t, _names(g, n)) for t in ENTITY_TYPES for n in sorted(_instances(g, GKG[t]))]
    golds = gold["entities"]
    gnames = [{norm(x) for x in [e["label"], *e.get("aliases", [])]} for e in golds]
    pairs = [((not e.get("optional"), norm(e["label"]) in ns), pi, gi)
             for pi, (_, t, ns) in enumerate(preds) for gi, e in enumerate(golds)
             if t in e["types"] and ns & gnames[gi]]
    match = _greedy(pairs)
    candidates = {pi for _, pi, _ in pairs}
    for pi, (_, t, ns) in enumerate(preds):
        if pi in match:
            ev.entities.tp += not golds[match[pi]].get("optional")
        else:
            ev.entities.fp += 1
            why = "duplicate of a matched gold entity" if pi in candidates else "not in gold"
            ev.errors.append(f"FP entity {t}: {sorted(ns)} ({why})")
    used = set(match.values())
    for gi, e in enumerate(golds):
        if not e.get("optional") and gi not in used:
            ev.entities.fn += 1
            ev.errors.append(f"FN entity {e['types'][0]}: {e['label']}")


def _read_observations(g: rdflib.Graph) -> list[dict]:
    out = []
    for cls, status in (("Target", "target"), ("Result", "actual")):
        for o in sorted(_instances(g, GKG[cls])):
            ind: set[str] = set()
            for i in g.objects(o, GKG.indicator):
                ind |= _names(g, i) if not isinstance(i, Literal) else {norm(i)}
            nums = {_num(v) for p in ("value", "minValue", "maxValue") for v in g.objects(o, GKG[p])} - {None}
            units = {norm(u) for u in g.objects(o, GKG.unit)}
            years = set()
            for per in g.objects(o, GKG.period):
                s, e = g.value(per, GKG.startYear), g.value(per, GKG.endYear)
                if s is not None:
                    years.add((int(s), int(e if e is not None else s)))
            if nums:
                out.append({"status": status, "ind": ind, "nums": nums, "units": units, "years": years})
    return out


def _gold_key(o: dict) -> tuple[set[Decimal], str | None, tuple[int, int] | None]:
    nums = {Decimal(str(o[k])).normalize() for k in ("value", "min", "max") if o.get(k) is not None}
    y = o["period"].split("-") if o.get("period") else []
    return nums, norm(o["unit"]) if o.get("unit") else None, (int(y[0]), int(y[-1])) if y else None


def _score_observations(g: rdflib.Graph, gold: dict, ev: Evaluation, only: str | None = None) -> Score:
    score = Score()
    preds = [p for p in _read_observations(g) if only is None or p["status"] == only]
    golds = [o for o in gold["observations"] if any(o.get(k) is not None for k in ("value", "min", "max"))
             and (only is None or o["status"] == only)]
    keys = [_gold_key(o) for o in golds]
    pairs = []
    for pi, p in enumerate(preds):
        for gi, o in enumerate(golds):
            nums, unit, years = keys[gi]
            if p["nums"] != nums or not _unit_match(p["units"], unit):
                continue
            names = {norm(x) for x in [o["indicator"], *o.get("aliases", [])]}
            if o.get("subject"):
                names.add(norm(o["subject"]))
            if any(_loose(a, b) for a in p["ind"] for b in names):
                rank = (p["status"] == o["status"], years in p["years"], bool(p["ind"] & names), not o.get("optional"))
                pairs.append((rank, pi, gi))
    match = _greedy(pairs)
    for pi, p in enumerate(preds):
        if pi not in match:
            score.fp += 1
            if only is None:
                ev.errors.append(f"FP observation {p['status']}: {sorted(p['ind'])} "
                                 f"{sorted(map(str, p['nums']))} {sorted(p['units'])}")
            continue
        o = golds[match[pi]]
        if o.get("optional"):
            continue
        score.tp += 1
        if only is None:
            years = keys[match[pi]][2]
            ev.attributes_n += 2
            ev.attributes_ok += (p["status"] == o["status"]) + (years in p["years"])
            if p["status"] != o["status"] or years not in p["years"]:
                ev.errors.append(f"ATTR observation {o['indicator']} {o.get('value', (o.get('min'), o.get('max')))}: "
                                 f"status {p['status']} vs {o['status']}, years {sorted(p['years'])} vs {years}")
    used = set(match.values())
    for gi, o in enumerate(golds):
        if not o.get("optional") and gi not in used:
            score.fn += 1
            if only is None:
                ev.errors.append(f"FN observation {o['status']}: {o['indicator']} "
                                 f"{o.get('value', (o.get('min'), o.get('max')))} {o['unit']} {o['period']}")
    return score


def _lookup(gold: dict) -> dict[str, set[str]]:
    table: dict[str, set[str]] = {}
    for e in gold["entities"]:
        for n in {norm(x) for x in [e["label"], *e.get("aliases", [])]}:
            table.setdefault(n, set()).add(e["label"])
    return table


def _canon(g: rdflib.Graph, node: rdflib.term.Node, table: dict[str, set[str]]) -> set[str]:
    out: set[str] = set()
    for n in _names(g, node):
        out |= table.get(n, set())
    return out


def _score_relations(g: rdflib.Graph, gold: dict, ev: Evaluation) -> None:
    table = _lookup(gold)
    golds = [(r["s"], r["p"], r["o"], r.get("optional", False)) for r in gold["relations"]]
    found: set[tuple[str, str, str]] = set()
    for p in RELATIONS:
        for prop in sorted(_closure(g, GKG[p], RDFS.subPropertyOf)):
            for s, o in sorted(g.subject_objects(prop)):
                keys = {(a, p, b) for a in _canon(g, s, table) for b in _canon(g, o, table)}
                hits = [gr[:3] for gr in golds if gr[:3] in keys]
                if not hits:
                    ev.relations.fp += 1
                    ev.errors.append(f"FP relation {sorted(_names(g, s))} {p} {sorted(_names(g, o))}")
                found.update(hits)
    for gr in golds:
        if not gr[3]:
            if gr[:3] in found:
                ev.relations.tp += 1
            else:
                ev.relations.fn += 1
                ev.errors.append(f"FN relation {gr[0]} {gr[1]} {gr[2]}")


def _score_stages(g: rdflib.Graph, gold: dict, ev: Evaluation) -> None:
    table = _lookup(gold)
    golds = {(s["project"], s["status"]): s.get("optional", False) for s in gold.get("project_status", [])}
    found: set[tuple[str, str]] = set()
    for proj, stage in sorted(g.subject_objects(GKG.stage)):
        st = STAGES.get(str(stage).rsplit("#", 1)[-1], "")
        hits = {(c, st) for c in _canon(g, proj, table)} & set(golds)
        if not hits:
            ev.stages.fp += 1
            ev.errors.append(f"FP stage {sorted(_names(g, proj))} {st}")
        found |= hits
    for k, optional in golds.items():
        if not optional:
            if k in found:
                ev.stages.tp += 1
            else:
                ev.stages.fn += 1
                ev.errors.append(f"FN stage {k[0]} {k[1]}")


def load_gold(path: str | Path) -> dict:
    """Read a gold annotation file."""
    try:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such gold file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a JSON gold file: {exc}") from None
    if not isinstance(gold, dict) or "entities" not in gold or "observations" not in gold:
        raise InputError(f"{path}: not a gold file (no entities or observations)")
    return gold


def evaluate(graph: rdflib.Graph, gold: dict) -> Evaluation:
    """Score `graph` (with the ontology merged in, for subclasses) against a gold annotation."""
    ev = Evaluation()
    _score_entities(graph, gold, ev)
    ev.observations = _score_observations(graph, gold, ev)
    ev.targets = _score_observations(graph, gold, ev, only="target")
    _score_relations(graph, gold, ev)
    _score_stages(graph, gold, ev)
    return ev


def format_evaluation(ev: Evaluation) -> str:
    """Return the scores as an aligned table."""
    rows = [f"{'':14} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}"]
    for part in Evaluation.PARTS:
        s: Score = getattr(ev, part)
        rows.append(f"{part:14} {s.tp:4} {s.fp:4} {s.fn:4} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}")
    rows.append(f"period/status accuracy: {ev.attribute_accuracy:.3f}")
    return "\n".join(rows)
