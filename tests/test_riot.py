"""Every Turtle, N-Triples, N-Quads, TriG and JSON-LD file we write passes Apache Jena's `riot --validate`."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.api
from conftest import DEV_CORPUS
from external import jena_classpath, riot
from kg.cli import main
from kg.rdf.export import serialize_graph
from kg.rdf.vocab import DEFAULT_BASE
from test_export import NASTY, nasty_triples

FORMATS = ["ttl", "nt", "nq", "trig", "jsonld"]


@pytest.fixture(scope="module")
def classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    return jena_classpath(tmp_path_factory.mktemp("jena"))


@pytest.fixture(scope="module")
def written(sample_build: kg.api.Built, dev_builds: dict[str, kg.api.Built],
            tmp_path_factory: pytest.TempPathFactory) -> dict[Path, int]:
    """Write the sample, the dev corpus and a graph of awkward names in every format, and build two
    reports with `kg build`; return each file with the number of triples (or quads) it holds."""
    folder = tmp_path_factory.mktemp("riot")
    graphs = {"sample": sample_build.triples, **{k: b.triples for k, b in dev_builds.items()},
              # Jena 4.5 refuses IRIs with non-BMP characters, never literals: keep them in labels
              "awkward": nasty_triples(NASTY)}
    files = {}
    for name, triples in graphs.items():
        for ext in FORMATS:
            path = folder / f"{name}.{ext}"
            path.write_bytes(serialize_graph(triples, ox.RdfFormat.from_extension(ext), DEFAULT_BASE))
            files[path] = len(triples)
    # what `kg build` writes for two reports of one city: each report in every format, and the
    # merged corpus graph (corpus.ttl, corpus.nq, corpus.trig)
    src, out = folder / "src", folder / "built"
    src.mkdir()
    for stem in ("quzhou_2024", "quzhou_2026_highlights"):
        shutil.copy(DEV_CORPUS / f"{stem}.txt", src / f"{stem}.txt")
    assert main(["build", str(src), "-o", str(out), "--format", "nt,nq,trig,jsonld"]) == 0
    built = [p for p in out.iterdir() if p.suffix.lstrip(".") in FORMATS]
    assert {p.name for p in built} >= {"corpus.ttl", "corpus.nq", "corpus.trig", "quzhou_2024.jsonld"}
    for path in built:
        files[path] = len(list(ox.parse(path=str(path))))
    return files


def _problems(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.search(r"\b(WARN|ERROR)\b", line)]


@pytest.fixture(scope="module")
def checked(classpath: str, written: dict[Path, int]) -> dict[str, tuple[subprocess.CompletedProcess[str], list[Path]]]:
    """Run riot once per reader: strict, with term checks, counting what each file holds.

    `--strict --check --count` is `--validate` that also counts; one JVM per run keeps this fast.
    Debian ships no Jakarta JSON-P implementation, so riot's JSON-LD 1.1 reader (Titanium)
    cannot run there; JSON-LD goes through its JSON-LD 1.0 reader (jsonld-java), enough for
    our compact, prefix-only context.
    """
    rdf = [p for p in written if p.suffix != ".jsonld"]
    jsonld = [p for p in written if p.suffix == ".jsonld"]
    return {
        "rdf": (riot(classpath, "--strict", "--check", "--count", *map(str, rdf)), rdf),
        "jsonld": (riot(classpath, "--syntax=jsonld10", "--strict", "--check", "--count", *map(str, jsonld)), jsonld),
    }


def test_riot_catches_bad_files(classpath: str, tmp_path: Path) -> None:
    """The validator is real: a space in an IRI fails it."""
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://example.org/a b> <http://example.org/p> \"x\" .\n", encoding="utf-8")
    result = riot(classpath, "--validate", str(bad))
    assert result.returncode != 0 and _problems(result.stderr)


@pytest.mark.parametrize("reader", ["rdf", "jsonld"])
def test_riot_validates(checked: dict[str, tuple[subprocess.CompletedProcess[str], list[Path]]], reader: str) -> None:
    """Every file passes riot's strict parse and term checks, without an error or a warning."""
    result, files = checked[reader]
    assert {p.suffix for p in files} == ({".ttl", ".nt", ".nq", ".trig"} if reader == "rdf" else {".jsonld"})
    assert result.returncode == 0 and not _problems(result.stderr), result.stderr[-3000:]


@pytest.mark.parametrize("reader", ["rdf", "jsonld"])
def test_riot_reads_every_triple(checked: dict[str, tuple[subprocess.CompletedProcess[str], list[Path]]],
                                 written: dict[Path, int], reader: str) -> None:
    """riot counts as many triples (or quads) in each file as we wrote."""
    result, files = checked[reader]
    counts = dict(re.findall(r"^(\S+) : (?:Triples|Quads) = ([\d,]+)", result.stdout + result.stderr, re.M))
    for path in files:
        got = counts.get(path.resolve().as_uri()) or counts.get(str(path))
        assert got is not None, (path, result.stdout[-2000:])
        assert int(got.replace(",", "")) == written[path], path
