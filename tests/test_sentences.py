"""Whether a sentence sets a target or reports what was achieved, and the figure it gives."""

from __future__ import annotations

import pytest

from qa.answer.stance import Stance


@pytest.mark.parametrize(
    ("sentence", "section", "target", "review"),
    [
        ("今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。", "二、2025年主要目标", True, False),
        ("全市生产总值增长5%左右，主要污染物重点工程减排量完成国家下达目标。", "", True, False),
        ("城镇新增就业1312万人，超过全年预期目标。", "", False, True),
        ("国内生产总值增长10.3%，居民消费价格涨幅控制在3.3%。", "一、2010年工作回顾", False, True),
        ("过去一年，全省粮食产量突破110万吨。", "", False, True),
        ("按2010年价格计算，2015年国内生产总值将超过55万亿元。", "", True, False),  # a plan, not what 2010 did
        # A budget set by 拟 / 安排 is a target, though the sentence before compares with the year before.
        ("赤字规模4.06万亿元，比上年年初预算增加1800亿元。拟安排地方政府专项债券3.9万亿元。", "", True, True),
        ("安排地方专项债券4000亿元。", "", True, False),
    ],
)
def test_target_or_review(sentence: str, section: str, target: bool, review: bool) -> None:
    stance = Stance.of(sentence, section)
    assert (stance.target, stance.review) == (target, review)
    assert stance.against("target") == (review and not target)
    assert stance.against("actual") == ((target or stance.plan_bound) and not review)


def test_a_bound_outside_a_review_does_not_answer_what_was_achieved() -> None:
    plan = Stance.of("全域推进和美乡村建设，和美乡村覆盖率达60%以上。", "二、2025年工作安排")
    achieved = Stance.of("和美乡村覆盖率达51.7%。", "一、2024年工作回顾")
    assert plan.against("actual") and not achieved.against("actual")


def test_a_figure_held_answers_what_was_achieved_even_outside_a_review() -> None:
    # 2011's report states 2010's results at the head of "三、2011年的工作" (national set n013).
    held = Stance.of("国内生产总值增长10.3%，居民消费价格涨幅控制在 3.3%，城镇新增就业1168万人。", "三、2011年的工作")
    assert held.bound and not held.against("actual")
    assert Stance.of("居民消费价格涨幅控制在3%左右。", "三、2011年的工作").against("actual")


def test_a_sentence_is_read_once_for_a_row(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.answer import sentences
    from qa.answer.config import AnswerConfig
    from qa.answer.sentences import Sentence
    from qa.questions import Vocabulary, plan_question

    plan = plan_question("各省2025年经济增长目标分别是多少？", Vocabulary(lambda word: True, 2025))
    read: list[str] = []
    figure_for = sentences.figure_for
    monkeypatch.setattr(sentences, "figure_for", lambda text, groups: read.append(text) or figure_for(text, groups))
    text = "二、2025年主要目标\n今年的主要预期目标是：地區生產總值增長5%左右，城镇调查失业率5.5%左右。"
    start = text.index("今年")
    sentence = Sentence(text, start, len(text), "二、2025年主要目标", plan)
    assert sentence.simplified.startswith("今年") and "地区生产总值增长" in sentence.simplified
    assert plan.indicators[0] in sentence.named and not sentence.against and sentence.stance.target
    assert sentence.row_score(plan, 1, AnswerConfig()) is not None
    figure = sentence.figure
    assert figure is not None and (figure.value, figure.unit, figure.qualifier) == (5.0, "%", "左右")
    assert len(read) == 1  # read when the score first needed it, not again for the row
    start, end, clause = sentence.clause(figure)
    assert text[start:end] == "地區生產總值增長5%左右" and text[start:end][clause.start : clause.end] == "5%左右"


def _sentences(text: str) -> list[str]:
    from qa.text import split_sentences

    return [text[start:end] for start, end in split_sentences(text)]


def test_a_title_in_book_marks_is_never_cut_at_its_exclamation_mark() -> None:
    # The Hubei sample's own sentence: the old splitter cut it after 《我和我的祖國!
    text = "開展《我和我的祖國!聽青年華僑華人講述“根”“魂”“夢”》等主題活動。下一句在這裡。"
    assert _sentences(text) == ["開展《我和我的祖國!聽青年華僑華人講述“根”“魂”“夢”》等主題活動。", "下一句在這裡。"]


def test_a_quotation_is_not_cut_at_its_question_or_exclamation_mark() -> None:
    text = "群众说：“这样的服务好不好？真是太好了！”办事效率明显提升。第二句话。"
    assert _sentences(text) == ["群众说：“这样的服务好不好？真是太好了！”办事效率明显提升。", "第二句话。"]
    # A quotation still ends a sentence at 。, and an unclosed 《 or “ changes nothing.
    assert _sentences("他说：“第一句话。第二句话！”然后走了。") == ["他说：“第一句话。", "第二句话！”", "然后走了。"]
    assert _sentences("未闭合的《书名!继续写。下一句。") == ["未闭合的《书名!", "继续写。", "下一句。"]


def test_a_link_or_address_is_not_cut_at_its_marks() -> None:
    text = "详见![通报](http://example.cn/a.png?id=3)附件。网址http://a.cn/p?id=3&b=4请查看。这样很好!我们走吧。"
    assert _sentences(text) == [
        "详见![通报](http://example.cn/a.png?id=3)附件。",
        "网址http://a.cn/p?id=3&b=4请查看。",
        "这样很好!",
        "我们走吧。",
    ]
    # A half-width ! before a number still ends the sentence (the Tibet report: 各位代表!2024年是…).
    assert _sentences("各位代表!2024年是重要的一年。") == ["各位代表!", "2024年是重要的一年。"]


def test_a_row_prefers_the_years_own_figure_to_one_said_of_a_run_of_years() -> None:
    from qa.answer.config import AnswerConfig
    from qa.answer.sentences import Sentence
    from qa.questions import Vocabulary, plan_question

    plan = plan_question("2020年到2022年全国粮食产量实际各是多少？", Vocabulary(lambda word: True, 2025))
    placed = "一、过去一年工作回顾 "

    def score(text: str, rank: int) -> float | None:
        return Sentence(text, 0, len(text), placed, plan).row_score(plan, rank, AnswerConfig())

    run, own = score("粮食产量连年稳定在1.3万亿斤以上。", 1), score("粮食产量1.37万亿斤，增产74亿斤。", 2)
    assert run is not None and own is not None and own > run
