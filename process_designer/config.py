"""Configuration, read once from the environment (prefix ``PD_``) and an optional ``.env`` file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from process_designer.errors import ConfigError

__all__ = ["Settings", "load_settings", "read_dotenv"]

_OTEL_EXPORTERS = ("none", "console", "otlp")


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to know about its environment; pass it in, never re-read."""

    model: str = "offline"
    data_dir: Path = Path(".process-designer")
    database_url: str | None = None
    chroma_url: str | None = None
    grpc_port: int = 50051
    http_port: int = 8080
    host: str = "127.0.0.1"
    otel_exporter: str = "none"
    otel_capture_content: bool = False
    quality_threshold: float = 0.85
    revision_budget: int = 2
    max_message_bytes: int = 64 * 1024
    jwt_secret: str | None = None
    jwt_public_key_file: Path | None = None
    api_keys_file: Path | None = None
    encryption_key: str | None = None
    allow_insecure_bind: bool = False
    token: str | None = None
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    agent_models: Mapping[str, str] = field(default_factory=dict)
    llm_temperature: float = 0.0
    llm_max_tokens: int = 4096
    llm_timeout: float = 60.0
    llm_retries: int = 3
    llm_backoff: float = 0.5
    llm_turn_deadline: float = 300.0
    llm_repairs: int = 2
    llm_fallback_offline: bool = False
    llm_price_input: float = 0.0
    llm_price_output: float = 0.0
    llm_structured: str = "auto"  # auto | json_schema | function_calling | json_mode | prompt
    llm_tool_rounds: int = 4
    turn_workers: int | None = None

    @property
    def offline(self) -> bool:
        return self.model == "offline"

    @property
    def turn_concurrency(self) -> int:
        """How many turns run at once; the rest wait their turn in arrival order.

        Offline turns are CPU-bound Python: more threads than cores only fight over the GIL,
        and then starve the event loop that accepts new calls and streams answers. LLM turns
        mostly wait on the endpoint, so they get more room.
        """
        if self.turn_workers is not None:
            return self.turn_workers
        return max(1, os.cpu_count() or 1) if self.offline else 16

    @property
    def checkpoint_path(self) -> Path:
        return self.data_dir / "threads.sqlite"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def read_dotenv(path: Path) -> dict[str, str]:
    """Read ``KEY=VALUE`` lines; blank lines and ``#`` comments are skipped, quotes stripped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}:{number}: expected KEY=VALUE, got {raw.strip()!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number; set it to an integer from {low} to {high}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={value} is out of range; set it to an integer from {low} to {high}")
    return value


def _float(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number; set it to a number from {low} to {high}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={value} is out of range; set it to a number from {low} to {high}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value; set it to true or false")


def _file(env: Mapping[str, str], name: str, holds: str) -> Path | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not path.is_file():
        raise ConfigError(f"{name}={raw!r} is not a readable file; point it at a file holding {holds}")
    return path


def _encryption_key(env: Mapping[str, str]) -> str | None:
    raw = env.get("PD_ENCRYPTION_KEY", "").strip()
    if not raw:
        return None
    from process_designer.storage.crypto import parse_keys

    parse_keys(raw)
    return raw


_STRUCTURED_MODES = ("auto", "json_schema", "function_calling", "json_mode", "prompt")


def _structured(env: Mapping[str, str]) -> str:
    raw = env.get("PD_LLM_STRUCTURED", "").strip().lower() or "auto"
    if raw not in _STRUCTURED_MODES:
        raise ConfigError(f"PD_LLM_STRUCTURED={raw!r} is unknown; use one of {', '.join(_STRUCTURED_MODES)}")
    return raw


def _model(name: str, raw: str) -> str:
    if raw == "offline":
        return raw
    provider, sep, model = raw.partition(":")
    if provider != "openai" or not sep or not model.strip():
        raise ConfigError(f"{name}={raw!r} is not a model; use 'offline' or 'openai:<model>' (e.g. openai:gpt-4o-mini)")
    return raw


def load_settings(environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")) -> Settings:
    """Build :class:`Settings` from ``environ`` (default ``os.environ``) over an optional ``.env``.

    Every bad value raises :class:`ConfigError` with one line naming the variable and the fix.
    """
    env: dict[str, str] = dict(read_dotenv(dotenv)) if dotenv is not None else {}
    env.update(os.environ if environ is None else environ)

    model = _model("PD_MODEL", env.get("PD_MODEL", "offline").strip() or "offline")
    agent_models = {
        agent: _model(f"PD_MODEL_{agent.upper()}", env[f"PD_MODEL_{agent.upper()}"].strip())
        for agent in ("analyst", "writer", "coder", "reviewer")
        if env.get(f"PD_MODEL_{agent.upper()}", "").strip()
    }
    exporter = env.get("PD_OTEL_EXPORTER", "none").strip().lower() or "none"
    if exporter not in _OTEL_EXPORTERS:
        raise ConfigError(f"PD_OTEL_EXPORTER={exporter!r} is unknown; use one of {', '.join(_OTEL_EXPORTERS)}")
    capture = env.get("PD_OTEL_CAPTURE_CONTENT", "false").strip().lower() or "false"
    if capture not in ("true", "false"):
        raise ConfigError(f"PD_OTEL_CAPTURE_CONTENT={capture!r} is not a switch; use true or false")
    database_url = env.get("PD_DATABASE_URL", "").strip() or None
    if database_url and not database_url.startswith(("postgresql://", "postgres://", "sqlite:///")):
        raise ConfigError(
            f"PD_DATABASE_URL={database_url!r} is not supported; use postgresql://… or sqlite:///PATH"
        )
    chroma_url = env.get("PD_CHROMA_URL", "").strip() or None
    if chroma_url and not chroma_url.startswith(("http://", "https://")):
        raise ConfigError(f"PD_CHROMA_URL={chroma_url!r} is not a URL; use http://HOST:PORT of a `chroma run` server")
    data_dir = env.get("PD_DATA_DIR", "").strip() or ".process-designer"
    return Settings(
        model=model,
        data_dir=Path(data_dir).expanduser(),
        database_url=database_url,
        chroma_url=chroma_url,
        grpc_port=_int(env, "PD_GRPC_PORT", 50051, 0, 65535),
        http_port=_int(env, "PD_HTTP_PORT", 8080, 0, 65535),
        host=env.get("PD_HOST", "127.0.0.1").strip() or "127.0.0.1",
        otel_exporter=exporter,
        otel_capture_content=capture == "true",
        quality_threshold=_float(env, "PD_QUALITY_THRESHOLD", 0.85, 0.0, 1.0),
        revision_budget=_int(env, "PD_REVISION_BUDGET", 2, 0, 10),
        max_message_bytes=_int(env, "PD_MAX_MESSAGE_BYTES", 64 * 1024, 1, 16 * 1024 * 1024),
        jwt_secret=env.get("PD_JWT_SECRET") or None,
        jwt_public_key_file=_file(env, "PD_JWT_PUBLIC_KEY_FILE", "a PEM RSA public key"),
        api_keys_file=_file(env, "PD_API_KEYS_FILE", "API key hashes, one 'tenant:subject:sha256hex' a line"),
        encryption_key=_encryption_key(env),
        allow_insecure_bind=_bool(env, "PD_ALLOW_INSECURE_BIND", False),
        token=env.get("PD_TOKEN", "").strip() or None,
        openai_base_url=env.get("OPENAI_BASE_URL") or None,
        openai_api_key=env.get("OPENAI_API_KEY") or None,
        agent_models=agent_models,
        llm_temperature=_float(env, "PD_LLM_TEMPERATURE", 0.0, 0.0, 2.0),
        llm_max_tokens=_int(env, "PD_LLM_MAX_TOKENS", 4096, 1, 1_000_000),
        llm_timeout=_float(env, "PD_LLM_TIMEOUT", 60.0, 0.1, 3600.0),
        llm_retries=_int(env, "PD_LLM_RETRIES", 3, 0, 20),
        llm_backoff=_float(env, "PD_LLM_BACKOFF", 0.5, 0.0, 60.0),
        llm_turn_deadline=_float(env, "PD_LLM_TURN_DEADLINE", 300.0, 1.0, 86400.0),
        llm_repairs=_int(env, "PD_LLM_REPAIRS", 2, 0, 10),
        llm_fallback_offline=_bool(env, "PD_LLM_FALLBACK_OFFLINE", False),
        llm_price_input=_float(env, "PD_LLM_PRICE_INPUT", 0.0, 0.0, 1_000_000.0),
        llm_price_output=_float(env, "PD_LLM_PRICE_OUTPUT", 0.0, 0.0, 1_000_000.0),
        llm_structured=_structured(env),
        llm_tool_rounds=_int(env, "PD_LLM_TOOL_ROUNDS", 4, 0, 20),
        turn_workers=_int(env, "PD_TURN_WORKERS", 0, 0, 256) or None,
    )
