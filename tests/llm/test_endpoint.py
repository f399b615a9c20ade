"""Start-up: an unreachable endpoint or an unknown model stops with one clear line; settings are validated."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from process_designer.agents.engines import engines_for
from process_designer.agents.llm import LLMEngines, check_endpoint
from process_designer.agents.llm.client import chat_model
from process_designer.config import load_settings
from process_designer.errors import ConfigError, EngineError

from .conftest import settings_for
from .fake_openai import FakeOpenAI, Reply


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_endpoint_is_one_clear_error(tmp_path: Path) -> None:
    port = _closed_port()
    settings = load_settings(environ={"PD_MODEL": "openai:test-model",
                                      "OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1"}, dotenv=None)
    with pytest.raises(EngineError, match=rf"^cannot reach the LLM endpoint http://127.0.0.1:{port}/v1/models "
                                          r"\(ConnectError\); start the model server or fix OPENAI_BASE_URL"):
        engines_for(settings)


def test_unknown_model_lists_what_is_served(fake: FakeOpenAI, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path, PD_MODEL_CODER="openai:missing-coder")
    with pytest.raises(EngineError, match=r"^the LLM endpoint does not serve model 'missing-coder' "
                                          r"\(PD_MODEL_CODER\); it serves: test-model$"):
        engines_for(settings)


def test_engines_for_builds_checked_llm_engines(fake: FakeOpenAI, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path, PD_MODEL_REVIEWER="openai:test-model", PD_LLM_TEMPERATURE="0.3",
                            PD_LLM_MAX_TOKENS="256", PD_LLM_TIMEOUT="7.5")
    engines = engines_for(settings)
    assert isinstance(engines, LLMEngines)
    # The model list, then one probe: the endpoint takes a strict JSON schema, so that is the mode.
    assert [r.path for r in fake.requests] == ["/v1/models", "/v1/chat/completions"]
    assert fake.requests[1].body["response_format"]["json_schema"]["strict"] is True
    assert set(engines.structured_modes().values()) == {"json_schema"}
    assert check_endpoint(settings) == ["test-model"]
    model = chat_model(settings, "reviewer")
    assert (model.model_name, model.temperature, model.max_tokens, model.request_timeout, model.max_retries,
            model.stream_usage) == ("test-model", 0.3, 256, 7.5, 0, True)


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("PD_LLM_RETRIES", "many", r"^PD_LLM_RETRIES='many' is not a whole number; set it to an integer from 0 to 20$"),
    ("PD_LLM_TEMPERATURE", "3", r"^PD_LLM_TEMPERATURE=3.0 is out of range; set it to a number from 0.0 to 2.0$"),
    ("PD_LLM_TURN_DEADLINE", "0", r"^PD_LLM_TURN_DEADLINE=0.0 is out of range"),
    ("PD_LLM_FALLBACK_OFFLINE", "maybe", r"^PD_LLM_FALLBACK_OFFLINE='maybe' is not a yes/no value; set it to "
                                         r"true or false$"),
])
def test_bad_llm_settings_name_the_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(environ={variable: value}, dotenv=None)


def test_llm_settings_defaults_and_values() -> None:
    defaults = load_settings(environ={}, dotenv=None)
    assert (defaults.llm_retries, defaults.llm_repairs, defaults.llm_fallback_offline, defaults.llm_turn_deadline) == (
        3, 2, False, 300.0)
    chosen = load_settings(environ={"PD_LLM_RETRIES": "5", "PD_LLM_FALLBACK_OFFLINE": "yes",
                                    "PD_LLM_PRICE_INPUT": "0.15", "PD_LLM_REPAIRS": "0"}, dotenv=None)
    assert (chosen.llm_retries, chosen.llm_fallback_offline, chosen.llm_price_input, chosen.llm_repairs) == (
        5, True, 0.15, 0)


def test_servers_without_a_model_list_get_a_one_token_probe(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.lists_models = False
    fake.push(Reply(content="p", usage=(1, 1)))
    assert check_endpoint(settings_for(fake, tmp_path)) == []
    probe = fake.chat_requests()[0].body
    assert (probe["model"], probe["max_tokens"]) == ("test-model", 1)
    with pytest.raises(EngineError, match=r"^the LLM endpoint does not serve model 'other' \(HTTP 404\); "
                                          r"fix PD_MODEL or PD_MODEL_<AGENT>$"):
        check_endpoint(settings_for(fake, tmp_path, PD_MODEL="openai:other"))
