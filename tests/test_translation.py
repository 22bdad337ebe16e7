from __future__ import annotations

from qa.questions.translation import chinese_number, is_english, translate, translate_terms
from qa.regions import mentioned_region

CORPUS = "河北 粮食产量 粮食 产量 2024 西藏 清洁能源 产业 专项资金 安排 网络文明 活动 直播间 卫星"


def known(word: str) -> bool:
    return word in CORPUS.split() or word in CORPUS


def test_english_questions_are_told_from_chinese_ones() -> None:
    assert is_english("What was Hebei's total grain output in 2024?")
    assert not is_english("河北2024年粮食产量是多少？") and not is_english("5263?")


def test_content_words_become_chinese_words_found_in_the_index() -> None:
    terms = translate_terms("What was Hebei's total grain output in 2024?", known)
    assert terms[:2] == ["河北", "粮食产量"] and "2024" in terms
    tibet = translate_terms("How much did Tibet allocate to its clean energy fund?", known)
    assert "西藏" in tibet and "清洁能源" in tibet


def test_stopword_phrases_and_unknown_words_add_nothing() -> None:
    assert translate_terms("How many of them were there?", known) == []
    assert all(known(term) or term.isdigit() for term in translate_terms("live-streaming rooms satellites", known))


def test_a_question_that_names_one_province() -> None:
    assert mentioned_region("湖北處理了多少個違規直播間？") == "湖北"
    assert mentioned_region("河北 粮食产量") == "河北"
    assert mentioned_region("湖北和湖南的差别") is None
    assert mentioned_region("网络文明") is None


def test_designations_and_report_programmes_from_the_glossary() -> None:
    corpus = {"吉林一号", "吉林", "卫星", "中欧班列", "重庆", "海铁联运", "班列"}
    terms = translate_terms("How many satellites make up the Jilin-1 network?", corpus.__contains__)
    assert "吉林一号" in terms and "卫星" in terms
    railway = translate_terms(
        "China-Europe Railway Express (Chengdu-Chongqing) sea-rail intermodal trains", corpus.__contains__
    )
    assert {"中欧班列", "重庆", "海铁联运", "班列"} <= set(railway)
    assert [chinese_number(n) for n in (1, 6, 10, 19, 23)] == ["一", "六", "十", "十九", "二十三"]


def test_cities_are_named_by_their_dictionary_entries() -> None:
    corpus = {"成都", "鄂州", "西安", "机场", "旅客"}
    terms = translate_terms("How many passengers passed through Chengdu's airports?", corpus.__contains__)
    assert "成都" in terms and "旅客" in terms and "机场" in terms
    assert "鄂州" in translate_terms("How much cargo did Ezhou Huahu Airport handle?", corpus.__contains__)
    assert "西安" in translate_terms("What did Xi'an build?", corpus.__contains__)


def test_the_words_after_a_verb_are_translated_in_the_same_pass() -> None:
    translation = translate("Which provinces mention humanoid robots?", lambda word: True)
    assert translation.of_ending("humanoid robots") == translate_terms("humanoid robots", lambda word: True)
    assert translation.of_ending("humanoid robots") == ["人形机器人"]
    assert translation.of_ending("robots") is None  # "humanoid robots" is one phrase: translate the ending alone


def test_the_general_words_of_the_reports_figures_and_works() -> None:
    """Words CC-CEDICT renders by other senses (proportion: 比例; capacity: 容量 才能 潜力; renovate: 翻新)
    are read as the reports say them."""
    said = ("新能源装机在全国率先破亿、达到1.35亿千瓦，超过火电装机。数字经济核心产业增加值占地区生产总值比重达到10%。"
            "新开工改造老旧小区1700个。注册科技型企业累计超过2600家。内蒙古 湖南 占比 能源 新能源")  # fmt: skip

    def in_reports(word: str) -> bool:
        return word in said

    parts = translate("What proportion of Inner Mongolia's power capacity is new energy?", in_reports).parts
    assert ("占比", "比重") in parts and ("装机",) in parts
    renovated = translate_terms("How many old residential communities did Hunan renovate?", in_reports)
    assert "老旧小区" in renovated and "改造" in renovated
    assert "科技型企业" in translate_terms("How many tech firms are registered in the park?", in_reports)
