"""Corpus builds: merging, one IRI per thing across reports, target assessment, incremental rebuilds."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.corpus import BuildOptions, build_corpus, update_overview
from kg.rdf.assess import target_met

DATA = Path(__file__).parent / "data" / "corpus"
GKG = "https://w3id.org/govkg/ontology#"

# Two small reports of one city, a year apart: the first sets 2024 targets, the second
# states the 2024 results. Edge cases: a range, a lower bound, an upper bound on a
# lower-is-better indicator, a decline, a 左右 value, and a target with no result.
REPORT_2024 = """政府工作报告
一、2023年工作回顾
全市生产总值增长6.1%。
二、2024年主要目标
今年经济社会发展的主要预期目标是：全市生产总值增长5.5—6%；固定资产投资增长8%以上；
城镇调查失业率5%以内；单位地区生产总值能耗下降2.5%左右；社会消费品零售总额增长6%左右；
一般公共预算收入增长5%。
"""
REPORT_2025 = """政府工作报告
一、2024年工作回顾
全市生产总值增长5.2%，固定资产投资增长9.1%，城镇调查失业率4.8%，单位地区生产总值能耗下降3.1%，
社会消费品零售总额增长5.6%。
二、2025年主要目标
全市生产总值增长5%左右。
"""


@pytest.fixture(scope="module")
def city_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ox.Store]:
    src = tmp_path_factory.mktemp("src")
    (src / "湖州_2024.txt").write_text(REPORT_2024, encoding="utf-8")
    (src / "湖州_2025.txt").write_text(REPORT_2025, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    sources = sorted(src.glob("*.txt"))
    result = build_corpus(sources, BuildOptions(out, region="湖州市", html=False), jobs=1)
    assert not result.failed, result.failed
    store = ox.Store()
    store.bulk_load(path=str(out / "corpus.nq"), format=ox.RdfFormat.N_QUADS)
    return out, store


def _assessments(store: ox.Store) -> dict[tuple[str, str], bool]:
    rows = store.query(f"""
        PREFIX gkg: <{GKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?ind ?unit ?met WHERE {{ ?r gkg:assesses ?t . ?t gkg:met ?met ; gkg:unit ?unit ;
                                       gkg:indicator/rdfs:label ?ind }}""", use_default_graph_as_union=True)
    return {(r["ind"].value, r["unit"].value): r["met"].value == "true" for r in rows}


def test_targets_are_judged_against_next_years_results(city_corpus: tuple[Path, ox.Store]) -> None:
    """Ranges, bounds, declines and 左右 are judged; a target without a result is not."""
    got = _assessments(city_corpus[1])
    assert got[("地区生产总值", "%")] is False  # 5.2 < 5.5, the range's lower end
    assert got[("固定资产投资", "%")] is True  # 9.1 ≥ 8 (以上)
    assert got[("城镇调查失业率", "%")] is True  # 4.8 ≤ 5 (以内)
    assert got[("单位国内生产总值能耗", "%")] is True  # −3.1 ≤ −2.5 + 0.5: fell more than planned
    assert got[("社会消费品零售总额", "%")] is True  # 5.6 ≥ 6 − 0.5 (左右)
    assert ("一般公共预算收入", "%") not in got  # no 2024 result stated


def test_each_report_is_its_own_named_graph(city_corpus: tuple[Path, ox.Store]) -> None:
    """corpus.nq holds one named graph per report, named by the report's IRI."""
    reports = {r["r"].value for r in city_corpus[1].query(
        f"SELECT ?r WHERE {{ GRAPH ?r {{ ?r a <{GKG}Report> }} }}")}
    assert len(reports) == 2


def test_same_thing_same_iri_across_reports(city_corpus: tuple[Path, ox.Store]) -> None:
    """The indicator and the region are one node each, mentioned in both reports."""
    rows = list(city_corpus[1].query(f"""
        PREFIX gkg: <{GKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?x (COUNT(DISTINCT ?r) AS ?n) WHERE {{ ?x rdfs:label "地区生产总值"@zh ; gkg:mentionedIn ?r }}
        GROUP BY ?x""", use_default_graph_as_union=True))
    assert len(rows) == 1 and int(rows[0]["n"].value) == 2


def test_places_sit_in_the_hierarchy(city_corpus: tuple[Path, ox.Store]) -> None:
    """The city is located in its province, from the gazetteer."""
    assert city_corpus[1].query(f"""
        PREFIX gkg: <{GKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        ASK {{ ?c rdfs:label "湖州市"@zh ; gkg:locatedIn ?p . ?p rdfs:label "浙江省"@zh }}""",
        use_default_graph_as_union=True)


def test_national_reports_assess_gdp() -> None:
    """china_2024's 国内生产总值 target 5%左右 is met by the 5% that china_2025 reports."""
    assert target_met(Decimal("5"), "%", "国内生产总值", value=Decimal("5"), qualifier="左右")


def test_national_corpus(tmp_path: Path) -> None:
    """The two national reports link the 2024 GDP target to its result, met."""
    build_corpus([DATA / "china_2024.txt", DATA / "china_2025.txt"], BuildOptions(tmp_path, html=False), jobs=2)
    store = ox.Store()
    store.bulk_load(path=str(tmp_path / "corpus.nq"), format=ox.RdfFormat.N_QUADS)
    assert _assessments(store).get(("国内生产总值", "%")) is True


def test_jobs_do_not_change_bytes(tmp_path: Path) -> None:
    """--jobs 2 writes the same bytes as --jobs 1."""
    sources = [DATA / "quzhou_2026_highlights.txt", DATA / "china_2024.txt"]
    one, two = tmp_path / "one", tmp_path / "two"
    build_corpus(sources, BuildOptions(one, html=False), jobs=1)
    build_corpus(sources, BuildOptions(two, html=False), jobs=2)
    for name in ("quzhou_2026_highlights.ttl", "china_2024.ttl", "corpus.ttl", "corpus.nq", "corpus.trig"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


@pytest.mark.parametrize("jobs", [1, 2])
def test_rebuilding_some_reports_merges_the_same_bytes(tmp_path: Path, jobs: int) -> None:
    """Unchanged reports around a rebuilt one merge, in order, into the bytes of a fresh build; no temp file is left."""
    sources = [DATA / "china_2024.txt", DATA / "quzhou_2026_highlights.txt", DATA / "china_2025.txt"]
    fresh, again = tmp_path / "fresh", tmp_path / "again"
    build_corpus(sources, BuildOptions(fresh, html=False), jobs=jobs)
    build_corpus(sources, BuildOptions(again, html=False), jobs=jobs)
    (again / "quzhou_2026_highlights.ttl").unlink()
    (again / "corpus.nq").unlink()
    result = build_corpus(sources, BuildOptions(again, html=False), jobs=jobs)
    assert [o.skipped for o in result.outcomes] == [True, False, True]
    for name in ("corpus.ttl", "corpus.nq", "corpus.trig"):
        assert (again / name).read_bytes() == (fresh / name).read_bytes(), name
    assert [p.name for p in again.iterdir() if p.name.endswith(".tmp")] == []


def _two_reports(tmp_path: Path, text: str) -> tuple[Path, Path, BuildOptions]:
    """Two reports a.txt and b.txt of the same text in tmp_path/src; the output folder; the options."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a.txt", "b.txt"):
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    return src, out, BuildOptions(out, year=2026, region="衢州市", html=False)


def test_unchanged_reports_are_not_rebuilt(tmp_path: Path) -> None:
    """A second build skips unchanged inputs; a changed input is rebuilt."""
    src, out, options = _two_reports(tmp_path, "2026年重点工作\n全市生产总值增长5.5%。\n")
    first = build_corpus(sorted(src.glob("*.txt")), options, jobs=1)
    assert [o.skipped for o in first.outcomes] == [False, False]
    before = (out / "a.ttl").stat().st_mtime_ns
    second = build_corpus(sorted(src.glob("*.txt")), options, jobs=1)
    assert [o.skipped for o in second.outcomes] == [True, True]
    assert (out / "a.ttl").stat().st_mtime_ns == before
    (src / "b.txt").write_text("2026年重点工作\n全市生产总值增长6%。\n", encoding="utf-8")
    third = build_corpus(sorted(src.glob("*.txt")), options, jobs=1)
    assert [o.skipped for o in third.outcomes] == [True, False]


def test_failures_are_listed_and_the_rest_built(tmp_path: Path) -> None:
    """A bad input is reported; the good ones are still built."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text("2026年重点工作\n全市生产总值增长5.5%。\n", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    result = build_corpus(sorted(src.glob("*.txt")), BuildOptions(tmp_path / "out", year=2026, region="衢州市", html=False),
                          jobs=1)
    assert [o.source.name for o in result.failed] == ["empty.txt"]
    assert (tmp_path / "out" / "good.ttl").exists()


def test_overview_is_rewritten_only_when_it_would_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged rerun leaves corpus.html alone; a changed report or --min-reports rewrites it."""
    import kg.corpus

    written: list[int] = []
    real = kg.corpus.write_overview
    monkeypatch.setattr(kg.corpus, "write_overview",
                        lambda ttl, path, n: written.append(n) or real(ttl, path, n))
    src, out, options = _two_reports(tmp_path, "2026年重点工作\n杭衢高铁建成通车，全市生产总值增长5.5%。\n")

    def build(min_reports: int = 2) -> None:
        result = build_corpus(sorted(src.glob("*.txt")), options, jobs=1)
        assert update_overview(out, result.corpus_files[0], min_reports).is_file()

    build()
    build()
    assert written == [2], "nothing changed: the overview is not rewritten"
    build(min_reports=1)
    assert written == [2, 1]
    (src / "b.txt").write_text("2026年重点工作\n杭衢高铁建成通车，全市生产总值增长6%。\n", encoding="utf-8")
    build(min_reports=1)
    assert written == [2, 1, 1]
    (out / "corpus.html").unlink()
    build(min_reports=1)
    assert written == [2, 1, 1, 1], "a deleted overview is written again"


def test_a_build_writes_its_overview_with_the_corpus_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """build_corpus(overview=N) writes corpus.html as update_overview would; that then has nothing to do."""
    import kg.corpus

    src, out, options = _two_reports(tmp_path, "2026年重点工作\n杭衢高铁建成通车，全市生产总值增长5.5%。\n")
    result = build_corpus(sorted(src.glob("*.txt")), options, jobs=1, overview=1)
    page = (out / "corpus.html").read_bytes()
    written: list[int] = []
    monkeypatch.setattr(kg.corpus, "write_overview", lambda *args: written.append(1))
    assert update_overview(out, result.corpus_files[0], 1) == out / "corpus.html"
    assert written == [], "the build's overview is current"
    monkeypatch.undo()
    (out / "corpus.html").unlink()
    update_overview(out, result.corpus_files[0], 1)
    assert (out / "corpus.html").read_bytes() == page, "the same page either way"


def test_the_overview_shows_shared_entities_their_links_and_the_reports(tmp_path: Path) -> None:
    """Entities of at least N reports, links between them, types, stages, the reports and their regions; no evidence."""
    from kg.corpus import _overview_ntriples

    e = "http://e.org/"
    turtle = f"""@prefix gkg: <{GKG}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix e: <{e}> .
    e:r1 a gkg:Report ; gkg:region e:city ; gkg:year 2024 ; gkg:sourceFile "a.txt" .
    e:r2 a gkg:Report ; gkg:region e:city ; gkg:year 2025 ; gkg:sourceFile "b.txt" .
    e:city a gkg:City ; rdfs:label "湖州市"@zh ; gkg:adcode "330500" ; gkg:locatedIn e:province .
    e:a a gkg:Industry ; rdfs:label "新材料"@zh ; gkg:mentionedIn e:r1, e:r2 ; gkg:evidence e:s1 ; gkg:partOf e:b .
    e:b a gkg:Industry ; rdfs:label "化工"@zh ; gkg:mentionedIn e:r1 .
    e:c a gkg:Project ; rdfs:label "一号工程"@zh ; gkg:mentionedIn e:r1, e:r2 ; gkg:partOf e:a ; gkg:stage gkg:Completed .
    e:s1 a gkg:Sentence ; gkg:text "新材料。"@zh .
    """
    store = ox.Store()
    store.load(turtle.encode(), format=ox.RdfFormat.TURTLE)
    text, kept, reports = _overview_ntriples(store, 2)
    assert (kept, reports) == (2, 2)
    lines = text.splitlines()
    assert lines == sorted(set(lines)) and text.endswith(" .\n")
    said = {tuple(line[:-2].split(" ", 2)) for line in lines}
    assert (f"<{e}c>", f"<{GKG}partOf>", f"<{e}a>") in said, "a link between two shown entities"
    assert (f"<{e}c>", f"<{GKG}stage>", f"<{GKG}Completed>") in said, "a stage, though no entity"
    assert (f"<{e}a>", f"<{GKG}mentionedIn>", f"<{e}r2>") in said
    assert (f"<{e}r1>", f"<{GKG}region>", f"<{e}city>") in said
    assert (f"<{e}city>", "<http://www.w3.org/2000/01/rdf-schema#label>", '"湖州市"@zh') in said, "the region's name"
    subjects = {s for s, _, _ in said}
    assert f"<{e}b>" not in subjects and f"<{e}s1>" not in subjects, "one report's entity, a sentence"
    assert not {(s, p, o) for s, p, o in said if o in (f"<{e}b>", f"<{e}s1>", f"<{e}province>")}
    assert not {p for _, p, _ in said} & {f"<{GKG}evidence>", f"<{GKG}sourceFile>", f"<{GKG}locatedIn>"}


def _quads_by_graph(path: Path) -> tuple[set[ox.Triple], set[ox.Triple]]:
    """The triples of corpus.nq's reports' graphs, and those of what govkg adds (gazetteer, assessments)."""
    reports, added = set(), set()
    for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        (added if "/graph/" in q.graph_name.value else reports).add(q.triple)  # type: ignore[union-attr]
    return reports, added


@pytest.mark.parametrize("jobs", [1, 2])
def test_corpus_turtle_is_the_union_of_the_reports_each_triple_once(tmp_path: Path, jobs: int) -> None:
    """corpus.ttl holds every triple of every report's graph and what govkg adds, each stated once, and no more.

    A report given twice (the same text in two files) is one report: its sentences are not stated twice.
    """
    sources = [DATA / "china_2024.txt", DATA / "quzhou_2026_highlights.txt", DATA / "china_2025.txt"]
    twice = tmp_path / "again.txt"
    twice.write_bytes(sources[1].read_bytes())
    result = build_corpus([*sources, twice], BuildOptions(tmp_path / "out", html=False), jobs=jobs)
    stated = [q.triple for q in ox.parse(path=str(tmp_path / "out" / "corpus.ttl"), format=ox.RdfFormat.TURTLE)]
    reports, added = _quads_by_graph(tmp_path / "out" / "corpus.nq")
    assert len(stated) == len(set(stated)) == result.corpus_triples
    assert set(stated) == reports | added
    assert any(t.object == ox.NamedNode(GKG + "Sentence") for t in stated), "the reports' own subjects"


def test_a_corpus_merged_from_files_read_back_is_the_same(tmp_path: Path) -> None:
    """Merging reports read back from their Turtle (their build unchanged, the corpus files gone) gives the same files."""
    sources = [DATA / "china_2024.txt", DATA / "quzhou_2026_highlights.txt"]
    out = tmp_path / "out"
    build_corpus(sources, BuildOptions(out, html=False), jobs=1)
    first = {n: (out / n).read_bytes() for n in ("corpus.ttl", "corpus.nq", "corpus.trig")}
    for n in first:
        (out / n).unlink()
    result = build_corpus(sources, BuildOptions(out, html=False), jobs=1)
    assert all(o.skipped for o in result.outcomes)
    assert {n: (out / n).read_bytes() for n in first} == first


def test_a_reports_turtle_is_one_serialisation_split_where_its_own_subjects_start() -> None:
    """Two pieces joined are the bytes of one; own subjects that do not end the document are not split off."""
    from kg.corpus import report_turtle
    from kg.rdf.export import serialize_turtle

    base, report = "https://example.org/kg/", "https://example.org/kg/report/abc"
    lines = [f'<{base}entity/e> <{GKG}mentionedIn> <{report}> .', f'<{report}> <{GKG}year> "2024" .',
             f'<{report}/sentence/0> <{GKG}text> "说\\n好"@zh .', f'<{base}statement/s> <{GKG}evidence> <{report}/sentence/0> .']
    ntriples = "".join(f"{line}\n" for line in lines).encode()
    whole = serialize_turtle(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES), base)
    turtle, parts = report_turtle(ntriples, report, base)
    assert turtle == whole
    assert ntriples[:parts.cut] == "".join(f"{line}\n" for line in lines[:2]).encode() and parts.own_triples == 2
    assert whole.endswith(parts.own_turtle) and b"@prefix" not in parts.own_turtle
    mixed = "".join(f"{line}\n" for line in [*lines, f'<{base}zzz> <{GKG}year> "1" .']).encode()
    turtle, parts = report_turtle(mixed, report, base)
    assert turtle == serialize_turtle(ox.parse(mixed, format=ox.RdfFormat.N_TRIPLES), base)
    assert parts.cut == len(mixed) and parts.own_turtle == b"" and parts.own_triples == 0
