"""Find relations between entities and the stages of projects.

- selectedAs: the object of 入选 / 获评 / 荣获 is a designation; its subject is the entity
  named before the verb in the sentence (all of them after 双双 / 均 / 分别), else the report's
  region ("入选陆港型国家物流枢纽承载城市" said of the city itself).
- partOf: "A…，其中B…" where B is of A's type; owner-prefixed names come from resolution.
- locatedIn: a name that opens with a place is located in it; a division in its parent.
- stage: a construction verb in the clause of a project (建成 → Completed, 开工 → Started);
  in a plan section every stage is Planned for that year.
"""
from __future__ import annotations

import re

from kg.extract.time import TimeContext
from kg.model import Entity, Mention, Relation, StageClaim
from kg.text import lexicon

# Designations a city (or county) itself can hold: the subject of an unattributed selection.
_CITY_TITLE = re.compile(r"城市|[市县]$|强$|城$")
_CLAUSE = re.compile(r"[，；。！？：]")
_ALL = re.compile(r"双双|均|分别|先后|相继|同时")


def _clause_bounds(sentence: str, pos: int) -> tuple[int, int]:
    start = max((m.end() for m in _CLAUSE.finditer(sentence, 0, pos)), default=0)
    m = _CLAUSE.search(sentence, pos)
    return start, (m.start() if m else len(sentence))


def find_selections(sentence: str, mentions: list[Mention], labels: dict[tuple[int, int, int], str],
                    region: str) -> list[Relation]:
    """Return selectedAs relations of one sentence."""
    out = []
    verbs = lexicon.designation_verbs()
    for d in (m for m in mentions if m.type == "Designation"):
        target = labels.get((d.sentence, d.start, d.end))
        head = sentence[:d.start].rstrip("“")
        if not target or not any(h.endswith(v) for h in (head, head.rstrip("了为到至")) for v in verbs):
            continue  # a designation named in passing, not something selected as it here
        c_start, _ = _clause_bounds(sentence, d.start)
        before = [m for m in mentions if m.end <= d.start and m.type not in ("Designation",)]
        in_clause = [m for m in before if m.start >= c_start]
        if in_clause:
            subjects = [in_clause[-1]]
            for m in reversed(in_clause[:-1]):  # "柯城、衢江获评…": every item of a list
                if sentence[m.end:subjects[-1].start] not in ("、", "和", "及"):
                    break
                subjects.append(m)
        elif _ALL.search(sentence[c_start:d.start]):
            p_start, _ = _clause_bounds(sentence, max(0, c_start - 1))
            subjects = [m for m in before if m.start >= p_start]
        else:
            subjects = []
        opener = next((m for m in mentions if m.start == 0 and m.type not in ("Designation", "Place")), None)
        city_title = _CITY_TITLE.search(target)
        if not subjects and not city_title and opener is not None and opener.end <= c_start:
            subjects = [opener]  # "衢州经济技术开发区…，时隔4年重回国家级经开区百强榜"
        names = [labels.get((m.sentence, m.start, m.end)) for m in subjects]
        if not names and city_title:
            names = [region]  # "入选…承载城市" said of the report's own city
        out.extend(Relation(n, "selectedAs", target, d.sentence) for n in names if n and n != target)
    return out


def find_parts(sentence: str, mentions: list[Mention], labels: dict[tuple[int, int, int], str]) -> list[Relation]:
    """Return partOf relations stated with 其中 or by a list before its collective name.

    "六大产业链…，其中新材料产业链…" and "电动汽车、锂电池、光伏产品“新三样”".
    """
    out = _collective_parts(sentence, mentions, labels) + _listed_parts(sentence, mentions, labels)
    i = sentence.find("其中")
    if i < 0:
        return out
    wholes = [m for m in mentions if m.end <= i and m.type == "Industry"]
    # the part is named right after 其中, before anything it becomes ("…、成为首条千亿级产业链")
    _, c_end = _clause_bounds(sentence, i)
    parts = [m for m in mentions if i < m.start < c_end and m.type == "Industry"][:1]
    if wholes and parts:
        whole = labels.get((wholes[-1].sentence, wholes[-1].start, wholes[-1].end))
        for p in parts:
            part = labels.get((p.sentence, p.start, p.end))
            if whole and part and part != whole:
                out.append(Relation(part, "partOf", whole, p.sentence))
    return out


def _collective_parts(sentence: str, mentions: list[Mention], labels: dict[tuple[int, int, int], str]) -> list[Relation]:
    out = []
    for whole in mentions:
        if not sentence.startswith("“", whole.start):
            continue
        items = []
        pos = whole.start
        for m in reversed([m for m in mentions if m.end <= whole.start]):
            gap = sentence[m.end:pos]
            if gap not in ("", "、", "和", "及"):
                break
            items.append(m)
            pos = m.start
        whole_label = labels.get((whole.sentence, whole.start, whole.end))
        if len(items) >= 2 and whole_label:
            for m in items:
                part = labels.get((m.sentence, m.start, m.end))
                if part and part != whole_label:
                    out.append(Relation(part, "partOf", whole_label, m.sentence))
    return out


_ETC = re.compile(r"等(?:一批|重大|重要|新兴)?")


def _listed_parts(sentence: str, mentions: list[Mention], labels: dict[tuple[int, int, int], str]) -> list[Relation]:
    """"A、B、C等X": the listed industries are part of X ("生物制造、量子科技等未来产业")."""
    out = []
    for m in _ETC.finditer(sentence):
        whole = next((w for w in mentions if w.start == m.end() and w.type == "Industry"), None)
        if whole is None:
            continue
        parts, pos = [], m.start()
        for p in sorted((p for p in mentions if p.end <= m.start()), key=lambda p: -p.end):
            if sentence[p.end:pos] not in ("", "、", "和", "及") or p.type != whole.type:
                break
            parts.append(p)
            pos = p.start
        whole_label = labels.get((whole.sentence, whole.start, whole.end))
        for p in parts if len(parts) >= 2 else []:
            part = labels.get((p.sentence, p.start, p.end))
            if part and whole_label and part != whole_label:
                out.append(Relation(part, "partOf", whole_label, p.sentence))
    return out


def find_locations(entities: list[Entity], region: str) -> list[Relation]:
    """Return locatedIn relations read off names and the gazetteer."""
    names = lexicon.place_names()
    places = lexicon.places()
    known = {e.label for e in entities}
    out = []
    for e in entities:
        if e.type == "Place":
            p = names.get(e.label)
            parent = places.get(p.parent) if p else None
            if parent and parent.name in known:
                out.append(Relation(e.label, "locatedIn", parent.name, e.sentences[0] if e.sentences else -1))
            continue
        if e.type != "Institution":
            continue
        for n in range(min(len(e.label) - 2, 6), 1, -1):
            p = names.get(e.label[:n])
            if p and p.name in known and p.name != e.label:
                out.append(Relation(e.label, "locatedIn", p.name, e.sentences[0] if e.sentences else -1))
                break
    _ = region
    return out


_BUILT = re.compile(r"^(?:[^，。；]{0,30}?)(?:完工|竣工|建成|开工|开建|动工|主体结构)")


def _built(sentence: str, m: Mention) -> bool:
    """Tell an institution that the sentence builds ("市公共卫生服务中心…全面完工"): a project here."""
    return bool(_BUILT.match(sentence[m.end:]))


def find_stages(sentence: str, mentions: list[Mention], labels: dict[tuple[int, int, int], str],
                ctx: TimeContext) -> list[StageClaim]:
    """Return the stages that a sentence reports for its projects."""
    out: list[StageClaim] = []
    projects = [m for m in mentions if m.type == "Project" or (m.type == "Institution" and _built(sentence, m))]
    if not projects:
        return out
    verbs = sorted(lexicon.stage_verbs(), key=len, reverse=True)
    for n, m in enumerate(projects):
        label = labels.get((m.sentence, m.start, m.end))
        if not label:
            continue
        c_start, c_end = _clause_bounds(sentence, m.start)
        # in a list ("A、B、C接连开街"), the verb after the last item speaks for all
        last = m
        for nxt in projects[n + 1:]:
            if sentence[last.end:nxt.start] not in ("、", "和", "及"):
                break
            last = nxt
        after = sentence[last.end:c_end]
        before = sentence[c_start:m.start]
        stage = None
        hits = [(after.find(v), v) for v in verbs if v in after]
        if hits:
            stage = lexicon.stage_verbs()[min(hits, key=lambda h: (h[0], -len(h[1])))[1]]
        else:
            hits = [(before.rfind(v), v) for v in verbs if v in before]
            if hits:
                stage = lexicon.stage_verbs()[max(hits, key=lambda h: (h[0], len(h[1])))[1]]
        if not stage:
            continue
        if ctx.status == "target":
            stage = "Planned"
        out.append(StageClaim(label, stage, ctx.period.end, m.sentence))
    return out
