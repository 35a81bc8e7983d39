"""Run SPARQL over graph files or a store with pyoxigraph's engine (20–30× faster than rdflib's).

Results print as an aligned table, or in the SPARQL 1.1 results formats (CSV, TSV, JSON)
written by pyoxigraph itself. The default graph of every query is the union of the store's
graphs (each report lives in its own named graph; see kg.rdf.store).

The cookbook: `.rq` files shipped in `kg/queries/`. A query declares its parameters in
comment lines, `# param: NAME KIND required|optional  what it is`, and uses `?NAME` as a
variable; `bind_params` binds the values with a VALUES clause at the head of the WHERE group,
each value written as an RDF term by pyoxigraph (which escapes it), so user text is never
pasted into the query text.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, OptionError, QueryError
from kg.rdf.store import has_union, load_graphs, load_union
from kg.rdf.vocab import XSD

FORMATS = ("table", "csv", "tsv", "json", "xml")
RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


def load_store(paths: Sequence[Path], named_graphs: bool = True) -> ox.Store:
    """Load graph files into an in-memory store, as `kg load` does: a named graph per report.

    Without `named_graphs`, the store holds the union alone (see `load_union`): enough for a
    query that names no graph (`names_graphs`), loaded in half the time and queried up to twice as fast.
    """
    store = ox.Store()
    (load_graphs if named_graphs else load_union)(store, [Path(p) for p in paths])
    return store


# What hides a keyword from `names_graphs`: IRIs, strings (long ones first) and comments; the
# IRI rule admits no space or brace, so a "<" comparison never swallows a GRAPH pattern.
_OPAQUE = re.compile("|".join((
    r"<[^<>\"{}|^`\\\x00-\x20]*>",  # an IRI
    r"'''.*?'''", r'""".*?"""',  # long strings
    r"'(?:[^'\\\n]|\\.)*'", r'"(?:[^"\\\n]|\\.)*"',  # strings
    r"#[^\n]*",  # a comment
)), re.S)
# the keywords, not a variable (?graph), a prefixed name (ex:from, graph:x) or part of a word
_GRAPH_KEYWORD = re.compile(r"(?<![\w?$:])(?:GRAPH|FROM)(?![\w:])", re.I)


def names_graphs(sparql: str) -> bool:
    """Tell whether a query reads named graphs or picks its dataset (GRAPH, FROM, FROM NAMED).

    Any other query reads the default graph alone, the union of the reports, and a store of
    that union answers it. Errs towards yes: a keyword the scan cannot rule out counts.

    >>> names_graphs("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"), names_graphs("SELECT * FROM <x:g> { ?s ?p ?o }")
    (True, True)
    >>> names_graphs('SELECT ?graph WHERE { ?graph ex:from "GRAPH" } # FROM')
    False
    """
    return _GRAPH_KEYWORD.search(_OPAQUE.sub(" ", sparql)) is not None


def run_query(store: ox.Store, sparql: str) -> Result:
    """Run a query over the union of the store's graphs; return pyoxigraph's (lazy) result.

    A store made by `kg load` keeps that union, each triple once, in its default graph; for a
    store of named graphs only, pyoxigraph's union default graph is asked for instead.

    >>> store = ox.Store()
    >>> g = ox.NamedNode("http://example.org/report")
    >>> store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"), ox.Literal("1"), g))
    >>> [str(s["o"]) for s in run_query(store, "SELECT ?o WHERE { ?s ?p ?o }")]
    ['"1"']
    """
    try:
        return store.query(sparql, use_default_graph_as_union=not has_union(store))
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {str(exc).splitlines()[0]}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}") from None


def solutions(result: Result) -> tuple[list[str], list[list[ox.NamedNode | ox.BlankNode | ox.Literal | None]]]:
    """Return a SELECT result's variable names and rows of terms (None where unbound)."""
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("not a SELECT result")
    header = [v.value for v in result.variables]
    try:
        rows = [[sol[v] for v in header] for sol in result]  # type: ignore[misc]
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}") from None
    return header, rows


def format_result(result: Result, fmt: str = "table", prefixes: dict[str, str] | None = None) -> str:
    """Format a result as an aligned table, or in a SPARQL 1.1 results format (csv, tsv, json, xml).

    ASK prints true or false as a table; CONSTRUCT and DESCRIBE print Turtle.
    """
    if fmt not in FORMATS:
        raise OptionError(f"--format {fmt!r}: choose from {', '.join(FORMATS)}")
    try:
        if isinstance(result, ox.QueryTriples):
            if fmt != "table":
                raise OptionError("CONSTRUCT and DESCRIBE results print as Turtle; drop --format")
            return ox.serialize(list(result), format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8").rstrip("\n")
        if isinstance(result, ox.QueryBoolean) and fmt == "table":
            return str(bool(result)).lower()
        if fmt != "table":
            return result.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8").rstrip("\r\n")
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}") from None
    header, rows = solutions(result)
    return _table(header, [[lexical(t) for t in row] for row in rows])


def lexical(term: object) -> str:
    """Return a term as plain text: an IRI, a literal's lexical form, `_:id` for a blank node."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


MAX_CELL = 60


def _clip(s: str) -> str:
    """Shorten a cell to MAX_CELL display columns for the table view (CSV/JSON stay whole)."""
    s = s.replace("\n", " ")
    if _width(s) <= MAX_CELL:
        return s
    out, w = [], 0
    for c in s:
        w += _width(c)
        if w > MAX_CELL - 1:
            break
        out.append(c)
    return "".join(out) + "…"


def _table(header: list[str], rows: list[list[str]]) -> str:
    rows = [[_clip(c) for c in r] for r in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    pad = lambda s, w: s + " " * (w - _width(s))  # noqa: E731
    lines = [" | ".join(pad(h, w) for h, w in zip(header, widths)).rstrip(),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(pad(c, w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


# --- the cookbook -----------------------------------------------------------------------------

PARAM_KINDS = ("zh", "string", "integer", "iri")
_PARAM = re.compile(r"^#\s*param:\s*(?P<name>[A-Za-z_]\w*)\s+(?P<kind>\w+(?:\|\w+)*)\s+(?P<need>required|optional)\b\s*"
                    r"(?:[—–-]+\s*)?(?P<help>.*)$")


@dataclass(frozen=True)
class Param:
    """A parameter a query declares: bound to `?name` as a term of its kind."""

    name: str
    kind: str  # zh (a literal @zh), string, integer, iri, or a choice of strings: A|B|C
    required: bool
    help: str


@dataclass(frozen=True)
class Example:
    """A cookbook query: its name, the title line, its text and its parameters."""

    name: str
    title: str
    text: str
    params: tuple[Param, ...]


def parse_params(text: str) -> tuple[Param, ...]:
    """Return the parameters a query declares in `# param:` comment lines.

    >>> parse_params("# param: year integer optional — the year, e.g. 2026\\nSELECT ...")
    (Param(name='year', kind='integer', required=False, help='the year, e.g. 2026'),)
    """
    out = []
    for line in text.splitlines():
        m = _PARAM.match(line.strip())
        if m:
            if m["kind"] not in PARAM_KINDS and "|" not in m["kind"]:
                raise QueryError(f"# param: {m['name']}: unknown kind {m['kind']!r} (use {', '.join(PARAM_KINDS)} or A|B|C)")
            out.append(Param(m["name"], m["kind"], m["need"] == "required", m["help"].strip()))
    return tuple(out)


def _examples_folder():  # type: ignore[no-untyped-def]
    return resources.files("kg").joinpath("queries")


def examples() -> list[Example]:
    """Return the cookbook queries shipped with the package, by name."""
    names = sorted(f.name[:-3] for f in _examples_folder().iterdir() if f.name.endswith(".rq"))
    return [example(n) for n in names]


def example(name: str) -> Example:
    """Return one cookbook query by name; refuse unknown names, listing the known ones."""
    resource = _examples_folder().joinpath(f"{name}.rq")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or not resource.is_file():
        known = sorted(f.name[:-3] for f in _examples_folder().iterdir() if f.name.endswith(".rq"))
        raise OptionError(f"--example {name!r}: no such query; choose from {', '.join(known)}")
    text = resource.read_text(encoding="utf-8")
    first = text.splitlines()[0] if text else ""
    title = first.lstrip("#").strip() if first.startswith("#") else name
    return Example(name, title, text, parse_params(text))


def parse_assignments(items: Sequence[str]) -> dict[str, list[str]]:
    """Parse `NAME=VALUE` items (repeatable) into values by name.

    >>> parse_assignments(["name=衢州港", "year=2025", "year=2026"])
    {'name': ['衢州港'], 'year': ['2025', '2026']}
    """
    out: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise OptionError(f"--param {item!r}: write NAME=VALUE, e.g. --param name=衢州港")
        out.setdefault(name.strip(), []).append(value)
    return out


_XSD_INTEGER = ox.NamedNode(XSD + "integer")
_CODEPOINT_ESCAPE = re.compile(r"\\[uU]")


def param_term(param: Param, value: str) -> ox.NamedNode | ox.Literal:
    """Return the RDF term a parameter value stands for; refuse values that are not of its kind.

    >>> str(param_term(Param("name", "zh", True, ""), 'a"} .\\nb'))
    '"a\\\\"} .\\\\nb"@zh'
    """
    if _CODEPOINT_ESCAPE.search(value):
        # SPARQL lets engines expand \\u escapes before parsing; refuse them rather than trust every engine
        raise OptionError(f"--param {param.name}: a value may not contain \\u or \\U escapes")
    if param.kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", value.strip()):
            raise OptionError(f"--param {param.name}={value!r}: give a whole number")
        return ox.Literal(str(int(value)), datatype=_XSD_INTEGER)
    if param.kind == "iri":
        try:
            return ox.NamedNode(value.strip())
        except ValueError as exc:
            raise OptionError(f"--param {param.name}={value!r}: not a valid IRI ({exc})") from None
    if param.kind == "zh":
        return ox.Literal(value, language="zh")
    if "|" in param.kind and value not in param.kind.split("|"):
        raise OptionError(f"--param {param.name}={value!r}: choose from {', '.join(param.kind.split('|'))}")
    return ox.Literal(value)


_WHERE = re.compile(r"\bWHERE\s*\{", re.I)


def bind_params(text: str, params: Sequence[Param], values: Mapping[str, Sequence[str]], name: str = "query") -> str:
    """Return the query with a VALUES clause binding each given parameter, at the head of WHERE.

    VALUES is what every endpoint understands, and in pyoxigraph it is also the fast form: a
    SEP-0007 substitution of a selected variable was measured 4–30× slower on the corpus
    store. The clauses follow the parameters' declaration order, which pyoxigraph's planner
    follows too: declare the most selective parameter first.

    >>> q = "SELECT ?x WHERE { ?x ?p ?name }"
    >>> bind_params(q, [Param("name", "zh", True, "")], {"name": ["衢州"]})
    'SELECT ?x WHERE { VALUES ?name { "衢州"@zh } ?x ?p ?name }'
    """
    _check_params(params, values, name)
    return _with_values(text, params, values, name)


def _check_params(params: Sequence[Param], values: Mapping[str, Sequence[str]], name: str) -> None:
    declared = {p.name: p for p in params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        takes = ", ".join(declared) or "no parameters"
        raise OptionError(f"{name}: unknown parameter {unknown[0]!r}; it takes {takes}")
    missing = [p for p in params if p.required and not values.get(p.name)]
    if missing:
        p = missing[0]
        raise OptionError(f"{name} needs --param {p.name}=VALUE ({p.help or p.kind})")


def _blank_comments(text: str) -> str:
    """Blank whole-line comments (IRIs hold '#', so only lines that start with one)."""
    return "\n".join(" " * len(line) if line.lstrip().startswith("#") else line for line in text.split("\n"))


def _with_values(text: str, params: Sequence[Param], values: Mapping[str, Sequence[str]], name: str) -> str:
    clauses = []
    for p in params:
        if values.get(p.name):
            terms = " ".join(str(param_term(p, v)) for v in values[p.name])
            clauses.append(f"VALUES ?{p.name} {{ {terms} }}")
    if not clauses:
        return text
    m = _WHERE.search(_blank_comments(text))
    if m is None:
        raise QueryError(f"{name}: parameters need a `WHERE {{` group to bind them in")
    return text[: m.end()] + " " + " ".join(clauses) + text[m.end():]


def read_query_file(path: str | Path) -> str:
    """Read a query from a .rq file."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
