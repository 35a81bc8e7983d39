"""Run the command line: `python -m kg build report.txt`."""
from __future__ import annotations

from kg.cli import entry

if __name__ == "__main__":
    entry()
