"""Write graphs to files, atomically: a temp file in the same folder, then a rename.

A build that dies half-way leaves the previous file whole, never a truncated one.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import OutputError
from kg.rdf.vocab import PREFIXES


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to `path` so that readers see the old file or the new one, never a part."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path.parent}: cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def serialize_turtle(triples: Iterable[ox.Triple], base: str) -> bytes:
    """Return Turtle for sorted triples, with our prefixes (including the instance base)."""
    prefixes = dict(PREFIXES)
    prefixes["ent"] = base.rstrip("/") + "/entity/"
    prefixes["ind"] = base.rstrip("/") + "/indicator/"
    prefixes["obs"] = base.rstrip("/") + "/observation/"
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def write_turtle(path: Path, triples: list[ox.Triple], base: str) -> None:
    """Write a graph as Turtle, atomically."""
    write_atomic(path, serialize_turtle(triples, base))
