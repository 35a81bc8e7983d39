"""The stage order, in one place: read → normalise → structure → extract → resolve.

Every stage is a plain function over frozen values; this module only calls them in order.
RDF building, export and views take the `Extraction` this returns.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace

from kg.extract.mentions import find_mentions
from kg.extract.observations import find_observations
from kg.extract.relations import find_locations, find_parts, find_selections, find_stages
from kg.extract.report import report_info
from kg.extract.resolve import resolve_entities
from kg.extract.time import TimeContext, section_context, sentence_context
from kg.model import Extraction, Mention, Observation, Structure
from kg.text.normalize import normalize_text
from kg.text.structure import split_structure
from kg.errors import InputError


# Entities that a sentence can be about when it opens with them.
_TOPIC_TYPES = ("Institution", "Project", "Industry")


def _section_titles(structure: Structure, section: int | None) -> list[str]:
    titles = []
    while section is not None:
        s = structure.sections[section]
        titles.append(s.title)
        section = s.parent
    return titles


def extract(text: str, *, year: int | None = None, region: str | None = None, source: str = "<string>") -> Extraction:
    """Run every text and extraction stage over a report's raw text.

    >>> x = extract("2026年重点工作\\n全市生产总值增长5.5—6%。", year=2026, region="衢州市")
    >>> [(o.indicator, str(o.minimum), str(o.maximum), o.status) for o in x.observations]
    [('地区生产总值', '5.5', '6', 'target')]
    """
    normal = normalize_text(text)
    if not normal.strip():
        raise InputError(f"{source}: holds no text")
    structure = split_structure(normal)
    info = report_info(normal, structure, year, region)
    contexts: list[TimeContext] = []
    mentions: list[Mention] = []
    per_sentence: list[list[Mention]] = []
    defaults: dict[int | None, TimeContext] = {}  # one per section, not per sentence
    for sent in structure.sentences:
        if sent.section not in defaults:
            defaults[sent.section] = section_context(_section_titles(structure, sent.section), info.year)
        contexts.append(sentence_context(sent.text, defaults[sent.section], info.year))
        found = find_mentions(sent.text, sent.index)
        per_sentence.append(found)
        mentions.extend(found)
    entities, relations, labels = resolve_entities(mentions, info.region)
    observations = []
    stages = []
    for sent, ctx, found in zip(structure.sentences, contexts, per_sentence):
        subjects = [m.text.replace("“", "").replace("”", "") for m in found if m.type != "Place"]
        opener = found[0] if found and found[0].start == 0 and found[0].type in _TOPIC_TYPES else None
        topic = opener.text.replace("“", "").replace("”", "") if opener else None
        observations.extend(find_observations(sent.text, sent.index, ctx, info.year, subjects, topic))
        if found:  # every relation and stage is between the sentence's mentions
            relations.extend(find_selections(sent.text, found, labels, info.region))
            relations.extend(find_parts(sent.text, found, labels))
            stages.extend(find_stages(sent.text, found, labels, ctx))
    relations.extend(find_locations(entities, info.region))
    # an institution whose building the report follows is a project (市公共卫生服务中心…全面完工)
    built = {c.project for c in stages}
    entities = [replace(e, type="Project", subtype="") if e.type == "Institution" and e.label in built else e
                for e in entities]
    # subjects are named as written; point them at the resolved labels
    by_alias = {a: e.label for e in entities for a in (e.label, *e.aliases)}
    observations = [o if o.subject is None else _with_subject(o, by_alias.get(o.subject, o.subject)) for o in observations]
    return Extraction(
        info=info,
        structure=structure,
        text_hash=hashlib.sha256(normal.encode("utf-8")).hexdigest(),
        source=source,
        entities=tuple(entities),
        observations=tuple(observations),
        relations=tuple(dict.fromkeys(relations)),
        stages=tuple(dict.fromkeys(stages)),
    )


def _with_subject(o: Observation, label: str) -> Observation:
    return replace(o, subject=label)
