"""The follow-up model: read from its file or refused with a clear error, and used for questions that do not point
back in words but only make sense after the earlier one."""

from __future__ import annotations

import json

import pytest

from assistant.followup import FEATURES, FOLLOWUP_FILE, FollowUp
from parkstad.errors import ModelFileError


def test_the_shipped_model_loads_and_gives_probabilities():
    model = FollowUp.load()
    assert model is not None and 0.0 < model.threshold < 1.0
    low = dict.fromkeys(FEATURES, 0.0)
    assert 0.0 <= model.probability(low) <= 1.0


def test_a_missing_model_file_means_no_model(tmp_path):
    assert FollowUp.load(tmp_path / "absent.json") is None


@pytest.mark.parametrize("body", ["{not json", json.dumps({"features": ["own_p"], "weights": [1.0], "bias": 0.0,
                                                           "mean": [0.0], "scale": [1.0], "threshold": 0.5}),
                                  json.dumps({"features": list(FEATURES)})])
def test_a_corrupt_or_stale_model_file_is_a_clear_error(tmp_path, body):
    path = tmp_path / "followup.json"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ModelFileError, match="fit_followup"):
        FollowUp.load(path)


def test_the_model_round_trips_through_its_file(tmp_path):
    model = FollowUp.load(FOLLOWUP_FILE)
    assert model is not None
    assert FollowUp.load(model.save(tmp_path / "copy.json")) == model


@pytest.mark.xfail(strict=True, reason="the decisions refit on batches a-m (2026-12-07) and a-o "
                   "(2026-12-08) answer the question alone (the RWTH definition), and the follow-up model keeps that "
                   "ranking; out of sample on batch m's conversations the a-m refit answered one more correctly")
def test_a_follow_up_without_pointing_words_is_read_with_its_conversation(assistant):
    earlier = "Can another organisation join the deal later on?"
    question = "Our university is considering it. To whom should we send the request?"
    alone = assistant.ask(question)
    follow = assistant.ask(question, history=(earlier,))
    assert follow.found and follow.citations[0].label.startswith("Artikel 12")
    assert not (alone.citations and alone.citations[0].label.startswith("Artikel 12"))
