"""Policy terms and their other names: the one table of synonyms a count of mentions reads.

A question about a term ("一带一路" first appeared when?) counts the term and the other names
listed with it here (丝绸之路经济带, 21世纪海上丝绸之路), in either script: the forms are simplified,
and so is the text they are looked for in. A term not listed counts as written. Each group lists
names that are the same policy under another wording, never a broader or narrower one (城镇化 is
not 新型城镇化, 供给侧改革 is not written for 供给侧结构性改革 in the reports). English names let an
English question name a term (new normal: 新常态).
"""

from __future__ import annotations

import re
from functools import lru_cache

from qa.text import to_simplified

# (forms: the term first, then its other names), (English names, lower case).
TERMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("一带一路", "丝绸之路经济带", "21世纪海上丝绸之路"), ("belt and road", "belt and road initiative", "bri")),
    (("大众创业、万众创新", "大众创业万众创新", "大众创业", "万众创新", "双创"),
     ("mass entrepreneurship and innovation", "mass entrepreneurship", "mass innovation")),
    (("碳达峰", "碳排放达峰"), ("carbon peaking", "carbon peak", "peak carbon", "peaking carbon emissions")),
    (("碳中和",), ("carbon neutrality", "carbon neutral")),
    (("互联网+", "互联网＋"), ("internet plus", "internet+")),
    (("供给侧结构性改革",), ("supply-side structural reform", "supply-side reform", "supply side structural reform")),
    (("新质生产力",), ("new quality productive forces", "new-quality productive forces")),
    (("乡村振兴",), ("rural revitalization", "rural revitalisation")),
    (("数字经济",), ("digital economy",)),
    (("人工智能",), ("artificial intelligence", "ai")),
    (("新型城镇化",), ("new urbanization", "new-type urbanization", "new type of urbanization")),
    (("高质量发展",), ("high-quality development", "high quality development")),
    (("共同富裕",), ("common prosperity",)),
    (("科学发展观",), ("scientific outlook on development", "scientific development")),
    (("和谐社会",), ("harmonious society", "harmonious socialist society")),
    (("新常态",), ("new normal",)),
    (("人民公社",), ("people's communes", "people's commune", "peoples communes")),
    (("雄安新区",), ("xiong'an new area", "xiongan new area", "xiong'an", "xiongan")),
    (("改革开放",), ("reform and opening up", "reform and opening-up", "reform and opening")),
    (("小康社会",), ("moderately prosperous society", "xiaokang society")),
    (("计划生育",), ("family planning",)),
    (("新发展理念",), ("new development philosophy", "new development concept")),
    (("新发展格局",), ("new development pattern", "new development paradigm")),
    (("放管服",), ("streamline administration", "delegating powers, improving regulation and upgrading services")),
    (("脱贫攻坚",), ("poverty alleviation", "fight against poverty")),
    (("精准扶贫",), ("targeted poverty alleviation",)),
    (("生态文明",), ("ecological civilization", "ecological civilisation")),
    (("粤港澳大湾区",), ("greater bay area", "guangdong-hong kong-macao greater bay area")),
    (("京津冀协同发展",), ("coordinated development of beijing, tianjin and hebei", "beijing-tianjin-hebei")),
    (("长江经济带",), ("yangtze river economic belt",)),
    (("低空经济",), ("low-altitude economy", "low altitude economy")),
    (("银发经济",), ("silver economy",)),
    (("中国式现代化",), ("chinese modernization", "chinese path to modernization")),
    (("减税降费",), ("tax and fee cuts", "tax cuts and fee reductions")),
    (("专精特新",), ("specialized and sophisticated", "specialised and sophisticated")),
)  # fmt: skip

_SPACE = re.compile(r"\s+")


def compact(text: str) -> str:
    """``text`` without white space (a term broken over a line still counts)."""
    return _SPACE.sub("", text)


@lru_cache(maxsize=1)
def _by_form() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for forms, _english in TERMS:
        simplified = tuple(dict.fromkeys(compact(to_simplified(form)) for form in forms))
        for form in simplified:
            table.setdefault(form, simplified)
    return table


def forms_of(term: str) -> tuple[str, ...]:
    """The forms counted for ``term`` (either script): the term itself, then the other names listed
    with it, all simplified and without white space."""
    own = compact(to_simplified(term))
    listed = _by_form().get(own)
    return listed if listed is not None and listed[0] == own else (own, *(form for form in listed or () if form != own))


def listed(term: str) -> bool:
    """Whether the table lists ``term`` (either script) as a form of a term."""
    return compact(to_simplified(term)) in _by_form()


def english_term(text: str) -> str | None:
    """The Chinese term an English name stands for (``text`` lower case, articles and quotes
    stripped by the caller), None when the table lists none."""
    wanted = text.strip().lower()
    for forms, english in TERMS:
        if wanted in english:
            return forms[0]
    return None


def forms_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``forms``, the longest first: 大众创业、万众创新 counts once, not also as 大众创业."""
    return re.compile("|".join(re.escape(form) for form in sorted(set(forms), key=len, reverse=True)))
