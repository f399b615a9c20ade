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
    quality_threshold: float = 0.85
    revision_budget: int = 2
    max_message_bytes: int = 64 * 1024
    jwt_secret: str | None = None
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    agent_models: Mapping[str, str] = field(default_factory=dict)

    @property
    def offline(self) -> bool:
        return self.model == "offline"

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
        quality_threshold=_float(env, "PD_QUALITY_THRESHOLD", 0.85, 0.0, 1.0),
        revision_budget=_int(env, "PD_REVISION_BUDGET", 2, 0, 10),
        max_message_bytes=_int(env, "PD_MAX_MESSAGE_BYTES", 64 * 1024, 1, 16 * 1024 * 1024),
        jwt_secret=env.get("PD_JWT_SECRET") or None,
        openai_base_url=env.get("OPENAI_BASE_URL") or None,
        openai_api_key=env.get("OPENAI_API_KEY") or None,
        agent_models=agent_models,
    )
