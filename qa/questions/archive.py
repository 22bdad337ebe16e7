"""Questions about the archive over time: a target against its result, a term's first (and last)
mention, and how often a term came back year by year — how each is told, and what it is about.

* a target against its result names a measure (:mod:`qa.measures`) and asks for the target and
  what was achieved, or whether the target was met: "2015年到2023年国内生产总值增长目标和实际增长",
  "2023年国内生产总值增长目标完成了吗？", "各省2024年经济增长实际完成情况与2025年目标",
  "Did China meet its 2014 GDP growth target?";
* a first (or last) mention asks when a term first (last) appeared: "X是哪一年首次出现的",
  "X最早见于哪一年的报告", "which year did the reports first mention X";
* a timeline asks how often it was said: "X在历年政府工作报告中出现了多少次", "how many times...".

The term is what the question quotes, else the words before (or, in English, after) the words
that ask; its forms are those :mod:`qa.terms` lists with it. Everything here reads text in
simplified script (English in lower case); nothing touches an index.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from qa.measures import measures_asked
from qa.terms import english_term, listed
from qa.text import to_simplified
from qa.years import find_years

_TARGET_WORD = re.compile(r"目标|预期|计划|安排|\btargets?\b|\bgoals?\b")
_ACHIEVED = re.compile(
    r"实际|完成(?:了|没有|情况|得|与否)|(?:是否|有没有|有无)(?:完成|实现|达到|达成|做到)|实现(?:了|没有)|达到(?:了|没有)|达成|达标|"
    r"做到了|兑现|执行情况|控制住|(?:控制|保持)在目标|超额|"
    r"\bactual(?:ly)?\b|\bachiev|\bmet\b|\bmeet\b|\breach(?:ed)?\b|\bhit\b|\bmiss(?:ed)?\b|"
    r"\b(?:compared?|versus|vs\.?|against) (?:with |to )?(?:the |its |their |each year's |the year's )?"
    r"(?:targets?|goals?)\b|"
    r"\bgrew\b|did .{0,40}\bgrow\b|how (?:fast|much) did"
)
# "2007年物价涨幅控制住了吗？" asks whether a ceiling held without saying 目标.
_HELD = re.compile(r"控制住了?(?:吗|没有|没)")
_TWO_YEARS = re.compile(r"(?:19|20)\d\d|今年|去年|上年|前年|明年|this year|last year|next year")

_FIRST = re.compile(
    r"首次|第一次|最早|头一次|首提|最先|最初|(?:从|自)哪一?年(?:开始|起)|开始出现|始于|\bfirst\b|\bearliest\b|\binitially\b"
)
_LAST = re.compile(r"最后一次|最近一次|最晚|最后出现|最近出现|\blast\b|\bmost recent(?:ly)?\b|\blatest\b")
_WHEN = re.compile(r"哪一?年|哪个年份|何年|何时|什么时候|哪一?份|哪次|\bwhich year|\bwhat year|\bwhen\b|\bwhich report|"
                   r"\bwhich (?:government )?work report|\bin which\b")  # fmt: skip
_MENTION_VERB = re.compile(
    r"出现|提出|提到|提及|写入|写进|见于|使用|用到|表述|\bmention|\bappear|\bcall(?:ed|s)? for\b|\bdescrib|\bused?\b|"
    r"\bintroduc|\brefer"
)
_COUNT = re.compile(
    r"多少次|几次|次数|频次|频率|多少回|\bhow many times\b|\bhow often\b|\bnumber of times\b|\bfrequency\b"
)

# What follows the term in a Chinese question (新质生产力|是哪一年首次…): the term is what comes before.
_AFTER_TERM = re.compile(
    r"(?:这个|这一|该)(?:提法|词|概念|说法|表述|口号|政策)|一词|的?提法|的?说法|的?表述|的?概念|是(?:在)?(?:从)?哪|是什么时候|是何时|"
    r"是从|从哪|在(?:历年|每年|历次|各年|政府|国务院|报告|全部|所有|我国|全国)|每年|历年|各年|最早|首次|第一次|头一次|最先|最初|"
    r"最后一次|最近一次|开始出现|何时|什么时候|哪一年|出现|被提|共出现|被写|写入|写进|见于|提出|提到|提及"
)
_TERM_SCOPE = re.compile(
    r"^(?:请问|问一下)?(?:在|从)?(?:历年|每年|各年|历次)?的?(?:国务院)?(?:政府工作报告|工作报告|报告|文件)?(?:中|里|里面|当中)?(?:的)?"
)
_TERM_TRIM = re.compile(r"^[\s“”\"'‘’「」『』《》]+|[\s“”\"'‘’「」『』《》的了，,。？?！!]+$")
_QUOTED = re.compile(r"[“\"「『‘'](?P<term>[^“”\"「」『』‘’']{2,30})[”\"」』’']")
_MENTIONED_AFTER = re.compile(r"(?:提到|提及|出现|提出|写入|写进|使用)了?")
# Verbs before a term, left out of what is counted: 构建和谐社会 is counted as 和谐社会.
_LEADING_VERB = re.compile(r"^(?:构建|建设|推进|实施|推动|加快|发展|坚持|实行|深化|促进|全面|大力|积极|提出|打造|建立)")
MIN_TERM = 2
# The words that ask, never the term: 出现了多少次？ names nothing to count.
_ASKING = re.compile(r"多少次|几次|次数|多少回|哪一?年|何时|什么时候|是否|有没有|多少|几")

# English: the words after the verb that asks (first mention X), or the quoted term.
_EN_QUOTED = re.compile(r"[\"“‘']([^\"“”‘’']{2,60})[\"”’']")
_EN_AFTER_VERB = re.compile(
    r"\b(?:mention(?:ed|s)?|call(?:ed|s)? for|describ(?:e|ed|es)|use[ds]?|introduc(?:e|ed|es)|refer(?:red|s)? to|"
    r"talk(?:ed|s)? about|appear(?:ed|s)?(?: in)?)\s+(?P<term>[^?.,;]+)"
)
_EN_BEFORE_VERB = re.compile(r"\b(?:did|was|were|has|have)\s+(?P<term>.+?)\s+(?:first|last)\s+(?:appear|show|come)")
_EN_FILLER = re.compile(r"^(?:the|a|an)\s+|^(?:economy|country|china|government)'s\s+|\b(?:the )?economy's\s+"
                        r"|\s+(?:in|of)\s+(?:the |each |every )?(?:year'?s? )?(?:government )?(?:work )?reports?.*$"
                        r"|\s+(?:first|last)$")  # fmt: skip


def asks_target_result(simplified: str) -> bool:
    """Whether a question (simplified; English in any case) asks a target against its result."""
    lowered = simplified.lower()
    if not measures_asked(lowered):
        return False
    if _HELD.search(lowered):
        return True
    if not _TARGET_WORD.search(lowered):
        return False
    if _ACHIEVED.search(lowered):
        return True
    span = find_years(lowered).text  # 2015年到2023年 is one span of years, not two years
    return len(set(_TWO_YEARS.findall(lowered.replace(span, " ") if span else lowered))) >= 2


def asks_first_mention(simplified: str) -> bool:
    lowered = simplified.lower()
    return bool((_FIRST.search(lowered) or _LAST.search(lowered)) and _MENTION_VERB.search(lowered)
                and _WHEN.search(lowered))  # fmt: skip


def asks_last_mention(simplified: str) -> bool:
    return bool(_LAST.search(simplified.lower()))


def asks_timeline(simplified: str) -> bool:
    lowered = simplified.lower()
    return bool(_COUNT.search(lowered) and _MENTION_VERB.search(lowered))


def measure_words(simplified: str) -> str:
    """The words naming the measure a target question asks about (its subject, which a follow-up
    "居民消费价格呢？" replaces)."""
    lowered = simplified.lower()
    for measure in measures_asked(lowered):
        match = measure.asked.search(lowered)
        if match is not None:
            return simplified[match.start() : match.end()]
    return ""


def mention_term(text: str, simplified: str, english: bool, knows: Callable[[str], bool]) -> tuple[str, str] | None:
    """(the term as the question names it, the term counted) of a first-mention or timeline
    question, or None when it names none. The term counted is simplified, without the verbs before
    it (构建和谐社会: 和谐社会); an English name is looked up in :mod:`qa.terms`, else translated."""
    if english:
        return _english_term(text, knows)
    quoted = _QUOTED.search(simplified)
    if quoted:
        asked = quoted.group("term")
    else:
        stop = _AFTER_TERM.search(simplified)
        asked = _TERM_SCOPE.sub("", simplified[: stop.start()] if stop else simplified)
        if len(_TERM_TRIM.sub("", asked)) < MIN_TERM:  # 哪一年的报告首次提到了新质生产力？
            found = list(_MENTIONED_AFTER.finditer(simplified))
            asked = simplified[found[-1].end() :] if found else ""
            asked = re.sub(r"(?:这个|这一)?(?:词|提法|说法|概念)?[吗呢么]?[？?。！!]*$", "", asked)
        asked = _ASKING.sub("", asked)
    asked = _TERM_TRIM.sub("", asked)
    if len(asked) < MIN_TERM:
        return None
    return asked, counted_term(asked)


def counted_term(asked: str) -> str:
    """The term counted for the words a question names: as written, or without the verbs before it
    when :mod:`qa.terms` lists what remains (构建和谐社会: 和谐社会)."""
    term = asked
    while not listed(term) and (shorter := _LEADING_VERB.sub("", term)) != term and len(shorter) >= MIN_TERM:
        term = shorter
    return term if listed(term) else asked


def _english_term(text: str, knows: Callable[[str], bool]) -> tuple[str, str] | None:
    lowered = text.lower().replace("’", "'")
    quoted = _EN_QUOTED.search(text.replace("’s ", "'s "))
    candidates = []
    if quoted and not re.fullmatch(r"s\b.*", quoted.group(1)):
        candidates.append(quoted.group(1).lower())
    for pattern in (_EN_AFTER_VERB, _EN_BEFORE_VERB):
        match = pattern.search(lowered)
        if match:
            candidates.append(match.group("term"))
    for candidate in candidates:
        words = candidate.strip(" '\"")
        for _ in range(3):
            words = _EN_FILLER.sub("", words).strip(" '\"")
        if not words:
            continue
        listed = english_term(words)
        if listed:
            return words, listed
        from qa.questions.translation import translate

        chinese = translate(words, knows).chinese
        if chinese:
            return words, to_simplified("".join(chinese))
    return None
