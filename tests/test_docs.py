"""Documentation checks: every command has help, and the README documents every command."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from kg.cli import cli

README = Path(__file__).parents[1] / "README.md"
COMMANDS = sorted(cli.commands)


def test_there_are_commands() -> None:
    """The group has the commands the spec names."""
    assert {"build", "query", "validate"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name: str) -> None:
    """Each command has a docstring: its --help text."""
    assert (cli.commands[name].help or "").strip(), f"kg {name} has no help text"


# options whose missing help is a known gap
_UNDOCUMENTED: dict[tuple[str, str], str] = {}
OPTIONS = [
    pytest.param(name, p.opts[-1], id=f"{name} {p.opts[-1]}",
                 marks=[pytest.mark.xfail(strict=True, reason=_UNDOCUMENTED[(name, p.opts[-1])])]
                 if (name, p.opts[-1]) in _UNDOCUMENTED else [])
    for name in COMMANDS for p in cli.commands[name].params if isinstance(p, click.Option)
]


@pytest.mark.parametrize(("name", "opt"), OPTIONS)
def test_option_has_help(name: str, opt: str) -> None:
    """Each option of each command says what it does in --help."""
    (param,) = [p for p in cli.commands[name].params if isinstance(p, click.Option) and p.opts[-1] == opt]
    assert (param.help or "").strip(), f"kg {name} {opt} has no help text"


@pytest.fixture(scope="module")
def readme() -> str:
    if not README.is_file():
        pytest.skip("no README.md")
    return README.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_documents_command(readme: str, name: str) -> None:
    """README.md mentions `kg <command>` for every command."""
    assert re.search(rf"`kg {re.escape(name)}\b", readme), f"README.md does not document `kg {name}`"
