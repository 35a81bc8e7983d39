"""Shared fixtures: the bundled sample report, built once per test session.

Everything here comes from the package itself, so the suite runs from a fresh clone
without ../shared.
"""
from __future__ import annotations

import importlib.resources
from pathlib import Path

import pytest
import rdflib

import kg.api
from kg.rdf.export import write_turtle
from kg.rdf.vocab import DEFAULT_BASE

SAMPLE_YEAR = 2026
SAMPLE_REGION = "衢州市"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """Return the path of the bundled sample report."""
    return Path(str(importlib.resources.files("kg") / "data" / "quzhou_2026_highlights.txt"))


@pytest.fixture(scope="session")
def sample_build(sample_path: Path) -> kg.api.Built:
    """Build the bundled sample once (the first build warms jieba up, ~3 s)."""
    return kg.api.build_report(sample_path, year=SAMPLE_YEAR, region=SAMPLE_REGION)


@pytest.fixture(scope="session")
def sample_graph(sample_build: kg.api.Built) -> rdflib.Graph:
    """Return the sample's graph as an rdflib.Graph (treat it as read-only)."""
    return kg.api.triples_to_rdflib(sample_build.triples)


@pytest.fixture(scope="session")
def sample_ttl(sample_build: kg.api.Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Write the sample's graph as Turtle into a session temp folder and return its path."""
    path = tmp_path_factory.mktemp("sample") / "quzhou_2026_highlights.ttl"
    write_turtle(path, sample_build.triples, DEFAULT_BASE)
    return path


DEV_CORPUS = Path(__file__).parent / "data" / "corpus"
DEV_GOLD = Path(__file__).parent / "data" / "gold"


@pytest.fixture(scope="session")
def dev_builds() -> dict[str, kg.api.Built]:
    """Build the dev corpus once, each report with the year and region of its gold file."""
    import json

    out = {}
    for text in sorted(DEV_CORPUS.glob("*.txt")):
        report = json.loads((DEV_GOLD / f"{text.stem}.json").read_text(encoding="utf-8"))["report"]
        out[text.stem] = kg.api.build_report(text, year=report["year"], region=report["region"])
    return out


@pytest.fixture(scope="session")
def dev_ttls(dev_builds: dict[str, kg.api.Built], tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Write the dev corpus as Turtle files into a session temp folder and return their paths."""
    folder = tmp_path_factory.mktemp("dev")
    paths = []
    for stem, built in dev_builds.items():
        write_turtle(folder / f"{stem}.ttl", built.triples, DEFAULT_BASE)
        paths.append(folder / f"{stem}.ttl")
    return paths
