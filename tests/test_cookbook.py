"""Tests for the query cookbook (kg/queries/*.rq) and its parameters, bound as values, never pasted."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.cli import cli, main
from kg.errors import OptionError, QueryError
from kg.rdf.query import (Param, bind_params, example, examples, format_result, lexical, load_store, parse_params,
                          run_query, solutions)

README = Path(__file__).parents[1] / "README.md"
NAMES = [ex.name for ex in examples()]
# the list: each must ship, with the names README and users rely on
REQUIRED = {"targets", "results_vs_targets", "industry_output", "projects", "institutions", "entity", "facts",
            "evidence"}
SAMPLE_PARAMS = {"entity": {"name": ["衢州港"]}, "facts": {"name": ["杭衢高铁"]}}


@pytest.fixture(scope="module")
def sample_store(sample_ttl: Path) -> ox.Store:
    return load_store([sample_ttl])


def _rows(store: ox.Store, name: str, values: dict[str, list[str]] | None = None) -> list[dict[str, str]]:
    ex = example(name)
    header, rows = solutions(run_query(store, bind_params(ex.text, ex.params, values or {}, name)))
    return [{h: lexical(v) for h, v in zip(header, r)} for r in rows]


def test_the_cookbook_ships() -> None:
    """Every query the issue lists ships, each with a title line."""
    assert REQUIRED <= set(NAMES)
    for ex in examples():
        assert ex.title and not ex.title.startswith("PREFIX"), ex.name


def _a_fact(store: ox.Store) -> str:
    """The IRI of a fact of the sample (a project's stage)."""
    return _rows(store, "facts", {"name": ["杭衢高铁"]})[0]["fact"]


@pytest.mark.parametrize("name", NAMES)
def test_every_example_runs_on_the_sample(sample_store: ox.Store, name: str) -> None:
    """Each cookbook query parses and runs, with its required parameters given."""
    params = {"fact": [_a_fact(sample_store)]} if name == "evidence" else SAMPLE_PARAMS.get(name)
    _rows(sample_store, name, params)


@pytest.mark.parametrize(("name", "values", "expected"), [
    ("targets", {}, {"region": "衢州市", "indicator": "地区生产总值", "min": "5.5", "max": "6", "unit": "%", "year": "2026"}),
    ("results_vs_targets", {}, {"indicator": "地区生产总值", "result": "5.5", "resultYear": "2025", "min": "5.5",
                                "targetYear": "2026"}),
    ("results_vs_targets", {"indicator": ["地区生产总值"]}, {"indicator": "地区生产总值"}),
    ("industry_output", {}, {"industry": "新材料产业链", "value": "1061", "unit": "亿元"}),
    ("projects", {}, {"project": "杭衢高铁", "stage": "Completed", "year": "2025"}),
    ("institutions", {}, {"institution": "高端化学品中试平台", "designation": "国家级制造业中试平台"}),
    ("entity", {"name": ["衢州港"]}, {"entity": "衢州港", "property": "type", "value": "TransportHub"}),
    ("entity", {"name": ["衢州港"]}, {"property": "^subject", "value": "衢州港·货物吞吐量 1000万吨（2025）"}),
    ("facts", {"name": ["杭衢高铁"]}, {"what": "杭衢高铁 stage Completed"}),
    ("facts", {"name": ["衢州港"]}, {"what": "衢州港·货物吞吐量 1000万吨（2025）"}),
])
def test_examples_answer(sample_store: ox.Store, name: str, values: dict[str, list[str]],
                         expected: dict[str, str]) -> None:
    """The cookbook finds what the sample says."""
    rows = _rows(sample_store, name, values)
    assert any(expected.items() <= row.items() for row in rows), rows[:5]


def test_parameters_filter(sample_store: ox.Store) -> None:
    """An optional parameter narrows the answer; without it the query covers everything."""
    every = _rows(sample_store, "targets")
    assert {r["year"] for r in _rows(sample_store, "targets", {"year": ["2026"]})} == {"2026"}
    assert _rows(sample_store, "targets", {"year": ["1999"]}) == []
    assert len(every) >= len(_rows(sample_store, "targets", {"year": ["2026"]})) > 0
    only = _rows(sample_store, "results_vs_targets", {"indicator": ["地区生产总值"]})
    assert {r["indicator"] for r in only} == {"地区生产总值"}
    facts = _rows(sample_store, "facts", {"name": ["杭衢高铁"]})
    assert facts and all("杭衢高铁" in r["what"] for r in facts)
    for fact in facts:
        (evidence,) = _rows(sample_store, "evidence", {"fact": [fact["fact"]]})
        assert (evidence["what"], evidence["sentence"], evidence["report"]) == (fact["what"], fact["sentence"], fact["report"])
        assert evidence["year"] == "2026" and evidence["section"]


def test_two_values_of_one_parameter(sample_store: ox.Store) -> None:
    """A parameter given twice binds both values."""
    rows = _rows(sample_store, "entity", {"name": ["衢州港", "杭衢高铁"]})
    assert {r["entity"] for r in rows} == {"衢州港", "杭衢高铁"}


# --- parameters are values, never query text ---------------------------------------------------

ECHO = "# param: v string required\nSELECT ?v ?x WHERE { BIND(1 AS ?x) }"
ECHO_PARAMS = parse_params(ECHO)
HOSTILE = ['衢州港"@zh } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o', '"}\n}\nSELECT', "a'b\"c", '"""', "x\\", "\\n",
           "# comment }", "} UNION { ?s ?p ?o }", "\r\n\t", "<http://evil/>", "?v", "\x00"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_stay_one_literal(value: str) -> None:
    """Quotes, braces, newlines, comments: the value comes back as exactly one literal, equal to itself."""
    store = ox.Store()
    header, rows = solutions(run_query(store, bind_params(ECHO, ECHO_PARAMS, {"v": [value]})))
    assert [[lexical(t) for t in r] for r in rows] == [[value, "1"]]


@settings(max_examples=100, deadline=None)
@given(st.text().filter(lambda s: not re.search(r"\\[uU]", s)))
def test_any_value_stays_one_literal(value: str) -> None:
    """Property: whatever the text, it is bound as one literal with that exact value."""
    store = ox.Store()
    _, rows = solutions(run_query(store, bind_params(ECHO, ECHO_PARAMS, {"v": [value]})))
    assert len(rows) == 1 and rows[0][0] == ox.Literal(value)


@pytest.mark.parametrize(("param", "value", "message"), [
    (Param("v", "string", True, ""), "\\u0022", r"\\u or \\U"),
    (Param("v", "integer", True, ""), "2026; DROP", "whole number"),
    (Param("v", "iri", True, ""), "http://a> <b", "not a valid IRI"),
    (Param("v", "Planned|Started|Completed", True, ""), "Done", "choose from Planned, Started, Completed"),
])
def test_bad_values_are_refused(param: Param, value: str, message: str) -> None:
    """Values that are not of the parameter's kind, or hold escapes an engine might expand, are refused."""
    with pytest.raises(OptionError, match=message):
        bind_params("SELECT * WHERE { }", [param], {"v": [value]})


def test_unknown_and_missing_parameters() -> None:
    """An undeclared parameter, or a missing required one, is an OptionError naming it."""
    ex = example("entity")
    with pytest.raises(OptionError, match="unknown parameter 'nmae'; it takes name"):
        bind_params(ex.text, ex.params, {"nmae": ["x"]}, "entity")
    with pytest.raises(OptionError, match="entity needs --param name=VALUE"):
        bind_params(ex.text, ex.params, {}, "entity")


def test_values_go_into_the_where_group() -> None:
    """The VALUES clause opens the WHERE group, not a comment or a string that mentions WHERE {."""
    text = '# WHERE { in a comment\n# param: v string optional\nSELECT ?v WHERE { FILTER(?v != "WHERE {") }'
    bound = bind_params(text, parse_params(text), {"v": ["a"]})
    assert bound.endswith('SELECT ?v WHERE { VALUES ?v { "a" } FILTER(?v != "WHERE {") }')
    with pytest.raises(QueryError, match="WHERE"):
        bind_params("ASK { }", [Param("v", "string", False, "")], {"v": ["a"]})


def test_unknown_param_kind() -> None:
    """A .rq declaring a kind we do not know fails when read."""
    with pytest.raises(QueryError, match="unknown kind"):
        parse_params("# param: v float optional")


# --- the CLI ----------------------------------------------------------------------------------

def test_list_examples() -> None:
    """--list-examples names every cookbook query with its title and parameters."""
    result = CliRunner().invoke(cli, ["query", "--list-examples"])
    assert result.exit_code == 0, result.output
    for ex in examples():
        assert re.search(rf"^{ex.name}\s+{re.escape(ex.title)}$", result.output, re.M)
    assert "--param name=… (zh, required)" in result.output


def test_example_through_the_cli(sample_ttl: Path, sample_store: ox.Store) -> None:
    """`kg query GRAPH --example NAME --param k=v` prints the same table as the library."""
    result = CliRunner().invoke(cli, ["query", str(sample_ttl), "--example", "entity", "--param", "name=衢州港"])
    assert result.exit_code == 0, result.output
    ex = example("entity")
    expected = format_result(run_query(sample_store, bind_params(ex.text, ex.params, {"name": ["衢州港"]})))
    assert result.output == expected + "\n"


def test_params_in_a_query_file(sample_ttl: Path, tmp_path: Path) -> None:
    """A user's own .rq may declare parameters too."""
    rq = tmp_path / "q.rq"
    rq.write_text("# param: label zh required\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                  "SELECT ?e WHERE { ?e rdfs:label ?label }", encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", str(sample_ttl), "-f", str(rq), "-p", "label=衢州港", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--example", "nope"], "no such query; choose from"),
    (["--example", "../../etc/passwd"], "no such query"),
    (["--example", "entity"], "needs --param name=VALUE"),
    (["--example", "targets", "--param", "year"], "NAME=VALUE"),
    (["--example", "targets", "-q", "ASK {}"], "give one query"),
    (["--example", "targets", "--param", "year=soon"], "whole number"),
    (["--example", "projects", "--param", "stage=completed"], "choose from Planned, Started, Completed"),
])
def test_cli_example_errors(sample_ttl: Path, args: list[str], message: str,
                            capsys: pytest.CaptureFixture[str]) -> None:
    """Wrong example names and parameters: exit 2, one line saying what to do."""
    assert main(["query", str(sample_ttl), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err


def test_readme_shows_every_example() -> None:
    """README's cookbook block shows every query (tools/readme_examples.py writes it)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- examples -->")[1].split("<!-- /examples -->")[0]
    for name in NAMES:
        assert f"kg/queries/{name}.rq" in block, f"README does not show the {name} query; run tools/readme_examples.py"


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_at_once_narrows(sample_store: ox.Store, name: str) -> None:
    """With all its parameters given, a query answers a part of what it answers with only the required ones."""
    ex = example(name)
    required = {"fact": [_a_fact(sample_store)]} if name == "evidence" else SAMPLE_PARAMS.get(name, {})
    values = dict(required)
    for p in ex.params:
        values[p.name] = values.get(p.name) or {"year": ["2026"], "indicator": ["地区生产总值"],
                                                 "region": ["衢州市"], "stage": ["Completed"]}.get(p.name, [])
    values = {k: v for k, v in values.items() if v}
    header, rows = solutions(run_query(sample_store, bind_params(ex.text, ex.params, values, name)))
    _, wider = solutions(run_query(sample_store, bind_params(ex.text, ex.params, required, name)))
    assert (rows or not wider) and all(r in wider for r in rows), (name, rows[:3])
    for p in ex.params:
        if p.name in header and p.name in values:
            assert {lexical(r[header.index(p.name)]) for r in rows} <= set(values[p.name]), p.name

