"""Sanity checks for the packaged lexicons (places.tsv, indicators.tsv)."""

from __future__ import annotations

from pathlib import Path

import pytest

LEXICONS = Path(__file__).parents[1] / "kg/text/lexicons"


def _read_tsv(name: str) -> tuple[list[str], list[list[str]]]:
    lines = (LEXICONS / name).read_text(encoding="utf-8").splitlines()
    assert lines and lines[0].startswith("#"), f"{name}: missing header comment"
    body = [ln for ln in lines if ln and not ln.startswith("#")]
    header = body[0].split("\t")
    rows = [ln.split("\t") for ln in body[1:]]
    for r in rows:
        assert len(r) == len(header), f"{name}: bad row {r!r}"
    return header, rows


@pytest.fixture(scope="module")
def places() -> dict[str, dict[str, str]]:
    header, rows = _read_tsv("places.tsv")
    assert header == ["adcode", "name", "short", "level", "parent"]
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        rec = dict(zip(header, r))
        assert rec["adcode"] not in out, f"duplicate adcode {rec['adcode']}"
        out[rec["adcode"]] = rec
    return out


def _by_name(places: dict[str, dict[str, str]], name: str) -> dict[str, str]:
    hits = [p for p in places.values() if p["name"] == name]
    assert len(hits) == 1, f"{name}: {len(hits)} rows"
    return hits[0]


def test_places_basic(places: dict[str, dict[str, str]]) -> None:
    assert len(places) > 3000
    codes = list(places)
    assert codes == sorted(codes)
    for code, p in places.items():
        assert len(code) == 6 and code.isdigit()
        assert p["level"] in {"country", "province", "city", "county"}
        assert p["name"] not in {"市辖区", "县", "省直辖县级行政区划"}


def test_places_known_rows(places: dict[str, dict[str, str]]) -> None:
    cn = _by_name(places, "中华人民共和国")
    assert cn["adcode"] == "100000" and cn["level"] == "country" and cn["parent"] == ""
    zj = _by_name(places, "浙江省")
    assert zj["level"] == "province" and zj["short"] == "浙江" and zj["parent"] == "100000"
    qz = _by_name(places, "衢州市")
    assert qz["level"] == "city" and qz["parent"] == "330000"
    kc = _by_name(places, "柯城区")
    assert kc["level"] == "county" and kc["parent"] == qz["adcode"]
    bj = _by_name(places, "北京市")
    assert bj["level"] == "province" and bj["short"] == "北京"
    # municipality districts hang directly under the province-level unit
    assert _by_name(places, "海淀区")["parent"] == bj["adcode"]
    for code in ("710000", "810000", "820000"):
        assert places[code]["level"] == "province"
    assert _by_name(places, "延边朝鲜族自治州")["short"] == "延边"


def test_places_parents_exist(places: dict[str, dict[str, str]]) -> None:
    for code, p in places.items():
        if p["level"] == "country":
            continue
        assert p["parent"] in places, f"{code} {p['name']}: parent {p['parent']} missing"
        assert p["parent"] != code


def test_places_short_names(places: dict[str, dict[str, str]]) -> None:
    county_shorts: dict[str, str] = {}
    for code, p in places.items():
        s = p["short"]
        if not s:
            continue
        assert len(s) >= 2, f"{code} {p['name']}: short {s!r}"
        assert p["name"].startswith(s) or p["level"] == "country"
        if p["level"] == "county":
            assert s not in county_shorts, f"ambiguous county short {s}"
            county_shorts[s] = code


@pytest.fixture(scope="module")
def indicators() -> list[list[str]]:
    header, rows = _read_tsv("indicators.tsv")
    assert header == ["canonical", "aliases", "kind"]
    return rows


def test_indicators_basic(indicators: list[list[str]]) -> None:
    assert len(indicators) >= 150
    canon = [r[0] for r in indicators]
    assert len(canon) == len(set(canon)), "duplicate canonical"
    for r in indicators:
        assert r[2] in {"money", "rate", "quantity", "index"}, r


def test_indicator_aliases(indicators: list[list[str]]) -> None:
    canon = {r[0] for r in indicators}
    owner: dict[str, str] = {}
    for c, aliases, _ in indicators:
        for a in filter(None, aliases.split("|")):
            assert len(a) >= 2, f"{c}: alias {a!r} too short"
            assert a not in {"收入", "投资", "产值", "增加值"}, f"{c}: generic alias {a}"
            assert a not in owner, f"alias {a} under {owner.get(a)} and {c}"
            assert a not in canon or a == c, f"alias {a} of {c} is itself a canonical"
            owner[a] = c
    assert owner["规上工业增加值"] == "规模以上工业增加值"
    assert owner["GDP"] == "国内生产总值"
    assert owner["社零"] == "社会消费品零售总额"
