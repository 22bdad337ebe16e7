"""A conversation as state: each question understood after the one before it, turn by turn.

The state is the previous question as understood (its :class:`~qa.questions.plan.Plan`); a turn reads
the new question once, resolves it against that plan if it is a follow-up (:mod:`qa.questions.followups`),
and plans the question as understood. Each turn costs the same however long the conversation: a
caller that keeps the state (the web UI, ``qa chat``) never re-reads earlier questions, and one that
holds only the list of earlier questions (:meth:`Conversation.of`) reads each of them once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from qa.questions.followups import needs_context, resolve
from qa.questions.kinds import NeedsContext, StartOver
from qa.questions.plan import Plan, Vocabulary, checked, read, without_region

START_OVER = re.compile(
    r"^\s*(?:/new|/reset|/clear|重新开始|新话题|换个话题|清空|start over|new topic|new conversation|reset)"
    r"\s*[。.!！]?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Conversation:
    """The conversation so far: ``previous``, the last question as understood (None at the start and
    after starting over)."""

    previous: Plan | None = None

    @classmethod
    def of(cls, history: Iterable[object], vocabulary: Vocabulary) -> Conversation:
        """The conversation after the questions of ``history`` (oldest first; blank or non-text
        entries are skipped)."""
        conversation = cls()
        for earlier in history:
            if isinstance(earlier, str) and earlier.strip():
                conversation = conversation.after(conversation.plan(earlier, vocabulary))
        return conversation

    def plan(self, question: object, vocabulary: Vocabulary, *, region_filtered: bool = False) -> Plan:
        """``question`` understood after this conversation; a question already filtered to a region
        gets no region preference."""
        text = checked(question)
        if START_OVER.match(text):
            return Plan(text, text, kind=StartOver())
        reading = read(text, text, vocabulary)
        if self.previous is None and not region_filtered and not reading.across_reports and needs_context(reading):
            return Plan(text, text, kind=NeedsContext())
        if self.previous is not None and not reading.across_reports:
            resolved, followup = resolve(reading, self.previous, vocabulary)
            if resolved != text:
                reading = read(text, checked(resolved), vocabulary, followup=followup)
        return without_region(reading) if region_filtered else reading

    def after(self, plan: Plan) -> Conversation:
        """This conversation once ``plan`` has been asked."""
        return Conversation(None if isinstance(plan.kind, (StartOver, NeedsContext)) else plan)
