"""SPy for the Integration Process Pattern: authentication per system, error recovery, the data mapper, their tests.

Authentication follows what the user stated for each system (``IntegrationSpec.auth``, methods in
``integration/data/auth.toml``); with nothing stated it is the seed's sample (an API key and an
OAuth token). Error recovery follows the stated retries and queue; the mapper applies each row's
transformation (``integration/data/transforms.toml``).
"""

from __future__ import annotations

from process_designer.agents.coder.spy_source import SpyWriter, identifier, literal, string
from process_designer.domain.models import IntegrationSpec, SystemAuth
from process_designer.integration.lexicon import AuthMethod, auth_methods, transforms

__all__ = ["DEFAULT_RETRIES", "auth_define", "error_recovery_define", "mapper_define", "mapper_tests"]

DEFAULT_RETRIES = 3


def _method(auth: SystemAuth) -> AuthMethod | None:
    return next((m for m in auth_methods() if m.id == auth.method), None)


def _secret_names(spec: IntegrationSpec) -> list[str]:
    """Every secret the authentication reads, in order (the seed's sample: ``external_api_key``)."""
    names = [f"{identifier(auth.system)}_{secret}" for auth in spec.auth if (m := _method(auth))
             for secret in m.secrets]
    return names or ["external_api_key"]


def auth_define(spec: IntegrationSpec) -> str:
    """``define IntegrationAuth``: ``setup_credentials()`` returns each system's credentials."""
    w = SpyWriter()
    w.open("define IntegrationAuth")
    stated = [(auth, method) for auth in spec.auth if (method := _method(auth)) is not None]
    if not stated:
        w.line("# Example: no authentication was stated; replace with each system's method")
        w.open("setup_credentials()")
        w.line("api_key = get_secret(\"external_api_key\")")
        w.line("oauth_token = refresh_oauth_token()")
        w.line("return AuthConfig(api_key, oauth_token)")
        w.close()
        w.close()
        return w.text()
    w.open("setup_credentials()")
    entries = ", ".join(f"{identifier(auth.system)}: {identifier(auth.system)}_credentials()" for auth, _ in stated)
    w.line(f"return {{{entries}}}")
    w.close()
    for auth, method in stated:
        name = identifier(auth.system)
        w.line()
        w.line(f"# {auth.system}: {method.label}")
        w.open(f"{name}_credentials()")
        fields = [f"system: {string(auth.system)}", f"method: {string(method.id)}"]
        for secret in method.secrets:
            w.line(f"{secret} = get_secret({string(f'{name}_{secret}')})")
            fields.append(f"{secret}: {secret}")
        if method.token:
            w.line(f"token = refresh_oauth_token({string(name)})")
            fields.append("token: token")
        w.line(f"return {{{', '.join(fields)}}}")
        w.close()
    w.close()
    return w.text()


def error_recovery_define(spec: IntegrationSpec) -> str:
    """``define ErrorHandler``: back off on rate limits, re-authenticate once, retry, then park the record."""
    policy = spec.recovery
    retries = policy.retries if policy and policy.retries is not None else DEFAULT_RETRIES
    queue = policy.queue if policy and policy.queue else "error queue"
    w = SpyWriter()
    w.open("define ErrorHandler")
    w.line(f"MAX_RETRIES = {retries}")
    w.line(f"QUEUE = {string(queue)}")
    w.line()
    w.open("handle_integration_error(failure, context)")
    w.line("attempts = get(context, \"attempts\", 0)")
    w.open("if failure.type == \"rate_limit\" and attempts < MAX_RETRIES")
    w.line("implement_backoff_strategy(attempts)")
    w.line("return {action: \"backoff\", attempts: attempts + 1, context: context}")
    w.reopen("else if failure.type == \"auth_failure\" and attempts == 0")
    w.line("refresh_authentication()")
    w.line("retry_operation()")
    w.line("return {action: \"reauthenticated\", attempts: 1, context: context}")
    w.reopen("else if attempts < MAX_RETRIES")
    w.line("return {action: \"retry\", attempts: attempts + 1, context: context}")
    w.close()
    reviewer = f" for {policy.reviewer}" if policy and policy.reviewer else ""
    w.line(f"log({string(f'parking the record in the {queue}{reviewer}: ')} + failure.message)")
    w.line("return {action: \"queued\", queue: QUEUE, attempts: attempts, context: context}")
    w.close()
    w.close()
    return w.text()


def _expression(transformation: str, value: str) -> str:
    kind = transformation.strip().lower()
    template = next((t.spy for t in transforms() if t.kind == kind), "{v}")
    return template.format(v=value)


def mapper_define(spec: IntegrationSpec) -> str:
    """``define DataMapper``: the data-mapping table as code (rows without a target are left out)."""
    w = SpyWriter()
    w.open("define DataMapper")
    w.open("map_record(record)")
    w.line("mapped = {}")
    for mapping in spec.data_mapping:
        if not mapping.target:
            continue
        source = string(mapping.source)
        w.open(f"if {source} in record")
        w.line(f"mapped[{string(mapping.target)}] = {_expression(mapping.transformation, f'record[{source}]')}")
        w.close()
    w.line("return mapped")
    w.close()
    w.close()
    return w.text()


_SAMPLES = {"lowercase": "Ada.Lovelace@Example.com", "uppercase": "de", "date": "2026-03-31T10:00:00Z",
            "decimal": "1250.50", "integer": "3", "boolean": 1, "string": 42, "trim": "  Acme Ltd  "}
_EXPECTED = {"lowercase": "ada.lovelace@example.com", "uppercase": "DE", "date": "2026-03-31", "decimal": 1250.5,
             "integer": 3, "boolean": True, "string": "42", "trim": "Acme Ltd"}


def mapper_tests(spec: IntegrationSpec) -> str:
    """``define DataMapperTest``: every row mapped and transformed, recovery per policy, credentials from secrets."""
    rows = [m for m in spec.data_mapping if m.target]
    sample = {m.source: _SAMPLES.get(m.transformation.strip().lower(), "C-42") for m in rows}
    policy = spec.recovery
    retries = policy.retries if policy and policy.retries is not None else DEFAULT_RETRIES
    w = SpyWriter()
    w.open("define DataMapperTest")
    w.open("test_maps_every_field()")
    record = "{" + ", ".join(f"{string(k)}: {literal(v)}" for k, v in sample.items()) + "}"  # field names as written
    w.line(f"mapped = DataMapper.map_record({record})")
    w.line(f"assert len(keys(mapped)) == {len({m.target for m in rows})}, \"every field mapped\"")
    for mapping in rows:
        kind = mapping.transformation.strip().lower()
        expected = _EXPECTED.get(kind, sample[mapping.source])
        w.line(f"assert mapped[{string(mapping.target)}] == {literal(expected)}, "
               f"{string(f'{mapping.source} → {mapping.target} ({kind})')}")
    w.close()
    w.line()
    w.open("test_rate_limit_backs_off()")
    w.line("outcome = ErrorHandler.handle_integration_error({type: \"rate_limit\", message: \"429\"}, {})")
    w.line("assert outcome.action == \"backoff\", outcome.action")
    w.close()
    w.line()
    w.open("test_gives_up_into_the_queue()")
    w.line("outcome = ErrorHandler.handle_integration_error({type: \"rate_limit\", message: \"429\"}, "
           f"{{attempts: {retries}}})")
    w.line("assert outcome.action == \"queued\", outcome.action")
    w.line("assert outcome.queue == ErrorHandler.QUEUE, outcome.queue")
    w.close()
    w.line()
    w.open("test_credentials_come_from_secrets()")
    w.line("config = IntegrationAuth.setup_credentials()")
    secrets = _secret_names(spec)
    w.line(f"assert len(recorded_calls(\"get_secret\")) == {len(secrets)}, \"every credential is read from the "
           "secret store\"")
    w.line("assert config != null, \"credentials expected\"")
    for auth in spec.auth:
        if _method(auth) is not None:
            w.line(f"assert config.{identifier(auth.system)}.method == {string(auth.method)}, "
                   f"{string(f'{auth.system} authenticates with {auth.label or auth.method}')}")
    w.close()
    w.close()
    return w.text()
