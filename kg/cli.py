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

from kg.errors import InputError, KgError, OptionError
from kg.rdf.vocab import DEFAULT_BASE

if TYPE_CHECKING:
    import rdflib

REPORT_SUFFIXES = (".txt",)


def _sample() -> Path:
    return Path(str(resources.files("kg").joinpath("data", "quzhou_2026_highlights.txt")))


def _inputs(paths: tuple[str, ...]) -> list[Path]:
    if not paths:
        return [_sample()]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.suffix.lower() in REPORT_SUFFIXES and f.is_file())
            if not found:
                raise InputError(f"{p}: holds no report files ({', '.join(REPORT_SUFFIXES)})")
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
@click.option("--encoding", help="Force the text encoding (e.g. gb18030) instead of detecting it.")
def build(inputs: tuple[str, ...], out_dir: str, year: int | None, region: str | None, base: str,
          encoding: str | None) -> None:
    """Build the graph of each INPUT report (file or folder; the bundled sample when none)."""
    from kg.api import build_report
    from kg.rdf.export import write_turtle
    from kg.views.html import write_html
    from kg.views.network import to_networkx
    from kg.api import triples_to_rdflib

    if not base.startswith(("http://", "https://", "urn:")):
        raise OptionError(f"--base {base!r}: give an absolute http(s) IRI")
    out = Path(out_dir)
    for path in _inputs(inputs):
        built = build_report(path, year=year, region=region, base=base, encoding=encoding)
        ttl = out / f"{path.stem}.ttl"
        html = out / f"{path.stem}.html"
        write_turtle(ttl, built.triples, base)
        write_html(html, to_networkx(triples_to_rdflib(built.triples)), built.extraction.info.title)
        x = built.extraction
        click.echo(f"{ttl}  ({len(built.triples)} triples, {len(x.entities)} entities, "
                   f"{len(x.observations)} observations)")
        click.echo(f"{html}")


@cli.command()
@click.argument("graphs", nargs=-1, required=True, type=click.Path())
@click.option("-q", "--query", "text", help="The SPARQL query (or give it as the last argument).")
@click.option("-f", "--file", "qfile", type=click.Path(dir_okay=False), help="Read the query from a .rq file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True,
              help="Output: an aligned table, or the SPARQL results as CSV, TSV or JSON.")
def query(graphs: tuple[str, ...], text: str | None, qfile: str | None, fmt: str) -> None:
    """Run a SPARQL query over GRAPH files: kg query GRAPH.ttl 'SELECT …' | --file Q.rq."""
    from kg.rdf.query import format_result, load_store, run_query

    paths = list(graphs)
    if text is None and qfile is None:
        if len(paths) < 2:
            raise OptionError("give a query: kg query GRAPH.ttl 'SELECT …' or --file Q.rq")
        text = paths.pop()
    if qfile is not None:
        try:
            text = Path(qfile).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{qfile}: cannot read: {exc.strerror}") from None
    store = load_store([Path(p) for p in paths])
    click.echo(format_result(run_query(store, text or ""), fmt))


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
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
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


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
