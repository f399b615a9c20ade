"""The chat model of each agent from Settings, and the start-up check of the endpoint."""

from __future__ import annotations

import httpx
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from process_designer.config import Settings
from process_designer.errors import EngineError

__all__ = ["AGENTS", "chat_model", "check_endpoint", "endpoint_url", "model_name"]

AGENTS = ("analyst", "writer", "coder", "reviewer")
_NO_KEY = "not-needed"  # local servers (vLLM, Ollama, llama.cpp) accept any key, the SDK insists on one


def model_name(settings: Settings, agent: str) -> str:
    """The model ``agent`` uses: ``PD_MODEL_<AGENT>`` when set, else ``PD_MODEL``."""
    chosen = settings.agent_models.get(agent) or settings.model
    if chosen == "offline":
        chosen = settings.model
    return chosen.partition(":")[2]


def endpoint_url(settings: Settings) -> str:
    """The endpoint's base URL (``OPENAI_BASE_URL``, else OpenAI's)."""
    return (settings.openai_base_url or "https://api.openai.com/v1").rstrip("/")


def chat_model(settings: Settings, agent: str) -> ChatOpenAI:
    """A ``ChatOpenAI`` for ``agent``; retries are ours (``max_retries=0``), usage is streamed too."""
    return ChatOpenAI(
        model=model_name(settings, agent),
        base_url=endpoint_url(settings),
        api_key=SecretStr(settings.openai_api_key or _NO_KEY),
        temperature=settings.llm_temperature,
        max_completion_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout,
        max_retries=0,
        stream_usage=True,
    )


def _probe(client: httpx.Client, settings: Settings, headers: dict[str, str], model: str) -> None:
    url = endpoint_url(settings) + "/chat/completions"
    body = {"model": model, "max_tokens": 1, "messages": [{"role": "user", "content": "ping"}]}
    try:
        response = client.post(url, headers=headers, json=body)
    except httpx.HTTPError as exc:
        raise EngineError(f"cannot reach the LLM endpoint {url} ({type(exc).__name__}); start the model "
                          "server or fix OPENAI_BASE_URL, or use PD_MODEL=offline") from exc
    if response.status_code in (400, 404):
        raise EngineError(f"the LLM endpoint does not serve model {model!r} (HTTP {response.status_code}); "
                          "fix PD_MODEL or PD_MODEL_<AGENT>")
    if response.status_code >= 400 and response.status_code != 429:
        raise EngineError(f"the LLM endpoint {url} answered HTTP {response.status_code} to a one-token "
                          "request; check OPENAI_BASE_URL and OPENAI_API_KEY")


def check_endpoint(settings: Settings, transport: httpx.BaseTransport | None = None) -> list[str]:
    """The endpoint's model ids; EngineError when it is unreachable or lacks a configured model.

    Servers without ``GET /models`` get a one-token chat request per configured model instead.
    """
    url = endpoint_url(settings) + "/models"
    headers = {"Authorization": f"Bearer {settings.openai_api_key or _NO_KEY}"}
    try:
        with httpx.Client(timeout=min(settings.llm_timeout, 10.0), transport=transport) as client:
            response = client.get(url, headers=headers)
    except httpx.HTTPError as exc:
        raise EngineError(f"cannot reach the LLM endpoint {url} ({type(exc).__name__}); start the model "
                          "server or fix OPENAI_BASE_URL, or use PD_MODEL=offline") from exc
    if response.status_code in (401, 403):
        raise EngineError(f"the LLM endpoint {url} refused the credentials (HTTP {response.status_code}); "
                          "check OPENAI_API_KEY")
    if response.status_code in (404, 405):
        with httpx.Client(timeout=settings.llm_timeout, transport=transport) as client:
            for wanted in sorted({model_name(settings, agent) for agent in AGENTS}):
                _probe(client, settings, headers, wanted)
        return []
    if response.status_code >= 400:
        raise EngineError(f"the LLM endpoint {url} answered HTTP {response.status_code}; check OPENAI_BASE_URL")
    try:
        served = [str(item["id"]) for item in response.json().get("data", [])]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EngineError(f"{url} did not answer a model list; is OPENAI_BASE_URL an OpenAI-compatible "
                          "endpoint (usually ending in /v1)?") from exc
    for agent in AGENTS:
        wanted = model_name(settings, agent)
        if served and wanted not in served:
            variable = f"PD_MODEL_{agent.upper()}" if settings.agent_models.get(agent) else "PD_MODEL"
            raise EngineError(f"the LLM endpoint does not serve model {wanted!r} ({variable}); it serves: "
                              f"{', '.join(served[:10])}")
    return served
