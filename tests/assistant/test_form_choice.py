"""The form of an answer chosen among the builders that apply: by the fitted classifier in a model file, with its
fallback below the confidence threshold, and a clear error when the file is missing or corrupt."""

from __future__ import annotations

import json

import pytest

from assistant.compose import ExtractiveAnswerer
from assistant.form import BEST_CLAUSE, CASCADE, FEATURES, FORMS, FormModel, features
from assistant.read import read_query
from assistant.retrieve import Hit
from ingest.model import Chunk, Location
from parkstad.errors import ModelFileError


def _table_hits() -> list[Hit]:
    """Invented evidence: a budget table first, a clause on the same money second."""
    table = Chunk.create("table", "Thema | Bijdrage\nZorg | € 2.000.000\nWonen | € 3.000.000",
                         Location(document="Testconvenant", part="Artikelen", article="3", lid="3", item="tabel"),
                         table=(("Thema", "Bijdrage"), ("Zorg", "€ 2.000.000"), ("Wonen", "€ 3.000.000")))
    clause = Chunk.create("clause", "Het Rijk stelt voor de thema's samen € 5.000.000 beschikbaar.",
                          Location(document="Testconvenant", part="Artikelen", article="3", lid="2"))
    return [Hit(table, 2.0, 0.8, 5.0), Hit(clause, 1.5, 0.7, 4.0)]


def _write(path, favoured: str | None, threshold: float = 0.0, fallback: str = BEST_CLAUSE) -> None:
    """A model file in the fitted format whose only preference is a bias towards one form."""
    path.write_text(json.dumps({
        "features": list(FEATURES), "forms": list(FORMS), "mean": [0.0] * len(FEATURES),
        "scale": [1.0] * len(FEATURES), "weights": [[0.0] * len(FEATURES) for _ in FORMS],
        "bias": [5.0 if f == favoured else 0.0 for f in FORMS], "threshold": threshold, "fallback": fallback}),
        encoding="utf-8")


def test_the_classifier_in_the_model_file_picks_the_form_among_the_builders_that_apply(assistant, tmp_path):
    corpus = assistant.state()[1]
    query = read_query("Wie is de regiokassier?", corpus.theme_names)
    hits = assistant.search(query.text, k=12)
    _write(tmp_path / "form.json", "who")
    chosen = ExtractiveAnswerer(corpus, FormModel.load(tmp_path / "form.json").choose)
    cascade = ExtractiveAnswerer(corpus)
    drafts = cascade.candidates(query, hits)
    assert {"holder", "who", BEST_CLAUSE} <= set(drafts)  # the cascade would take the holder
    assert cascade._compose(query, hits) == drafts["holder"]
    assert chosen._compose(query, hits) == drafts["who"]


def test_a_form_that_does_not_apply_is_never_chosen(tmp_path):
    query = read_query("Hoeveel geld gaat naar thema Zorg?", [])
    _write(tmp_path / "form.json", "holder")  # the model prefers the holder of a role, which does not apply here
    model = FormModel.load(tmp_path / "form.json")
    applicable = {"amount", BEST_CLAUSE}
    assert set(model.probabilities(features(query, _table_hits(), applicable), applicable)) == applicable
    assert model.choose(query, _table_hits(), applicable) == BEST_CLAUSE  # a tie goes to the best clause


def test_below_the_threshold_the_fallback_is_taken(tmp_path):
    query = read_query("Hoeveel geld gaat naar thema Zorg?", [])
    hits = _table_hits()
    _write(tmp_path / "sure.json", "amount", threshold=0.5)
    assert FormModel.load(tmp_path / "sure.json").choose(query, hits, {"amount", BEST_CLAUSE}) == "amount"
    _write(tmp_path / "unsure.json", None, threshold=0.9)  # every form equally likely: 1/3 each
    unsure = FormModel.load(tmp_path / "unsure.json")
    assert unsure.choose(query, hits, {"amount", "who", BEST_CLAUSE}) == BEST_CLAUSE
    _write(tmp_path / "cascade.json", None, threshold=0.9, fallback=CASCADE)
    assert FormModel.load(tmp_path / "cascade.json").choose(query, hits, {"amount", "who", BEST_CLAUSE}) == "amount"


def test_the_landed_model_file_loads_and_fits_this_versions_features():
    model = FormModel.load()
    assert model.features == FEATURES and set(model.forms) <= set(FORMS)
    assert model.fallback in (*FORMS, CASCADE) and 0.0 <= model.threshold < 1.0


@pytest.mark.parametrize("content,said", [
    (None, "cannot read the form model"),
    ("{not json", "cannot read the form model"),
    (json.dumps({"features": ["x"], "forms": ["what"]}), "cannot read the form model"),
])
def test_a_missing_or_corrupt_model_file_is_a_clear_domain_error(tmp_path, content, said):
    path = tmp_path / "form.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelFileError, match=said) as raised:
        FormModel.load(path)
    assert str(path) in str(raised.value) and "evals.fit_form" in str(raised.value)


def test_a_model_fitted_on_other_features_is_refused(tmp_path):
    path = tmp_path / "form.json"
    _write(path, "who")
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["features"] = raw["features"][:-1] + ["a_feature_this_version_lacks"]
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ModelFileError, match="does not fit this version"):
        FormModel.load(path)
