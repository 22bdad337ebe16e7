"""The thing a question across reports asks about, apart from the verb that asks it.

"哪些省份提出要发展商业航天？", "哪些省份把银发经济列为重点？", "哪些地方表示要支持低空经济？" and
"Which provinces plan to develop nuclear power?" ask which reports mention a thing (商业航天,
银发经济, 低空经济, nuclear power); the verb (提出要发展, 把…列为重点, 表示要支持, plan to develop)
says how the question asks, not what a report must say. The thing is then found by its names: its
words as asked, the quoted name inside it (“平急两用”公共基础设施 names 平急两用), the same words
without a generic head (量子科技: 量子), its other names (:data:`OTHER_NAMES`), and for an English
question its translation, phrase by phrase (:class:`Subject`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from qa.indicators import other_forms
from qa.questions.translation import Translation, translate
from qa.text import jieba_words, to_simplified

# Which reports a question asks of: 哪些省份, 哪几个地方, 哪些城市的报告; "which provinces".
_WHO_ZH = re.compile(
    r"哪(?:些|几个|一些|个)(?:省区市|省市区|省份|省区|省市|自治区|地区|地方|城市|地市|区县|报告|省|市)?"
    r"(?:的)?(?:政府工作报告|工作报告|报告)?(?:里|中)?"
)
# A yes/no question about a named region: 西藏2025年有没有提到量子计算？ 广东是否提及低空经济
# 北京提到了人形机器人吗？: the thing follows the first of these.
_ASKS_IF = re.compile(r"有没有|是否|有无|是不是|提到|提及|谈到|谈及|涉及|讲到|写到|写入")
# Words between the reports asked of and the thing: where, when, whether, how (modal words and
# verbs of saying and of doing), stripped from the front one at a time, longest first.
_LEAD_WORDS = (
    "的", "政府工作报告", "工作报告", "报告", "里", "中", "在", "都", "有", "曾经", "曾", "已经", "已", "也", "还",
    "均", "今年", "明年", "去年", "将", "会", "要", "想", "打算", "计划", "准备", "正在", "明确", "表示", "提出",
    "提到", "提及", "谈到", "谈及", "涉及到", "涉及", "讲到", "写到", "写入", "部署", "关注", "强调", "拟",
    "希望", "着力", "重点", "大力", "加快", "积极", "继续", "进一步", "全力", "努力", "主张", "决定", "规划",
    "力争", "了", "过", "对", "把", "将", "发展", "布局", "支持", "推进", "推动", "建设", "培育", "打造", "繁荣",
    "壮大", "实施", "开展", "做大做强", "做强做优", "做大", "做强", "发力", "抢占", "谋划", "扶持", "鼓励", "引进",
    "建立", "设立", "举办", "促进", "深化", "拓展", "扩大", "提升", "新建", "建成", "聚焦", "攻关", "探索",
    "试点", "推广", "加强", "加速", "完善", "优化", "培养", "构建", "创建", "打响", "振兴", "实行", "开发",
    "抓好", "做好", "用好", "启动", "开工", "申报", "争创", "落实", "推行", "发挥", "突出", "大抓", "抓",
    "，", ",", "、", " ",
)  # fmt: skip
_LEAD = frozenset(_LEAD_WORDS)
_YEAR_LEAD = re.compile(r"^(?:(?:19|20)\d\d|年|度)$")
# 把银发经济列为重点, 把创新药列为发展重点, 把X作为主导产业: the thing is what 把 takes.
_BA = re.compile(r"把(?P<thing>.+?)(?:列为|列入|列作|作为|当作|当成|确定为|纳入|摆在|放在|视为)")
# What may end a question after its thing: 吗, 呢, punctuation, "的内容", "相关工作", "这个词".
_TAIL = re.compile(
    r"(?:的?(?:相关)?(?:内容|情况|方面|举措|话题)|相关工作|这(?:个|一)?(?:词|概念|说法|提法))?(?:了)?(?:吗|么|没有|呢)?"
    r"[？?。！!，,\s]*$"
)
# A generic word after the thing that a report may leave out (虚拟电厂建设 is 虚拟电厂 built): only
# cut when at least four characters remain (乡村建设 stays whole).
_GENERIC_TAIL = re.compile(r"(?:建设|发展|工作)$")
# The generic head of a name, without which its distinctive part still names the thing
# (量子科技 -> 量子, 氢能产业 -> 氢能): tried only when found in fewer than nearly all reports.
_GENERIC_HEAD = re.compile(
    r"(?:产业集群|产业链|产业|行业|领域|科技|技术|公共基础设施|基础设施|设施|项目|工程|集群|体系|业态)$"
)
# A short form keeps the first character of a two-character word before the last (夜间经济: 夜经济,
# 自由贸易试验区: 自贸试验区); at most this many words are shortened, and it is at least three long.
SHORTENED_WORDS = 3
SHORTEST_FORM = 3
_QUOTED = re.compile(r"[“\"「『‘']([^”\"」』’']{2,})[”\"」』’']")
_QUOTES = "“”\"「」『』‘’'《》〈〉"

# Other names of things the reports mention, each group one thing under its full and short names
# (a question naming any finds reports naming any other). The indicators' other names are in
# qa.indicators. Only names that are the same thing: 短剧 is what reports call 微短剧, but 通用航空
# is not 低空经济.
OTHER_NAMES: tuple[tuple[str, ...], ...] = (
    ("微短剧", "短剧"),
    ("人工智能", "AI"),
    ("新能源汽车", "新能源车"),
    ("跨境电商", "跨境电子商务"),
    ("自贸试验区", "自由贸易试验区", "自贸区"),
    ("专精特新", "专精特新企业"),
    ("集成电路", "芯片"),
    ("算力", "算力基础设施"),
)

# English: which reports, then the verb, then the thing.
_WHO_EN = re.compile(
    r"\bwhich (?:of the )?(?:provinces?|provincial|regions?|reports?|cities|places|localities)"
    r"(?: governments?| (?:government )?(?:work )?reports?)?\b",
    re.IGNORECASE,
)
_LEAD_EN = re.compile(
    r"^(?:'s|s'|have|has|had|do|does|did|are|is|were|was|will|would|already|also|all|each|still|"
    r"plans?|planned|planning|aims?|aimed|wants?|wanted|intends?|intended|proposes?|proposed|promised?|"
    r"says?|said|they|it|to|will|mention(?:s|ed|ing)?|talk(?:s|ed)? about|refer(?:s|red)? to|"
    r"include(?:s|d)?|discuss(?:es|ed)?|cover(?:s|ed)?|lists?|listed|names?|named|supports?|supported|"
    r"supporting|develop(?:s|ed|ing)?|build(?:s|ing)?(?: up)?|built(?: up)?|promot(?:e|es|ed|ing)|"
    r"boost(?:s|ed|ing)?|expand(?:s|ed|ing)?|advanc(?:e|es|ed|ing)|foster(?:s|ed|ing)?|grow(?:s|ing)?|"
    r"set(?:s|ting)? up|focus(?:es|ed|ing)? on|prioriti[sz](?:e|es|ed|ing)|invest(?:s|ed|ing)? in|"
    r"push(?:es|ed|ing)?(?: forward)?|strengthen(?:s|ed|ing)?|pursu(?:e|es|ed|ing)|back(?:s|ed|ing)?|"
    r"encourag(?:e|es|ed|ing)|their|its|the|a|an)\b\s*",
    re.IGNORECASE,
)
_TAIL_EN = re.compile(
    r"\s*(?:(?:in|within|of) (?:their|its|the) (?:\d{4} )?(?:government )?(?:work )?reports?\b.*"
    r"|as (?:a|an) (?:key |major |main )?(?:priority|focus|industry)\b.*|in \d{4}\b.*)?[?.!\s]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Subject:
    """What a question asks about, across reports.

    For a which-question, the thing the reports must mention: ``words``, its names, any of which
    found in a report's text is a mention (``loose`` when they are an English question's
    translated words, which may have other characters between their parts); ``cores``, shorter
    names of it (量子 for 量子科技) that count as well unless they are found in nearly every report;
    ``parts``, an English thing's phrases, each with its Chinese words (the answer names the thing
    by its compound, else its rarest phrase found); ``shorts``, its short forms (夜经济 for
    夜间经济), which count only as whole words of a report's sentence (not 沿海经济 for 海洋经济's
    海经济). For a figure of each report, region or year,
    the attribute asked of each (``terms``, its bigrams)."""

    text: str
    words: tuple[str, ...] = ()
    loose: bool = False
    terms: frozenset[str] = frozenset()
    cores: tuple[str, ...] = ()
    parts: tuple[tuple[str, ...], ...] = ()
    shorts: tuple[str, ...] = ()


def thing_asked(simplified: str) -> str:
    """The thing a Chinese which-question (simplified) asks the reports to mention, without its
    verb: 哪些省份提出要发展商业航天？ -> 商业航天; 哪些省份把银发经济列为重点？ -> 银发经济."""
    ba = _BA.search(simplified)
    if ba is not None:
        return _strip_lead(ba["thing"])
    who = _WHO_ZH.search(simplified)
    if who is not None:
        after = simplified[who.end() :]
    else:
        asks = _ASKS_IF.search(simplified)
        after = simplified[asks.end() :] if asks else simplified
    return _strip_tail(_strip_lead(after))


def _strip_lead(text: str) -> str:
    """``text`` without the words before its thing, as jieba divides it (so that 有 is left on
    有机农业 and 中 on 中欧班列, which are not words of their own there)."""
    text = text.strip()
    for word, start in jieba_words(text):
        if word.strip() and word not in _LEAD and not _YEAR_LEAD.match(word) or len(text) - start - len(word) < 2:
            return text[start:].strip()
    return text


def _strip_tail(text: str) -> str:
    text = _TAIL.sub("", text).strip()
    generic = _GENERIC_TAIL.search(text)
    if generic is not None and generic.start() >= 4:
        text = text[: generic.start()]
    return text


def names_of(thing: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(names, cores) of a thing (simplified): the thing, its quoted name, its other names (listed,
    and the forms an indicator's name is shortened to: :func:`qa.indicators.other_forms`); and its
    distinctive part without a generic head."""
    bare = "".join(char for char in thing if char not in _QUOTES)
    names = [bare] + [match.group(1) for match in _QUOTED.finditer(thing) if match.group(1) != bare]
    for group in OTHER_NAMES:
        if any(name == word or name in word for name in group for word in names[:1]):
            names.extend(group)
    names = [form for name in names for form in other_forms(name)]
    cores = []
    for name in list(names):
        head = _GENERIC_HEAD.search(name)
        if head is not None and head.start() >= 2:
            cores.append(name[: head.start()])
    names = list(dict.fromkeys(name for name in names if name))
    return tuple(names), tuple(core for core in dict.fromkeys(cores) if core not in names)


def short_forms(name: str) -> tuple[str, ...]:
    """The short forms of a name (simplified) as reports abbreviate one: each two-character word
    before its last word (by jieba) kept or cut to its first character, one word cut at least
    (夜间经济: 夜经济)."""
    words = [word for word, _start in jieba_words(name)]
    cuttable = [number for number, word in enumerate(words[:-1]) if len(word) == 2]
    forms = []
    for count in range(1, min(len(cuttable), SHORTENED_WORDS) + 1):
        for cut in itertools.combinations(cuttable, count):
            form = "".join(word[0] if number in cut else word for number, word in enumerate(words))
            if len(form) >= SHORTEST_FORM:
                forms.append(form)
    return tuple(dict.fromkeys(forms))


def chinese_subject(simplified: str) -> Subject | None:
    thing = thing_asked(simplified)
    if not thing:
        return None
    names, cores = names_of(thing)
    shorts = [form for name in names for form in short_forms(name) if form not in names and form not in cores]
    return Subject(thing, names, cores=cores, shorts=tuple(dict.fromkeys(shorts)))


def thing_asked_english(text: str) -> str:
    """The thing an English which-question asks the reports to mention: "Which provinces plan to
    develop nuclear power?" -> "nuclear power"."""
    who = _WHO_EN.search(text)
    after = text[who.end() :] if who is not None else text
    if who is None:
        verb = re.search(r"\b(?:mention(?:s|ed)?|talk(?:s|ed)? about|refer(?:s|red)? to|discuss(?:es|ed)?)\b", text,
                         re.IGNORECASE)  # fmt: skip
        after = text[verb.end() :] if verb else text
    after = _TAIL_EN.sub("", after.strip())
    while True:
        match = _LEAD_EN.match(after)
        if match is None or not match.group() or not after[match.end() :].strip():
            return after.strip()
        after = after[match.end() :]


def english_subject(text: str, translation: Translation | None, knows: Callable[[str], bool]) -> Subject | None:
    """An English which-question's thing in Chinese: the words of each of its phrases (from the
    question's own translation where the phrases line up, else translated alone); a thing nothing
    translates (6G, 5G-A) is sought as it is written."""
    thing = thing_asked_english(text)
    if not thing:
        return None
    parts = translation.parts_of_ending(thing) if translation is not None else None
    if parts is None:
        parts = translate(thing, knows).parts
    parts = tuple(part for part in parts if part)
    words = tuple(dict.fromkeys(word for part in parts for word in part))
    if not words:
        literal = thing.strip()
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9.+\-]{0,15}", literal):
            return Subject(literal, (literal,))
        return None
    names = [name for word in words for name in names_of(to_simplified(word))[0]]
    return Subject(" ".join(words), tuple(dict.fromkeys(names)), loose=True, parts=parts)
