"""The `kg` command line: a thin layer over the library that turns errors into exit codes.

Exit codes: 0 ok, 1 the graph does not conform to the shapes, 2 could not run (bad input,
bad option). Every error is one line on stderr, never a traceback.
"""
from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kg.errors import InputError, KgError, OptionError, OutputError
from kg.rdf.vocab import DEFAULT_BASE
from kg.text.formats import SUFFIXES

if TYPE_CHECKING:
    import rdflib

# plain text, web pages, Word and PDF: the forms kg.text.formats reads
REPORT_SUFFIXES = SUFFIXES
STDIN = "-"


def _sample() -> Path:
    return Path(str(resources.files("kg").joinpath("data", "quzhou_2026_highlights.txt")))


def _inputs(paths: tuple[str, ...]) -> list[Path]:
    if not paths:
        return [_sample()]
    if STDIN in paths and len(paths) > 1:
        raise OptionError("`-` (standard input) must be the only input")
    out: list[Path] = []
    for p in map(Path, paths):
        if str(p) == STDIN:
            out.append(p)
        elif p.is_dir():
            # dot-files are litter of editors, OSes (._report.txt) and of our own temp files
            files = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
            found = [f for f in files if f.suffix.lower() in REPORT_SUFFIXES]
            if not found:
                raise InputError(f"{p}: holds no report files ({', '.join(REPORT_SUFFIXES)})")
            others = [f.name for f in files if f.suffix.lower() not in REPORT_SUFFIXES]
            if others:
                shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
                click.echo(f"kg: warning: {p}: skipped {len(others)} files that are not reports ({shown})", err=True)
            out.extend(found)
        elif not p.exists():
            raise InputError(f"{p}: no such file or folder")
        else:
            out.append(p)
    return out


class _Group(click.Group):
    """A command group that turns our errors into click errors carrying our exit codes.

    So `CliRunner().invoke(cli, …)` and the console script report errors the same way.
    """

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            err = click.ClickException(str(exc))
            err.exit_code = exc.exit_code
            raise err from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govkg", prog_name="kg")
def cli() -> None:
    """Turn Chinese government work reports into a knowledge graph (Turtle + HTML)."""


@cli.command()
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("-o", "--output", "out_dir", default="output", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the .ttl and .html files.")
@click.option("--year", type=click.IntRange(1949, 2100), help="Year the report is delivered (inferred when absent).")
@click.option("--region", help="Area the report governs, e.g. 衢州市 (inferred when absent).")
@click.option("--base", default=DEFAULT_BASE, show_default=True, help="Base IRI of instance IRIs.")
@click.option("--encoding", help="Force the encoding of text and web pages (e.g. gb18030) instead of detecting it.")
@click.option("--max-size", "max_mb", type=click.IntRange(1, 4096), default=5, show_default=True,
              help="Refuse a report whose text is larger than this many MB (memory grows ~150 MB per MB).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
              help="Reports built in parallel (default: the machine's cores); output is the same for any N.")
@click.option("--min-reports", type=click.IntRange(1, 10000), default=2, show_default=True,
              help="Corpus view: show entities that at least this many reports mention.")
@click.option("--format", "formats", multiple=True, metavar="FMT[,FMT...]",
              help="Also write each report as ttl, nt, nq, trig, jsonld or graphml (comma list or repeated; "
                   "Turtle is always written).")
def build(inputs: tuple[str, ...], out_dir: str, year: int | None, region: str | None, base: str,
          encoding: str | None, max_mb: int, jobs: int | None, min_reports: int, formats: tuple[str, ...]) -> None:
    """Build the graph of each INPUT report (file or folder; the bundled sample when none).

    INPUT may be plain text (UTF-8, UTF-16, GB18030/GBK, Big5), a web page, a Word .docx or a
    PDF; `-` reads standard input and writes DIR/stdin.ttl. When some of many inputs fail,
    the others are built, each failure is one line on stderr, and the exit code is 2.

    Several reports also give the merged corpus graph (corpus.ttl, corpus.nq, corpus.trig)
    and its overview (corpus.html). A report whose text and tool are unchanged since the
    last build into the same folder is not built again.
    """
    from kg.corpus import BuildOptions, Progress, build_corpus, update_overview

    if not base.startswith(("http://", "https://", "urn:")):
        raise OptionError(f"--base {base!r}: give an absolute http(s) IRI")
    _check_base(base)
    if encoding:
        _check_encoding(encoding)
    extra = _export_formats(formats)
    sources = _inputs(inputs)
    _check_stems(sources, Path(out_dir))
    _prepare_output(Path(out_dir))
    options = BuildOptions(Path(out_dir), year=year, region=region, base=base, encoding=encoding,
                           max_bytes=max_mb * 2**20)
    progress = Progress(len(sources))
    result = build_corpus(sources, options, jobs=jobs, progress=progress.step, overview=min_reports)
    progress.close()
    for o in result.outcomes:
        for warning in o.warnings:
            click.echo(f"kg: warning: {warning}", err=True)
        if o.error:
            if len(sources) == 1:
                raise InputError(o.error)
            click.echo(f"kg: error: {o.error}", err=True)
            continue
        note = ", unchanged" if o.skipped else ""
        click.echo(f"{o.ttl}  ({o.triples} triples, {o.entities} entities, {o.observations} observations{note})")
        if o.html:
            click.echo(f"{o.html}")
        for f in _export(o.ttl, extra, base):
            click.echo(f"{f}")
    if result.corpus_files:
        for f in result.corpus_files:
            click.echo(f"{f}  ({result.corpus_triples} triples)" if f.suffix == ".ttl" else f"{f}")
        click.echo(f"{update_overview(options.out_dir, result.corpus_files[0], min_reports, result.union)}")
    _keep(result)
    if result.failed:
        raise click.exceptions.Exit(2)  # each failure has had its own line above


def _check_encoding(encoding: str) -> None:
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise OptionError(f"--encoding {encoding}: unknown encoding (try utf-8, gb18030, big5, utf-16)") from None


def _check_stems(sources: list[Path], out: Path) -> None:
    """Refuse two inputs that would write the same output files (a.txt and a.pdf)."""
    seen: dict[str, Path] = {}
    for p in sources:
        stem = "stdin" if str(p) == STDIN else p.stem
        if stem in seen and seen[stem] != p:
            raise OptionError(f"{seen[stem]} and {p} would both write {out / stem}.ttl; build them into different folders")
        seen[stem] = p


def _prepare_output(out: Path) -> None:
    """Make the output folder, fail now if it cannot be written, and remove our stale temp files.

    A build killed mid-write leaves a `.NAME.XXXXXXXX.tmp` (kg.rdf.export.write_atomic), never a
    partial file under its final name; the next build into the folder removes those leftovers.
    """
    import re
    import tempfile

    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise OutputError(f"{out}: cannot write here: {exc.strerror or exc}") from None
    ours = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # tempfile.mkstemp(prefix=".NAME.", suffix=".tmp")
    for leftover in out.iterdir():
        if ours.match(leftover.name) and leftover.is_file():
            leftover.unlink(missing_ok=True)


@cli.command()
@click.argument("args", nargs=-1, type=click.Path(), metavar="[GRAPH]... [QUERY]")
@click.option("-q", "--query", "text", help="The SPARQL query (or give it as the last argument).")
@click.option("-f", "--file", "qfile", type=click.Path(dir_okay=False), help="Read the query from a .rq file.")
@click.option("-e", "--example", "example_name", metavar="NAME", help="Run a cookbook query by name (see --list-examples).")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (repeatable), e.g. --param name=衢州港.")
@click.option("--store", "store_dir", type=click.Path(file_okay=False),
              help="Query this store (made by kg load); used when no GRAPH is given.  [default: output/store]")
@click.option("--endpoint", metavar="URL", help="Query a SPARQL endpoint instead (SELECT and ASK), e.g. "
              "http://localhost:8890/sparql.")
@click.option("--user", help="With --endpoint: the user name, if the endpoint asks for one.")
@click.option("--password", envvar="KG_STORE_PASSWORD", help="With --endpoint: the password (or set KG_STORE_PASSWORD).")
@click.option("--list-examples", is_flag=True, help="List the cookbook queries and their parameters.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True,
              help="Output: an aligned table, or the SPARQL 1.1 results as CSV, TSV or JSON.")
def query(args: tuple[str, ...], text: str | None, qfile: str | None, example_name: str | None,
          params: tuple[str, ...], store_dir: str | None, endpoint: str | None, user: str | None,
          password: str | None, list_examples: bool, fmt: str) -> None:
    """Run a SPARQL query over GRAPH files or a store: kg query GRAPH.ttl 'SELECT …' | --file Q.rq | --example NAME."""
    from kg.rdf import query as q
    from kg.rdf.export import prefixes
    from kg.rdf.store import DEFAULT_STORE, open_store, query_endpoint

    if list_examples:
        click.echo(_list_examples())
        return
    paths = list(args)
    given = [o for o, v in (("--query", text), ("--file", qfile), ("--example", example_name)) if v is not None]
    if len(given) > 1:
        raise OptionError(f"give one query: {' and '.join(given)} were both given")
    declared: tuple[q.Param, ...] = ()
    name = "the query"
    if example_name is not None:
        ex = q.example(example_name)
        text, declared, name = ex.text, ex.params, f"example {ex.name!r}"
    elif qfile is not None:
        text = q.read_query_file(qfile)
        declared = q.parse_params(text)
    elif text is None:
        if not paths or _looks_like_graph(paths[-1]):
            raise OptionError("give a query: kg query GRAPH.ttl 'SELECT …', --file Q.rq or --example NAME")
        text = paths.pop()
    else:
        declared = q.parse_params(text)
    values = q.parse_assignments(params)
    sources = [o for o, v in (("GRAPH files", paths), ("--store", store_dir), ("--endpoint", endpoint)) if v]
    if len(sources) > 1:
        raise OptionError(f"give one of GRAPH files, --store or --endpoint, not {' and '.join(sources)}")
    sparql = q.bind_params(text, declared, values, name)
    if endpoint is not None:
        result = query_endpoint(endpoint, sparql, user=user, password=password)
    else:
        # the named graphs only for a query that reads them: the union alone loads and answers faster
        store = q.load_store([Path(p) for p in paths], named_graphs=q.names_graphs(sparql)) if paths else \
            open_store(Path(store_dir) if store_dir else DEFAULT_STORE, read_only=True)
        result = q.run_query(store, sparql)
    click.echo(q.format_result(result, fmt, prefixes(DEFAULT_BASE)))


def _check_base(base: str) -> None:
    """Refuse a base that would make IRIs some store rejects (spaces, quotes, <>, non-ASCII)."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(base + "entity/0")
    except ValueError as exc:
        raise OptionError(f"--base {base!r}: not a valid IRI ({exc})") from None
    if not base.isascii():  # a raw and a percent-encoded IRI are two IRIs in every store: pick the one form
        raise OptionError(f"--base {base!r}: use plain ASCII; percent-encode other characters")


def _export_formats(values: tuple[str, ...]) -> list[str]:
    """Return the export formats asked for besides Turtle (checked before anything is built)."""
    from kg.rdf.export import export_format

    names = [n.strip().lower() for v in values for n in v.split(",") if n.strip()]
    for n in names:
        export_format(n)
    return [n for n in dict.fromkeys(names) if n != "ttl"]


def _export(ttl: Path | None, formats: list[str], base: str) -> list[Path]:
    """Write a built report's graph in the other formats, next to its Turtle file."""
    if not formats or ttl is None:
        return []
    import pyoxigraph as ox

    from kg.api import triples_to_rdflib
    from kg.rdf.build import sort_triples
    from kg.rdf.export import write_exports
    from kg.views.network import to_networkx

    triples = sort_triples(ox.Triple(q.subject, q.predicate, q.object)
                           for q in ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE))
    return write_exports(ttl.with_suffix(""), triples, base, formats,
                         network=lambda: to_networkx(triples_to_rdflib(triples)))


def _looks_like_graph(arg: str) -> bool:
    """Tell a graph file given where the query should be (a forgotten query) from query text."""
    import pyoxigraph as ox

    suffix = Path(arg).suffix.lstrip(".")
    return "\n" not in arg and (Path(arg).is_file() or bool(suffix and ox.RdfFormat.from_extension(suffix)))


def _list_examples() -> str:
    from kg.rdf.query import examples

    lines = []
    for ex in examples():
        lines.append(f"{ex.name:<20} {ex.title}")
        for p in ex.params:
            need = "required" if p.required else "optional"
            lines.append(f"{'':<20}   --param {p.name}=… ({p.kind}, {need}) {p.help}".rstrip())
    return "\n".join(lines)


@cli.command()
@click.argument("graphs", nargs=-1, required=True, type=click.Path())
@click.option("--store", "store_dir", type=click.Path(file_okay=False), help="The store folder (made when missing).  [default: output/store]")
@click.option("--endpoint", metavar="URL",
              help="Load into an external store instead, by its SPARQL 1.1 Graph Store endpoint (HTTP PUT).")
@click.option("--graph", "graph_iri", metavar="IRI", help="With --endpoint: put every GRAPH into this one graph "
              "(default: each report into the graph named by its IRI).")
@click.option("--user", help="With --endpoint: the user name (HTTP Basic or Digest authentication).")
@click.option("--password", envvar="KG_STORE_PASSWORD", help="With --endpoint: the password (or set KG_STORE_PASSWORD).")
def load(graphs: tuple[str, ...], store_dir: str | None, endpoint: str | None, graph_iri: str | None,
         user: str | None, password: str | None) -> None:
    """Load GRAPH files into a store, each report in its named graph (loading it again replaces it)."""
    from kg.rdf.store import DEFAULT_STORE, load_endpoint, load_graphs, open_store, store_size

    paths = [Path(p) for p in graphs]
    if endpoint is None:
        for opt, value in (("--graph", graph_iri), ("--user", user)):
            if value is not None:
                raise OptionError(f"{opt} goes with --endpoint")
        folder = Path(store_dir) if store_dir else DEFAULT_STORE
        store = open_store(folder)
        for loaded in load_graphs(store, paths):
            click.echo(f"{loaded.source} -> <{loaded.graph}>  ({loaded.triples} triples)")
        graphs_n, triples, distinct = store_size(store)
        click.echo(f"{folder}: {graphs_n} graphs, {triples} triples ({distinct} distinct)")
        return
    if store_dir is not None:
        raise OptionError("give --store or --endpoint, not both")
    for loaded in load_endpoint(endpoint, paths, graph=graph_iri, user=user, password=password):
        click.echo(f"{loaded.source} -> <{loaded.graph}>  ({loaded.triples} triples, HTTP {loaded.status})")


@cli.command()
@click.option("--store", "store_dir", type=click.Path(file_okay=False), help="The store to serve.  [default: output/store]")
@click.option("--views", "views_dir", type=click.Path(file_okay=False),
              help="Folder of HTML views served at / (default: the store's parent folder).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but 127.0.0.1 / ::1 exposes the store to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="Port (0: any free port).")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=10.0, show_default=True,
              help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", type=click.IntRange(1, 10_000_000), default=10_000, show_default=True,
              help="Refuse results with more rows (answer 422) instead of truncating them silently.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Queries run at once, each in its own process.")
def serve(store_dir: str | None, views_dir: str | None, host: str, port: int, timeout: float, max_rows: int,
          workers: int) -> None:
    """Serve the store read-only as a SPARQL 1.1 endpoint at /sparql, and the HTML views at /."""
    from kg.rdf.store import DEFAULT_STORE
    from kg.serve import ServeOptions, serve_forever

    folder = Path(store_dir) if store_dir else DEFAULT_STORE
    views = Path(views_dir) if views_dir else folder.resolve().parent
    options = ServeOptions(folder, views, host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers)
    serve_forever(options, announce=lambda line: click.echo(line, err=True))


@cli.command()
@click.argument("graphs", nargs=-1, required=True, type=click.Path())
def validate(graphs: tuple[str, ...]) -> None:
    """Validate GRAPH files against the govkg SHACL shapes (exit 1 when they do not conform)."""
    from kg.errors import NonConformingGraph
    from kg.rdf.validate import validate_graph

    failed = 0
    for p in graphs:
        g = _parse_turtle(p)
        report = validate_graph(g)
        if report.conforms:
            click.echo(f"{p}: conforms ({len(g)} triples)")
        else:
            failed += 1
            click.echo(report.text, err=True)
            click.echo(f"{p}: does not conform ({report.violations} violations)")
    if failed:
        raise NonConformingGraph(f"{failed} of {len(graphs)} graphs do not conform")


@cli.command()
@click.argument("graphs", nargs=-1, required=True, type=click.Path())
@click.option("--top", type=click.IntRange(1, 1000), default=10, show_default=True, help="Rows per list.")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def stats(graphs: tuple[str, ...], top: int, as_json: bool) -> None:
    """Summarise GRAPH files: most connected entities per type, what reports share, components."""
    import json

    from kg.stats import format_stats, graph_stats

    figures = graph_stats([Path(g) for g in graphs], top=top)
    click.echo(json.dumps(figures, ensure_ascii=False, indent=1) if as_json else format_stats(figures))


@cli.command(name="eval")
@click.argument("graph", type=click.Path())
@click.option("--gold", "gold_path", required=True, type=click.Path(), help="Gold annotation (JSON).")
@click.option("--show-errors", is_flag=True, help="List every false positive, false negative and wrong attribute.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_(graph: str, gold_path: str, show_errors: bool, as_json: bool) -> None:
    """Score GRAPH against a gold annotation: precision, recall and F1 per part."""
    import json

    from kg.evaluate import evaluate, format_evaluation, load_gold
    from kg.rdf.ontology import ontology_text

    gold = load_gold(gold_path)
    g = _parse_turtle(graph)
    g.parse(data=ontology_text(), format="turtle")
    ev = evaluate(g, gold)
    if as_json:
        click.echo(json.dumps(ev.as_dict(), ensure_ascii=False))
    else:
        click.echo(format_evaluation(ev))
    if show_errors:
        click.echo("\n".join(ev.errors))


def _parse_turtle(path: str) -> rdflib.Graph:
    import rdflib

    g = rdflib.Graph()
    try:
        g.parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except Exception as exc:  # rdflib raises many parser types
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{path}: not valid Turtle: {first}") from None
    return g


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; print errors as one line and return the exit code."""
    if not (sys.argv[1:] if argv is None else argv):
        click.echo(cli.get_help(click.Context(cli, info_name="kg")))
        return 0
    try:
        # without standalone mode, click returns (not raises) the code of a raised Exit
        code = cli.main(args=argv, prog_name="kg", standalone_mode=False)
        if isinstance(code, int) and code:
            return code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("kg: aborted", err=True)
        return 130
    except click.ClickException as exc:
        click.echo(f"kg: error: {exc.format_message()}", err=True)
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except KeyboardInterrupt:
        click.echo("kg: interrupted", err=True)
        return 130
    except Exception as exc:  # a bug of ours: one line for users, the traceback with KG_DEBUG=1
        if os.environ.get("KG_DEBUG"):
            raise
        click.echo(f"kg: internal error: {type(exc).__name__}: {exc} (run with KG_DEBUG=1 for details)", err=True)
        return 3
    return 0


# Set by `entry`: the process ends with os._exit, so what a command kept need not be freed.
_EXITING_FAST = False
_KEPT: list[object] = []


def _keep(obj: object) -> None:
    """Keep a large object alive until a console run ends (the OS takes it back at once).

    Freeing a corpus build's merged store object by object takes ~0.6 s. Outside `entry`
    (tests, library use) nothing is kept.
    """
    if _EXITING_FAST:
        _KEPT.append(obj)


def entry() -> None:
    """Console-script entry point.

    Once the output is flushed the process ends with os._exit: every file a command writes
    is already complete (written to a temporary file, synced, renamed), and the OS reclaims
    the dictionaries and stores at once instead of the interpreter freeing them one object
    at a time (≈0.6 s after a corpus build).
    """
    global _EXITING_FAST
    _EXITING_FAST = True
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: let the interpreter's own exit report it
        sys.exit(code)
    os._exit(code)
