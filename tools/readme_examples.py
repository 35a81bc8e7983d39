"""Rewrite README.md's example-query block with the real output of the bundled sample.

Run after extraction changes: `python tools/readme_examples.py` (builds the sample into a
temporary folder, runs each cookbook query named below, and replaces the text between the
<!-- examples --> markers).
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    ("targets", "Every target of the year, with its numbers"),
    ("industry_output", "Industries and the values reported about them"),
    ("projects", "Projects by stage, with the sentence that says so"),
]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["kg", "build", "-o", tmp], check=True, capture_output=True)
        ttl = Path(tmp) / "quzhou_2026_highlights.ttl"
        parts = []
        for name, title in QUERIES:
            q = (ROOT / "kg" / "queries" / f"{name}.rq").read_text(encoding="utf-8")
            out = subprocess.run(["kg", "query", str(ttl), "--file", str(ROOT / "kg" / "queries" / f"{name}.rq")],
                                 check=True, capture_output=True, text=True).stdout.rstrip()
            parts.append(f"**{title}** (`kg/queries/{name}.rq`):\n\n```sparql\n{q.strip()}\n```\n\n```text\n{out}\n```\n")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = "<!-- examples -->\n" + "\n".join(parts) + "<!-- /examples -->"
    new = re.sub(r"<!-- examples -->.*?<!-- /examples -->", lambda _: block, text, flags=re.S)
    readme.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
