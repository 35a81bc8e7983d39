"""Frozen dataclasses passed between the pipeline's stages.

Each stage takes and returns these plain values, so stages stay pure and testable on
inline texts, and only the edges (read, export, view, cli) touch files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

ENTITY_TYPES = ("Industry", "Project", "Institution", "Policy", "Designation", "Event", "Place")
MEASURES = ("Level", "Growth", "AverageGrowth", "Count", "Rank", "Change")
STAGES = ("Planned", "Started", "Completed")


@dataclass(frozen=True)
class Section:
    """A heading of the report and the part of the text it governs."""

    index: int
    title: str
    level: int
    parent: int | None = None


@dataclass(frozen=True)
class Sentence:
    """One sentence with its position and the section it sits in."""

    index: int
    text: str
    section: int | None = None


@dataclass(frozen=True)
class Structure:
    """The report's title, sections and sentences, in reading order."""

    title: str
    sections: tuple[Section, ...]
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Period:
    """A year or a span of years, inclusive."""

    start: int
    end: int

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"


@dataclass(frozen=True)
class ReportInfo:
    """What the report is: delivered in `year`, governing `region`."""

    year: int
    region: str
    title: str
    kind: str = "full"


@dataclass(frozen=True)
class Quantity:
    """A number as written in a sentence, with its unit and its grammar.

    `value` holds a single number; `minimum`/`maximum` hold ranges and bounds.
    `start`/`end` are character offsets in the sentence (end exclusive, including the unit).
    """

    start: int
    end: int
    unit: str
    value: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    qualifier: str = ""


@dataclass(frozen=True)
class Observation:
    """A number a report states about an indicator: a result or a target."""

    indicator: str
    surface: str
    status: str  # "actual" | "target"
    unit: str
    period: Period
    measure: str
    sentence: int
    value: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    subject: str | None = None
    qualifier: str = ""
    commitment: str = ""
    description: str = ""


@dataclass(frozen=True)
class Mention:
    """A span of a sentence that names an entity."""

    text: str
    type: str
    sentence: int
    start: int
    end: int
    subtype: str = ""


@dataclass(frozen=True)
class Entity:
    """One real-world thing after resolution: its canonical label and every other form."""

    label: str
    type: str
    subtype: str = ""
    aliases: tuple[str, ...] = ()
    sentences: tuple[int, ...] = ()


@dataclass(frozen=True)
class Relation:
    """`subject predicate object` between entity labels, with the sentence that says so."""

    subject: str
    predicate: str  # "partOf" | "selectedAs" | "locatedIn"
    object: str
    sentence: int


@dataclass(frozen=True)
class StageClaim:
    """A project's stage in a year, as one sentence reports it."""

    project: str
    stage: str  # "Planned" | "Started" | "Completed"
    year: int
    sentence: int


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one report, ready for the RDF stage."""

    info: ReportInfo
    structure: Structure
    text_hash: str
    source: str
    entities: tuple[Entity, ...] = ()
    observations: tuple[Observation, ...] = ()
    relations: tuple[Relation, ...] = ()
    stages: tuple[StageClaim, ...] = ()
    indicator_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
