"""The indicators of Chinese government reports under their several names.

Reports of different provinces and years word one indicator differently (经济增长 / 地区生产总值增长 /
全市生产总值增长; 研发投入强度 / 研究与试验发展经费投入强度); a question uses any of them. Each group
below is one indicator; :func:`variants` gives every name of the indicators a text mentions.
"""

from __future__ import annotations

import re
from functools import lru_cache

_NAMED: tuple[tuple[str, ...], ...] = (
    ("经济增长", "地区生产总值增长", "生产总值增长", "国内生产总值增长", "GDP增长", "经济增速", "gdp增长"),
    ("地区生产总值", "生产总值", "国内生产总值", "GDP", "gdp", "经济总量"),
    ("居民消费价格", "居民消费价格涨幅", "居民消费价格总水平", "消费价格", "物价", "CPI", "cpi"),
    ("城镇新增就业", "新增城镇就业", "新增就业"),
    ("城镇调查失业率", "调查失业率", "失业率", "城镇登记失业率"),
    ("固定资产投资", "全社会固定资产投资"),
    ("研发投入强度", "研究与试验发展经费投入强度", "研发经费投入强度", "R&D经费投入强度", "研发强度"),
    ("粮食产量", "粮食总产量", "粮食总产", "粮食生产"),
    ("规模以上工业增加值", "规上工业增加值"),
    ("社会消费品零售总额", "社零总额"),
    ("进出口总额", "外贸进出口", "进出口"),
    ("一般公共预算收入", "地方一般公共预算收入", "财政收入"),
    ("居民人均可支配收入", "人均可支配收入", "居民收入"),
    ("单位GDP能耗", "单位地区生产总值能耗", "单位国内生产总值能耗", "能耗"),
    ("空气质量优良天数比例", "优良天数比例", "空气质量优良率"),
    # Fiscal and financial figures of the national reports, each under the names their years use.
    ("财政赤字率", "预算赤字率"),
    ("财政赤字", "财政赤字规模"),
    ("地方政府专项债券", "专项债券"),
    ("超长期特别国债", "特别国债"),
    ("广义货币", "广义货币供应量", "广义货币M2", "M2"),
    ("社会融资规模", "社会融资规模存量", "社融规模"),
    ("常住人口城镇化率", "城镇化率", "城镇化水平"),
    ("实际使用外资", "利用外资", "实际利用外资"),
    ("棚户区改造", "棚户区住房改造", "棚改"),
    ("农村贫困人口", "贫困人口", "贫困发生率"),
)


# How reports shorten a name, so that a group lists each name once and its other forms follow: a
# local government's X is also 地方X (地方政府专项债券 / 地方专项债券) and the reverse; a fiscal X of
# three characters or more is also X alone (财政赤字率 / 赤字率; not 财政收入 / 收入); bonds (债券)
# are also 债 (专项债券 / 专项债).
_SHORTENED = (
    (re.compile(r"^地方政府(.{2,})$"), r"地方\1"),
    (re.compile(r"^地方(?!政府)(.{2,})$"), r"地方政府\1"),
    (re.compile(r"^财政(.{3,})$"), r"\1"),
    (re.compile(r"^(.{2,})债券$"), r"\1债"),
)


def other_forms(name: str) -> tuple[str, ...]:
    """``name`` and every form the rules of :data:`_SHORTENED` make of it, applied in turn
    (地方政府专项债券: 地方专项债券, 地方政府专项债, 地方专项债)."""
    forms = [name]
    for form in forms:  # grows while the rules find new forms
        for pattern, replacement in _SHORTENED:
            made = pattern.sub(replacement, form)
            if made != form and made not in forms:
                forms.append(made)
    return tuple(forms)


GROUPS: tuple[tuple[str, ...], ...] = tuple(
    tuple(dict.fromkeys(form for name in group for form in other_forms(name))) for group in _NAMED
)


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[str, ...]]:
    names: dict[str, tuple[str, ...]] = {}
    for group in GROUPS:
        for name in group:
            names.setdefault(name, group)
    return names


_QUALIFYING = re.compile(r"实际|预期|计划|目标")
# An indicator said apart from its subject: growth around its level, within one clause
# (全省完成地区生产总值31534亿元、增长3.3%: a name ending in 增长 whose stem is three characters or
# more) or against the year before in the next; an output whose subject the clause before names
# (粮食连续五年增产，总产量10570亿斤; 粮食播种面积1.1亿亩、产量825亿斤以上).
_SPLIT_GAP = r"[^，,。；;！？!?：:]{1,24}?"
_ELIDED_GAP = r"[^。；;！？!?]{1,20}?[，,、]"
# Growth against the year before in the clause after the level (国内生产总值47.2万亿元，比上年增长9.2%).
_COMPARED_GAP = r"[^，,。；;！？!?：:]{1,24}?[，,](?:比上年|比去年|比上一年|较上年|同比)"
_SPLIT_HEADS = (
    ("增长", 3, _SPLIT_GAP, ("增长",)),
    ("增长", 3, _COMPARED_GAP, ("增长",)),
    ("产量", 2, _ELIDED_GAP, ("总产量", "产量")),
)


@lru_cache(maxsize=1)
def _split_names() -> tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]:
    found = []
    for group in GROUPS:
        for ending, shortest, gap, heads in _SPLIT_HEADS:
            stems = {name[: -len(ending)].removesuffix("总") for name in group if name.endswith(ending)}
            stems = sorted((stem for stem in stems if len(stem) >= shortest), key=len, reverse=True)
            if stems:
                pattern = "|".join(re.escape(stem) for stem in stems)
                found.append((group, re.compile(f"(?:{pattern}){gap}(?P<head>{'|'.join(heads)})")))
    return tuple(found)


def _split_mentions(text: str) -> list[tuple[int, int, int, tuple[str, ...]]]:
    """(start, start and end of its head, group) of each indicator said apart from its subject."""
    return [(match.start(), match.start("head"), match.end("head"), group)
            for group, pattern in _split_names() for match in pattern.finditer(text)]  # fmt: skip


def mentioned(text: str) -> list[tuple[str, ...]]:
    """The indicator groups ``text`` (in simplified script: :func:`qa.text.to_simplified`) names, in
    the order it names them; a longer name wins over a shorter one inside it (生产总值增长, not
    生产总值). A question's 实际 / 预期 between the words of a name (经济实际增长) does not hide it."""
    simplified = _QUALIFYING.sub("", text)
    found: list[tuple[int, tuple[str, ...]]] = []
    taken = [False] * len(simplified)
    for name in sorted(_by_name(), key=len, reverse=True):
        start = simplified.find(name)
        while start >= 0:
            if not any(taken[start : start + len(name)]):
                for position in range(start, start + len(name)):
                    taken[position] = True
                found.append((start, _by_name()[name]))
            start = simplified.find(name, start + 1)
    named = {group for _start, group in found}
    found += [(start, group) for start, _head, _end, group in _split_mentions(simplified) if group not in named]
    ordered: list[tuple[str, ...]] = []
    for _start, group in sorted(found, key=lambda item: item[0]):
        if group not in ordered:
            ordered.append(group)
    return ordered


def variants(text: str) -> list[str]:
    """Every name of every indicator ``text`` (in simplified script) names."""
    return [name for group in mentioned(text) for name in group]


def name_spans(text: str, groups: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(start, end) of every place ``text`` (in simplified script) names any of ``groups``, in order
    (a name inside a longer one found at the same place counts once, as the longer); a growth
    indicator said only around its level, where its figure follows 增长."""
    found: dict[int, int] = {}
    for group in groups:
        for name in group:
            start = text.find(name)
            while start >= 0:
                found[start] = max(found.get(start, 0), start + len(name))
                start = text.find(name, start + 1)
    if not found:
        return sorted((head, end) for _start, head, end, group in _split_mentions(text) if group in groups)
    return sorted(found.items())
