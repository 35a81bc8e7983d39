"""Run SPARQL over graph files with pyoxigraph's engine (20–30× faster than rdflib's)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, QueryError

FORMATS = ("table", "csv", "tsv", "json")


def load_store(paths: Sequence[Path]) -> ox.Store:
    """Load Turtle (or any format named by extension) files into an in-memory store."""
    store = ox.Store()
    for p in paths:
        fmt = ox.RdfFormat.from_extension(Path(p).suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        try:
            store.bulk_load(path=str(p), format=fmt)
        except FileNotFoundError:
            raise InputError(f"{p}: no such file") from None
        except (SyntaxError, ValueError) as exc:
            raise InputError(f"{p}: not a readable RDF file: {str(exc).splitlines()[0]}") from None
        except OSError as exc:
            raise InputError(f"{p}: cannot read: {exc.strerror}") from None
    return store


def _term(t: object) -> str:
    if t is None:
        return ""
    if isinstance(t, (ox.NamedNode, ox.BlankNode)):
        return t.value if isinstance(t, ox.NamedNode) else f"_:{t.value}"
    if isinstance(t, ox.Literal):
        return t.value
    return str(t)


def run_query(store: ox.Store, sparql: str) -> tuple[list[str], list[list[str]]] | bool:
    """Run a SELECT (returns header and rows) or ASK (returns a bool) query."""
    try:
        result = store.query(sparql)
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {str(exc).splitlines()[0]}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        header = [v.value for v in result.variables]
        rows = [[_term(sol[v]) for v in header] for sol in result]
        return header, rows
    raise QueryError("CONSTRUCT and DESCRIBE results are not supported by kg query; use SELECT or ASK")


def format_result(result: tuple[list[str], list[list[str]]] | bool, fmt: str = "table") -> str:
    """Format a query result as an aligned table, CSV, TSV or JSON."""
    if isinstance(result, bool):
        return json.dumps({"boolean": result}) if fmt == "json" else str(result).lower()
    header, rows = result
    if fmt == "json":
        return json.dumps([dict(zip(header, r)) for r in rows], ensure_ascii=False, indent=1)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
        return buf.getvalue().rstrip("\n")
    return _table(header, rows)


def _width(s: str) -> int:
    import unicodedata

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
