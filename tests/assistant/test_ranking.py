"""The fitted ranker and its evidence: sentence and breadcrumb vectors stored beside each clause in the real Chroma,
features computed for every chunk, the fitted weights loaded, and conversations ranked with their earlier turns."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.features import CONVERSATION, FEATURES, Conversation, Turn
from assistant.rank import RANKER_FILE, Ranker
from ingest.text import evidence_units


def test_the_fitted_ranker_loads_and_knows_every_feature_it_weighs() -> None:
    ranker = Ranker.load()
    assert RANKER_FILE.exists() and ranker.note.startswith("fitted")
    assert set(ranker.names) <= set(FEATURES)
    assert all(np.isfinite(ranker.weights))


def test_the_fitted_ranker_weighs_the_same_features_again_for_conversations() -> None:
    ranker = Ranker.load()
    assert len(ranker.in_conversation) == len(ranker.names) and all(np.isfinite(ranker.in_conversation))
    assert ranker.in_conversation != ranker.weights


def test_conversation_weights_are_stored_and_score_only_a_question_ranked_with_its_conversation(tmp_path) -> None:
    ranker = Ranker(("dense", "history_cited"), (1.0, 0.5), "fitted here", (0.25, 2.0))
    loaded = Ranker.load(ranker.save(tmp_path / "ranker.json"))
    assert loaded == ranker
    x = np.zeros((2, len(FEATURES)))
    x[0, FEATURES.index("dense")] = x[1, FEATURES.index("history_cited")] = 1.0
    assert list(loaded.score(x)) == [1.0, 0.5] and list(loaded.score(x, True)) == [0.25, 2.0]
    without = Ranker(("dense",), (1.0,))
    assert list(without.score(x, True)) == list(without.score(x))


def test_a_missing_model_falls_back_to_the_hand_set_weights(tmp_path) -> None:
    assert Ranker.load(tmp_path / "absent.json") == Ranker.hand_set()


def test_the_index_stores_a_vector_per_sentence_beside_its_clause(session_index, covenant_chunks) -> None:
    index, _ = session_index
    info = index.info()
    children = index.children(info)
    chunks = index.chunks(info)
    assert len(chunks) == len(covenant_chunks)  # the children are not read back as chunks
    ids = {c.id for c in chunks}
    sentences = [c for c in children if c.role == "sentence"]
    assert len(sentences) == sum(len(evidence_units(c.text)) for c in covenant_chunks)
    assert all(c.key in ids for c in sentences)
    crumbs = {c.key for c in children if c.role == "breadcrumb"}
    assert crumbs == {c.location.breadcrumb for c in covenant_chunks if c.location.breadcrumb}


def test_a_fact_in_one_sentence_of_a_long_part_is_found_by_that_sentence(assistant) -> None:
    """The sentence similarity of a clause is at least its own similarity, and the clause whose sentence is
    asked for gets the best sentence similarity of all."""
    _, corpus, retriever, _ = assistant.state()
    long = max(corpus.chunks, key=lambda c: len(evidence_units(c.text)))
    units = evidence_units(long.text)
    assert len(units) >= 6
    query = assistant.read(units[len(units) // 2])
    sims, _ = retriever.similarities(query)
    assert np.all(sims.sentence >= sims.dense - 1e-6)
    assert int(np.argmax(sims.sentence)) == corpus.position[long.id]


def test_every_chunk_gets_a_finite_row_of_every_feature(assistant) -> None:
    _, corpus, retriever, _ = assistant.state()
    query = assistant.read("Wie trekt thema Veiligheid?")
    sims, _ = retriever.similarities(query)
    x = retriever.features.matrix(query, sims)
    assert x.shape == (len(corpus.chunks), len(FEATURES)) and np.all(np.isfinite(x))
    conversation_columns = [FEATURES.index(f) for f in CONVERSATION]
    assert not x[:, conversation_columns].any()  # no conversation, no conversation evidence


def test_an_earlier_answer_s_clauses_become_evidence_for_the_next_question(assistant) -> None:
    earlier = assistant.ask("Welke organisatie is bij deze deal de regiokassier?")
    follow_up = "En waar moet die partij voor zorgen?"
    conversation = assistant.conversation(assistant.read(follow_up), (earlier,))
    assert conversation.turns and conversation.turns[0].cited == tuple(c.chunk_id for c in earlier.citations[:3])
    alone = assistant.search(follow_up, k=1)[0].chunk.label
    with_history = assistant.search(follow_up, history=(earlier,), k=1)[0].chunk.label
    assert with_history == "Artikel 4" != alone


def test_a_lid_named_without_its_article_points_into_the_article_the_conversation_cited(assistant) -> None:
    _, corpus, retriever, _ = assistant.state()
    cited = next(c for c in corpus.chunks if c.location.article == "10" and c.location.lid == "1")
    earlier = assistant.read("Hoe kan de Regio Deal worden gewijzigd?")
    turn = Turn(earlier, retriever.similarities(earlier)[0].dense, (cited.id,), True)
    query = assistant.read("Wat zegt lid 2 daarover?")
    assert query.lid == "2" and query.article is None
    sims, _ = retriever.similarities(query)
    column = FEATURES.index("reference")
    alone = retriever.features.matrix(query, sims)[:, column]
    joined = retriever.features.matrix(query, sims, Conversation((turn,), True))[:, column]
    assert len({corpus.chunks[i].location.article for i in np.flatnonzero(alone)}) > 1  # lid 2 of any article
    pointed = [corpus.chunks[i].location for i in np.flatnonzero(joined)]
    assert pointed and all((loc.article, loc.lid) == ("10", "2") for loc in pointed)


def test_an_earlier_question_the_documents_do_not_answer_lends_nothing(assistant) -> None:
    query = assistant.read("En wie betaalt dat?")
    assert assistant.conversation(query, ("Wat is het recept voor appeltaart?",)).empty


def test_a_history_of_text_and_one_of_answers_rank_alike(assistant) -> None:
    question = "En hoeveel regionale financiering staat daar tegenover?"
    earlier = "Hoeveel Rijksgeld is er maximaal voor de programmalijn over het landelijk gebied?"
    as_text = assistant.ask(question, history=(earlier,))
    as_answer = assistant.ask(question, history=(assistant.ask(earlier),))
    assert as_text.found == as_answer.found
    assert [c.label for c in as_text.citations[:1]] == [c.label for c in as_answer.citations[:1]]


@pytest.mark.parametrize("unrelated", ["Wat is het recept voor appeltaart?", "Hoe laat vertrekt de trein naar Aken?"])
def test_an_unrelated_earlier_question_does_not_turn_a_refusal_into_an_answer(assistant, unrelated) -> None:
    for question in ("Hoeveel fte krijgt onze gemeente voor extra handhavers?",
                     "Wie is de contactpersoon bij EZ voor deze deal?"):
        alone = assistant.ask(question)
        assert alone.found == assistant.ask(question, history=(unrelated,)).found


def test_an_empty_conversation_is_no_evidence() -> None:
    assert Conversation().empty


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abcdefgh .;:", min_size=1, max_size=30), min_size=1, max_size=8))
def test_evidence_units_keep_every_word_in_order(pieces: list[str]) -> None:
    text = " ".join(pieces)
    units = evidence_units(text)
    if units:
        assert " ".join(units).split() == text.split()
        assert len(units) >= 2


@pytest.mark.parametrize("question, unit", [
    ("What does consideration 10 of the preamble say?", "overweging 10"),
    ("Was steht in Erwägung 6?", "overweging 6"),
    ("Wat houdt opgave 2 in?", "opgave 2"),
    ("Who is party 3?", "partij 3"),
])
def test_a_numbered_part_outside_the_articles_points_at_that_part_alone(assistant, question, unit) -> None:
    _, corpus, retriever, _ = assistant.state()
    query = assistant.read(question)
    assert query.unit == unit and query.has_reference
    sims, _ = retriever.similarities(query)
    column = retriever.features.matrix(query, sims)[:, FEATURES.index("reference")]
    (pointed,) = np.flatnonzero(column)
    assert (corpus.chunks[pointed].location.item or "").startswith(unit)


def test_a_page_points_at_the_chunks_on_that_page(assistant) -> None:
    _, corpus, retriever, _ = assistant.state()
    query = assistant.read("Wat staat er op pagina 5?")
    assert query.page == 5
    sims, _ = retriever.similarities(query)
    column = retriever.features.matrix(query, sims)[:, FEATURES.index("reference")]
    on_page = {i for i, c in enumerate(corpus.chunks) if c.kind != "footnote" and c.location.page is not None
               and c.location.page <= 5 <= (c.location.page_end or c.location.page)}
    assert on_page and set(np.flatnonzero(column)) == on_page


@pytest.mark.parametrize("question, marked", [
    ("Hoeveel draagt het Rijk bij aan programmalijn 2?", True),
    ("hoeveel geld gaat er van het rijk naar de economie lijn?", True),     # the line by its subject
    ("Wie viel Geld bekommt das Thema Wonen?", True),                      # by one of its themes
    ("Wat doet programmalijn 2?", False),                                  # no money asked
    ("How much does the region itself put in?", False),                    # money, but of no line
    ("Stellt LVVN eigenes Geld für den ländlichen Raum bereit?", False),   # a ministry's own money: no row
])
def test_the_table_is_marked_when_money_is_asked_of_a_line_it_has_a_row_for(assistant, question, marked) -> None:
    _, corpus, retriever, _ = assistant.state()
    query = assistant.read(question)
    sims, _ = retriever.similarities(query)
    column = retriever.features.matrix(query, sims)[:, FEATURES.index("table_row")]
    assert [corpus.chunks[i].kind.value for i in np.flatnonzero(column)] == (["table"] if marked else [])
