"""The follow-up evaluator: two- and three-turn conversations, the last turn scored.

Recall@5: the last turn's answer passage (its report, holding the gold string) among the first five
passages of the answer to it, asked after the earlier turns. A ``not_stated`` conversation asks of a
report that does not say it: right when the answer claims nothing from another report.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from qa.answer import answer
from qa.evaluation.datasets import HALVES, Conversation, split_halves
from qa.evaluation.metrics import contains_answer, first_correct_rank, same_file_name, summarise, summarise_groups
from qa.retrieval import Retriever


def evaluate_conversations(retriever: Retriever, conversations: Sequence[Conversation]) -> dict[str, object]:
    started = time.perf_counter()
    halves = split_halves((conversation.id, conversation.kind) for conversation in conversations)
    ranks: list[int | None] = []
    kinds: list[str] = []
    in_half: list[str] = []
    not_stated: list[dict[str, object]] = []
    per_question: list[dict[str, object]] = []
    for conversation in conversations:
        result = answer(conversation.turns[-1], retriever=retriever, history=list(conversation.turns[:-1]))
        if conversation.answer is None:
            claimed = {result.hits[s.marker - 1].citation.file for s in result.sentences}
            right = not any(not same_file_name(file, conversation.file) for file in claimed)
            not_stated.append({"id": conversation.id, "half": halves[conversation.id], "right": right,
                               "answer": result.text[:120]})  # fmt: skip
            continue
        rank = first_correct_rank(
            same_file_name(hit.citation.file, conversation.file) and contains_answer(hit.text, conversation.answer)
            for hit in result.hits[:10]
        )
        ranks.append(rank)
        kinds.append(conversation.kind)
        in_half.append(halves[conversation.id])
        per_question.append({"id": conversation.id, "kind": conversation.kind, "half": in_half[-1], "rank": rank,
                             "resolved": result.resolved_question, "reference": conversation.resolved})  # fmt: skip
    return {
        "conversations": len(conversations),
        "all": summarise(ranks),
        "by_kind": summarise_groups(ranks, kinds),
        "not_stated": {"n": len(not_stated), "right": sum(bool(item["right"]) for item in not_stated),
                       "items": not_stated},  # fmt: skip
        "halves": {half: _half(half, ranks, kinds, in_half, not_stated) for half in HALVES},
        "per_question": per_question,
        "seconds": round(time.perf_counter() - started, 2),
    }


def _half(
    half: str, ranks: list[int | None], kinds: list[str], halves: list[str], not_stated: list[dict[str, object]]
) -> dict[str, object]:
    kept = [position for position, name in enumerate(halves) if name == half]
    stated = [item for item in not_stated if item["half"] == half]
    return {
        "all": summarise([ranks[i] for i in kept]),
        "by_kind": summarise_groups([ranks[i] for i in kept], [kinds[i] for i in kept]),
        "not_stated": {"n": len(stated), "right": sum(bool(item["right"]) for item in stated)},
    }
