"""The exception hierarchy: every error a user can cause, with the exit code the CLI returns.

Exit codes follow the house rule: 0 ok, 1 the graph does not conform, 2 could not run.
"""
from __future__ import annotations


class KgError(Exception):
    """Base of every error govkg raises on purpose; the CLI prints it as one line."""

    exit_code = 2


class InputError(KgError):
    """The input cannot be read as a report: missing, empty, binary or undecodable."""


class OptionError(KgError):
    """An option value makes no sense (a year of 3 digits, an unknown format)."""


class OutputError(KgError):
    """An output file cannot be written (folder not writable, disk full)."""


class QueryError(KgError):
    """A SPARQL query does not parse or cannot run."""


class StoreError(KgError):
    """A triple store or SPARQL endpoint cannot be opened, reached, or refuses what we send."""


class NonConformingGraph(KgError):
    """SHACL validation found violations."""

    exit_code = 1
