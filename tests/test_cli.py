"""Tests for the `kg` command line, through click's CliRunner and through main(argv).

main() is what the console script runs: it returns the exit code and turns every error into
one line on stderr. CliRunner drives the click group itself, for output and --help.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli, main

PROJECTS = """PREFIX gkg: <https://w3id.org/govkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { ?p a gkg:Project ; rdfs:label ?label } ORDER BY ?label"""

NON_CONFORMING = """
@prefix gkg: <https://w3id.org/govkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
ex:report a gkg:Report ; rdfs:label "报告"@zh ; gkg:year 2026 .
ex:gdp a gkg:Indicator ; rdfs:label "地区生产总值"@zh ; gkg:mentionedIn ex:report .
ex:period a gkg:Period ; gkg:startYear 2025 ; gkg:endYear 2025 .
ex:o a gkg:Result ; gkg:indicator ex:gdp ; gkg:value "5.5" ; gkg:unit "%" ; gkg:period ex:period .
"""


def _one_error_line(err: str) -> str:
    """Assert stderr is exactly one 'kg: error:' line without a traceback, and return it."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("kg: error:"), err
    assert "Traceback" not in err
    return lines[0]


# --- build ------------------------------------------------------------------------------------

def test_build_sample(tmp_path: Path) -> None:
    """`kg build -o DIR` with no input builds the bundled sample and prints both paths."""
    result = CliRunner().invoke(cli, ["build", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    ttl = tmp_path / "quzhou_2026_highlights.ttl"
    html = tmp_path / "quzhou_2026_highlights.html"
    assert ttl.is_file() and html.is_file()
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{ttl}  (")
    assert "triples" in lines[0] and "entities" in lines[0] and "observations" in lines[0]
    assert lines[1] == str(html)


def test_build_twice_is_byte_identical(tmp_path: Path) -> None:
    """Two builds of the same input write the same Turtle bytes."""
    runner = CliRunner()
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert runner.invoke(cli, ["build", "-o", str(out)]).exit_code == 0
    name = "quzhou_2026_highlights.ttl"
    assert (a / name).read_bytes() == (b / name).read_bytes()


def test_build_through_main(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """main() builds a given file, returns 0 and writes X.ttl and X.html for input X.txt."""
    report = tmp_path / "report.txt"
    report.write_text("2026年重点工作\n全市生产总值增长5.5—6%。\n杭衢高铁建成通车。\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(report), "-o", str(out), "--year", "2026", "--region", "衢州市"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert (out / "report.ttl").is_file() and (out / "report.html").is_file()
    assert str(out / "report.ttl") in captured.out


def test_build_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder input builds each .txt file in it, then the merged corpus and its view."""
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("a.txt", "b.txt"):
        (reports / name).write_text("2026年重点工作\n全市生产总值增长6%。\n", encoding="utf-8")
    (reports / "notes.md").write_text("not a report", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(reports), "-o", str(out), "--region", "衢州市"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".kg-manifest.json", "a.html", "a.ttl", "b.html", "b.ttl",
        "corpus.html", "corpus.nq", "corpus.trig", "corpus.ttl"]


def _bad_inputs(tmp_path: Path) -> dict[str, list[str]]:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "empty-folder").mkdir()
    return {
        "missing": ["build", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out")],
        "empty": ["build", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "out")],
        "blank": ["build", str(tmp_path / "blank.txt"), "-o", str(tmp_path / "out")],
        "binary": ["build", str(tmp_path / "image.txt"), "-o", str(tmp_path / "out")],
        "empty-folder": ["build", str(tmp_path / "empty-folder"), "-o", str(tmp_path / "out")],
        "unknown-option": ["build", "--bogus"],
        "year-not-a-number": ["build", "--year", "abc", "-o", str(tmp_path / "out")],
        "year-out-of-range": ["build", "--year", "12", "-o", str(tmp_path / "out")],
        "bad-base": ["build", "--base", "not-an-iri", "-o", str(tmp_path / "out")],
        "unknown-command": ["frobnicate"],
        "query-without-query": ["query", str(tmp_path / "x.ttl")],
        "query-missing-graph": ["query", str(tmp_path / "missing.ttl"), "ASK {}"],
        "validate-missing-graph": ["validate", str(tmp_path / "missing.ttl")],
        "validate-not-turtle": ["validate", str(tmp_path / "image.txt")],
        "bad-format": ["query", str(tmp_path / "x.ttl"), "ASK {}", "--format", "xml"],
    }


BAD = ["missing", "empty", "blank", "binary", "empty-folder", "unknown-option", "year-not-a-number",
       "year-out-of-range", "bad-base", "unknown-command", "query-without-query", "query-missing-graph",
       "validate-missing-graph", "validate-not-turtle", "bad-format"]


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_one_line_exit_2(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bad input or options: exit 2, one 'kg: error:' line on stderr, no traceback, no output files."""
    argv = _bad_inputs(tmp_path)[case]
    assert main(argv) == 2
    _one_error_line(capsys.readouterr().err)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize(("case", "name"), [("missing", "missing.txt"), ("empty", "empty.txt"),
                                            ("binary", "image.txt")])
def test_error_names_the_file(case: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The error line names the file at fault."""
    main(_bad_inputs(tmp_path)[case])
    assert name in _one_error_line(capsys.readouterr().err)


def test_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    """`kg` alone exits non-zero with one line on stderr, or shows help with exit 0."""
    code = main([])
    err = capsys.readouterr().err
    assert code == 0 or len(err.splitlines()) == 1


def test_unknown_option_through_cli_runner() -> None:
    """Click's own usage errors exit 2 through the click group too."""
    result = CliRunner().invoke(cli, ["build", "--bogus"])
    assert result.exit_code == 2
    assert "--bogus" in result.output


# --- query ------------------------------------------------------------------------------------

def _expected_projects(sample_ttl: Path) -> list[str]:
    import rdflib

    g = rdflib.Graph().parse(sample_ttl, format="turtle")
    return sorted(str(row[0]) for row in g.query(PROJECTS))


def test_query_table(sample_ttl: Path) -> None:
    """The default format is an aligned table with a header, a rule and a row count."""
    result = CliRunner().invoke(cli, ["query", str(sample_ttl), PROJECTS])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    expected = _expected_projects(sample_ttl)
    assert lines[0].strip() == "label"
    assert set(lines[1]) == {"-"}
    assert [line.strip() for line in lines[2:-1]] == expected
    assert lines[-1] == f"({len(expected)} rows)"
    assert "杭衢高铁" in expected


def test_query_csv(sample_ttl: Path) -> None:
    """CSV is SPARQL 1.1 CSV: a header of variable names, plain values, one row per solution."""
    result = CliRunner().invoke(cli, ["query", str(sample_ttl), PROJECTS, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["label"]
    assert [r[0] for r in rows[1:]] == _expected_projects(sample_ttl)


def test_query_tsv(sample_ttl: Path) -> None:
    """TSV is SPARQL 1.1 TSV: a header of ?variables, terms in N-Triples syntax."""
    result = CliRunner().invoke(cli, ["query", str(sample_ttl), PROJECTS, "--format", "tsv"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "?label"
    assert lines[1:] == [f'"{x}"@zh' for x in _expected_projects(sample_ttl)]


def test_query_json(sample_ttl: Path) -> None:
    """JSON is SPARQL 1.1 Query Results JSON."""
    result = CliRunner().invoke(cli, ["query", str(sample_ttl), PROJECTS, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["head"] == {"vars": ["label"]}
    assert doc["results"]["bindings"] == [{"label": {"type": "literal", "value": x, "xml:lang": "zh"}}
                                          for x in _expected_projects(sample_ttl)]


def test_query_from_file_and_ask(sample_ttl: Path, tmp_path: Path) -> None:
    """--file reads the query from a .rq file; ASK prints true or false."""
    rq = tmp_path / "q.rq"
    rq.write_text('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nASK { ?x rdfs:label "杭衢高铁"@zh }',
                  encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", str(sample_ttl), "--file", str(rq)])
    assert (result.exit_code, result.output) == (0, "true\n")
    result = CliRunner().invoke(cli, ["query", str(sample_ttl), "-q", "ASK { ?x ?y \"不存在\" }", "--format", "json"])
    assert (result.exit_code, json.loads(result.output)["boolean"]) == (0, False)


def test_query_syntax_error(sample_ttl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A query that does not parse: exit 2 and one line."""
    assert main(["query", str(sample_ttl), "SELEC ?x WHERE { ?x ?y ?z }"]) == 2
    assert "query" in _one_error_line(capsys.readouterr().err)


def test_query_through_main(sample_ttl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """main() runs a query and prints CSV on stdout."""
    assert main(["query", str(sample_ttl), PROJECTS, "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.splitlines()[0] == "label"


# --- validate ---------------------------------------------------------------------------------

def test_validate_sample(sample_ttl: Path) -> None:
    """The sample graph conforms: exit 0 and 'conforms'."""
    result = CliRunner().invoke(cli, ["validate", str(sample_ttl)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{sample_ttl}: conforms")


def test_validate_non_conforming(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An observation with a string value does not conform: exit 1, and the file is named."""
    bad = tmp_path / "bad.ttl"
    bad.write_text(NON_CONFORMING, encoding="utf-8")
    assert main(["validate", str(bad)]) == 1
    captured = capsys.readouterr()
    assert f"{bad}: does not conform" in captured.out
    assert captured.err.splitlines()[-1].startswith("kg: error:")
    assert "Traceback" not in captured.err


# --- help -------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [[], *([name] for name in sorted(cli.commands))])
def test_help(command: list[str]) -> None:
    """--help works for the group and every command, and says what the command does."""
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage:")
    if command:
        assert (cli.commands[command[0]].help or "").split("\n")[0].split(" ")[0] in result.output


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_help_through_main(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """main() prints help and returns 0."""
    assert main([command, "--help"]) == 0
    assert "Usage: kg" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the program name and returns 0."""
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("kg")
