"""Tests for kg.extract.report: the region a report governs, found by the longest place name."""
from __future__ import annotations

import pytest

from kg.extract.report import infer_region


@pytest.mark.parametrize(("text", "region"), [
    # the congress that hears the report names the region
    ("1月21日，衢州市第八届人民代表大会第六次会议隆重开幕", "衢州市"),
    # the national report speaks for the State Council
    ("我代表国务院，向大会报告政府工作", "中华人民共和国"),
    # else the place named most often, by its longest name
    ("衢州市推进共同富裕。衢州港开港。杭州湾大桥通车。", "衢州市"),
    ("没有地名的文本。", None),
])
def test_infer_region(text: str, region: str | None) -> None:
    """The region is read off the congress, the national cue or the commonest place name."""
    assert infer_region(text) == region
