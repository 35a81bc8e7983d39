"""Tests for kg.extract.mentions: names found by head word, quotes, selection verbs and gazetteer."""
from __future__ import annotations

import pytest

from kg.extract.mentions import find_mentions
from kg.model import ENTITY_TYPES

# sentence → (text, type) pairs that must be among its mentions
CASES = [
    ("杭衢高铁建成通车。", [("杭衢高铁", "Project")]),
    ("沪昆高铁建成通车。", [("沪昆高铁", "Project")]),
    ("杭衢高铁建成通车，甬金衢上高速、杭淳开高速开工建设。",
     [("杭衢高铁", "Project"), ("甬金衢上高速", "Project"), ("杭淳开高速", "Project")]),
    ("深入实施科教兴国战略。", [("科教兴国战略", "Policy")]),
    ("深入实施人才强市战略。", [("人才强市战略", "Policy")]),
    ("承办亚洲举重锦标赛、全国田径锦标赛等大型赛事演出27场。",
     [("亚洲举重锦标赛", "Event"), ("全国田径锦标赛", "Event")]),
    ("衢州综保区成功申报、封关运作，实现保税进出口额25亿元。", [("衢州综保区", "Institution")]),
    ("金华综保区封关运作。", [("金华综保区", "Institution")]),
    ("入选陆港型国家物流枢纽承载城市。", [("陆港型国家物流枢纽承载城市", "Designation")]),
    ("获评全国文明城市。", [("全国文明城市", "Designation")]),
    ("“企呼我应”机制市县贯通、全省推广。", [("“企呼我应”机制", "Policy")]),
    ("深化“最多跑一次”改革。", [("“最多跑一次”改革", "Policy")]),
    ("六大标志性产业链产值达到2294亿元，其中新材料产业链产值增至1061亿元。",
     [("六大标志性产业链", "Industry"), ("新材料产业链", "Industry")]),
    ("集成电路产业链产值增长10%。", [("集成电路产业链", "Industry")]),
    ("打造长三角内陆开放桥头堡。", [("长三角", "Place")]),
    ("浙江大学衢州研究院挂牌成立。", [("浙江大学衢州研究院", "Institution")]),
    ("全面推行“最多跑一次”改革。", [("“最多跑一次”改革", "Policy")]),
    ("入选国家文化和旅游消费示范城市。", [("国家文化和旅游消费示范城市", "Designation")]),
    # verbs joined inside a work's name; an adverb between a noun and its verb
    ("加快实施湿地生态系统保护和修复重大工程。", [("湿地生态系统保护和修复重大工程", "Project")]),
    ("深入实施空气质量持续改善行动计划。", [("空气质量持续改善行动计划", "Policy")]),
    ("全面启动实施国家科技重大专项。", [("国家科技重大专项", "Project")]),
    # a list sharing a known name's head; a head word after a standing policy
    ("持续打好蓝天、碧水、净土保卫战。", [("蓝天、碧水、净土保卫战", "Policy")]),
    ("落实好结构性减税降费政策。", [("结构性减税降费政策", "Policy")]),
    # industries inside an indicator word and sector names jieba cuts apart
    ("数字经济核心产业增加值增长8%。", [("数字经济核心产业", "Industry")]),
    ("租赁和商务服务业增加值增长6%。", [("租赁和商务服务业", "Industry")]),
    # the thing worked on is named, not the work; an institution that acts ends its name
    ("做好市革命纪念馆改造提升。", [("市革命纪念馆", "Institution")]),
    ("复旦义乌研究院揭榜国家重大攻关任务。", [("复旦义乌研究院", "Institution")]),
    ("成功举办第三届“丝路”国际合作高峰论坛。", [("第三届“丝路”国际合作高峰论坛", "Event")]),
    ("推进千岛湖文化旅游区创建。", [("千岛湖文化旅游区", "Project")]),
    ("稳妥推进地方中小金融机构改革化险。", [("地方中小金融机构改革化险", "Policy")]),
    ("完善自然资源资产管理制度体系。", [("自然资源资产管理制度体系", "Policy")]),
    ("深入推进国家文化数字化战略。", [("国家文化数字化战略", "Policy")]),
    ("扩大全国用能权交易市场覆盖范围。", [("全国用能权交易市场", "Institution")]),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_find_mentions(sentence: str, expected: list[tuple[str, str]]) -> None:
    """Each expected (text, type) is among the sentence's mentions."""
    found = {(m.text, m.type) for m in find_mentions(sentence)}
    for pair in expected:
        assert pair in found, f"{pair} not in {sorted(found)}"


@pytest.mark.parametrize("sentence", [c.values[0] if hasattr(c, "values") else c[0] for c in CASES])
def test_mention_spans_and_types(sentence: str) -> None:
    """Every mention's span is its text in the sentence, its type is a contract type, and it carries the index."""
    for m in find_mentions(sentence, 5):
        assert sentence[m.start:m.end] == m.text
        assert m.type in ENTITY_TYPES
        assert m.sentence == 5


def test_mentions_in_order() -> None:
    """Mentions come in sentence order."""
    found = find_mentions("杭衢高铁建成通车，甬金衢上高速、杭淳开高速开工建设。")
    assert [m.start for m in found] == sorted(m.start for m in found)


@pytest.mark.parametrize("sentence", [
    "牢牢把握经济建设这一中心工作，主动作为、精准施策。",
    "过去一年，极为不易；过去五年，极不平凡。",
    "重要产业链供应链自主可控能力提升。",  # a kind qualified by generic words
    "新增上市公司3家。",
    "实现千亿级产业链零突破。",
    "创新链产业链资金链人才链一体部署。",
    "推进重点行业超低排放改造。",  # said of a whole class
    "推进重点领域和关键环节改革。",
    "完善商品房相关基础性制度。",
    "统筹城市经济、公共服务、科创平台、商业配套等项目布局。",  # generic items of a category
    "集成国家战略科技力量。",  # the head qualifies a noun
])
def test_generic_phrases_are_not_names(sentence: str) -> None:
    """Generic noun phrases give no entities."""
    assert [m for m in find_mentions(sentence) if m.type != "Place"] == []


def test_category_after_deng_is_no_name() -> None:
    """"A、B等X": X is the kind of the things listed, not a thing of its own."""
    texts = {m.text for m in find_mentions("抓好“老街”、“夜市”等城市消费功能街区建设。")}
    assert "城市消费功能街区" not in texts
