"""Tests for the package as shipped: data loads through importlib.resources, stages import forwards only."""
from __future__ import annotations

import ast
import fnmatch
import tomllib
from importlib import resources
from pathlib import Path

import pytest
import rdflib

PACKAGE = Path(__file__).parents[1] / "kg"
PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"


def _lexicon_names() -> list[str]:
    folder = resources.files("kg.text").joinpath("lexicons")
    return sorted(f.name for f in folder.iterdir() if f.is_file() and not f.name.startswith("."))


def _ontology_names() -> list[str]:
    folder = resources.files("kg").joinpath("ontology")
    return sorted(f.name for f in folder.iterdir() if f.name.endswith(".ttl"))


def test_lexicons_exist() -> None:
    """The package ships its lexicons."""
    assert {"indicators.tsv", "places.tsv", "entity_suffixes.tsv"} <= set(_lexicon_names())


@pytest.mark.parametrize("name", _lexicon_names())
def test_lexicon_loads(name: str) -> None:
    """Each lexicon reads as UTF-8 text through importlib.resources and holds entries."""
    text = resources.files("kg.text").joinpath("lexicons", name).read_text(encoding="utf-8")
    entries = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert entries, f"{name} is empty"
    assert "\ufeff" not in text
    if name.endswith(".tsv"):
        width = len(entries[0].split("\t"))
        assert width >= 2, f"{name}: the header row is not tab-separated"


def test_lexicon_accessors_load() -> None:
    """Every public lexicon accessor parses its file."""
    from kg.text import lexicon

    assert lexicon.indicators()["规上工业增加值"].name == "规模以上工业增加值"
    assert lexicon.place_names()["衢州"].name == "衢州市"
    assert lexicon.entity_suffixes()
    assert lexicon.boundary_words()
    assert lexicon.industry_names()
    assert "长三角" in lexicon.region_names()
    assert lexicon.designation_verbs()
    assert lexicon.designation_heads()
    assert lexicon.stage_verbs()
    assert lexicon.abbreviations()["综保区"] == "综合保税区"


@pytest.mark.parametrize("name", _ontology_names())
def test_ontology_file_parses(name: str) -> None:
    """Each ontology / shapes file parses as Turtle through importlib.resources."""
    text = resources.files("kg").joinpath("ontology", name).read_text(encoding="utf-8")
    g = rdflib.Graph().parse(data=text, format="turtle")
    assert len(g) > 0


def test_ontology_and_shapes_present() -> None:
    """Both the ontology and the shapes ship."""
    assert {"govkg.ttl", "shapes.ttl"} <= set(_ontology_names())


def test_sample_report_ships() -> None:
    """The bundled sample report reads through importlib.resources."""
    text = resources.files("kg").joinpath("data", "quzhou_2026_highlights.txt").read_text(encoding="utf-8")
    assert "政府工作报告" in text


def test_data_files_are_declared_as_package_data() -> None:
    """Every non-Python file under kg/ matches a package-data pattern, so a wheel ships it."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["kg"]
    missing = []
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(PACKAGE).as_posix()
        if not any(fnmatch.fnmatch(rel, p) and rel.count("/") == p.count("/") for p in patterns):
            missing.append(rel)
    assert missing == []


# --- the direction of the flow ----------------------------------------------------------------

# Stage packages in the order data flows through them; top-level modules (kg.api, kg.pipeline,
# kg.cli, and any other edge such as an evaluator) come last and may import every stage.
STAGES = ["kg.text", "kg.extract", "kg.rdf", "kg.views"]
EDGES = len(STAGES)
ANYWHERE = ("kg.model", "kg.errors")


def _stage(module: str) -> int | None:
    """Return the stage number of a kg module, or None for modules every stage may use."""
    if module in ANYWHERE:
        return None
    for rank, package in enumerate(STAGES):
        if module == package or module.startswith(package + "."):
            return rank
    if module == "kg" or module.count(".") == 1:
        return EDGES
    raise AssertionError(f"{module} belongs to no stage; add its package to STAGES")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path, module: str) -> set[str]:
    """Return the kg modules a file imports, anywhere in it (lazy imports count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.add(name)
            # `from kg.text import lexicon` imports the module kg.text.lexicon
            found |= {f"{name}.{a.name}" for a in node.names if _is_module(f"{name}.{a.name}")}
    return {m for m in found if m == "kg" or m.startswith("kg.")}


def _later_stages(module: str, imported: set[str]) -> list[str]:
    """Return the imported modules that belong to a later stage than `module`."""
    own = _stage(module)
    if own is None:
        return []
    return sorted(m for m in imported if (s := _stage(m)) is not None and s > own)


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[_module_name(p) for p in MODULES])
def test_no_module_imports_a_later_stage(path: Path) -> None:
    """read → normalise → extract → rdf → views → api/pipeline/cli: no stage imports a later one."""
    module = _module_name(path)
    later = _later_stages(module, _imports(path, module))
    assert later == [], f"{module} imports later stages: {later}"


@pytest.mark.parametrize(("module", "imported", "later"), [
    ("kg.text.normalize", {"kg.extract.quantities"}, ["kg.extract.quantities"]),
    ("kg.extract.mentions", {"kg.text.segment", "kg.model"}, []),
    ("kg.rdf.build", {"kg.views.html", "kg.extract.resolve"}, ["kg.views.html"]),
    ("kg.views.html", {"kg.api"}, ["kg.api"]),
    ("kg.cli", {"kg.api", "kg.rdf.query", "kg.errors"}, []),
])
def test_flow_check_catches_backward_imports(module: str, imported: set[str], later: list[str]) -> None:
    """The flow check itself tells forward imports from backward ones."""
    assert _later_stages(module, imported) == later


def test_shared_modules_import_no_stage() -> None:
    """kg.model and kg.errors depend on no stage, so every stage may use them."""
    for name in ANYWHERE:
        path = PACKAGE / f"{name.split('.')[-1]}.py"
        staged = sorted(m for m in _imports(path, name) if _stage(m) is not None)
        assert staged == [], f"{name} imports {staged}"
