"""Rewrite README.md's example-query block with the real output of the bundled sample.

Run after extraction or cookbook changes: `python tools/readme_examples.py` (builds the sample
into a temporary folder, runs every cookbook query of kg/queries/ with `kg query --example`,
and replaces the text between the <!-- examples --> markers). Long answers show their first
rows; the row count is always the real one.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# (name, title, parameters): the order README shows them in; queries not named here follow
QUERIES = [
    ("targets", "Every target of a year, with its numbers", ["year=2026"]),
    ("results_vs_targets", "Results against targets per indicator", []),
    ("industry_output", "Industries and the values reported about them", []),
    ("projects", "Projects by stage, with the sentence that says so", []),
    ("institutions", "Institutions and their designations", []),
    ("entity", "Everything known about one entity", ["name=衢州港"]),
    ("facts", "Every fact about one entity, with its sentence and report", ["name=杭衢高铁"]),
    ("evidence", "The evidence sentence and report of one fact", ["fact={fact}"]),
    ("target_assessment", "Targets against results across years (needs a corpus of consecutive years)", []),
]
MAX_ROWS = 12


def _clip(out: str) -> str:
    """Keep the header and the first MAX_ROWS rows of a table, and its row count."""
    lines = out.splitlines()
    if len(lines) <= MAX_ROWS + 3:
        return out
    return "\n".join([*lines[: MAX_ROWS + 2], "…", lines[-1]])


def main() -> int:
    names = sorted(p.stem for p in (ROOT / "kg" / "queries").glob("*.rq"))
    queries = QUERIES + [(n, n.replace("_", " ").capitalize(), []) for n in names if n not in {q[0] for q in QUERIES}]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["kg", "build", "-o", tmp], check=True, capture_output=True)
        ttl = Path(tmp) / "quzhou_2026_highlights.ttl"
        parts = []
        first_fact = subprocess.run(["kg", "query", str(ttl), "--example", "facts", "--param", "name=杭衢高铁",
                                     "--format", "csv"], check=True, capture_output=True, text=True).stdout
        fact = first_fact.splitlines()[1].split(",")[0]
        for name, title, params in queries:
            q = (ROOT / "kg" / "queries" / f"{name}.rq").read_text(encoding="utf-8")
            args = [a for p in params for a in ("--param", p.format(fact=fact))]
            out = subprocess.run(["kg", "query", str(ttl), "--example", name, *args],
                                 check=True, capture_output=True, text=True).stdout.rstrip()
            command = " ".join(["kg query output/quzhou_2026_highlights.ttl --example", name, *args])
            parts.append(f"**{title}** (`kg/queries/{name}.rq`):\n\n```sparql\n{q.strip()}\n```\n\n"
                         f"```text\n$ {command}\n{_clip(out)}\n```\n")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = "<!-- examples -->\n" + "\n".join(parts) + "<!-- /examples -->"
    new = re.sub(r"<!-- examples -->.*?<!-- /examples -->", lambda _: block, text, flags=re.S)
    readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
