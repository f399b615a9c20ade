"""Token checks and the settings that configure them, without a server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from process_designer.config import Settings, load_settings
from process_designer.errors import ConfigError
from process_designer.server.auth import (
    AuthenticationError,
    Authenticator,
    Principal,
    bind_check,
    hash_api_key,
)

SECRET = "unit-secret-" + "0123456789" * 6
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _claims(**changes: object) -> dict[str, object]:
    return {"sub": "alice", "tenant": "acme", "exp": int(time.time()) + 3600, **changes}


def test_hs256_rs256_and_api_keys_name_their_principal() -> None:
    auth = Authenticator(jwt_secret=SECRET, jwt_public_key=PUBLIC_PEM,
                         api_keys={hash_api_key("key-1"): Principal("robot", "globex")})
    assert auth.authenticate(f"Bearer {jwt.encode(_claims(), SECRET, algorithm='HS256')}") == Principal("alice", "acme")
    assert auth.authenticate(f"bearer {jwt.encode(_claims(sub='bob'), KEY, algorithm='RS256')}") == Principal("bob", "acme")
    assert auth.authenticate("Bearer key-1") == Principal("robot", "globex")


def test_the_operator_role_comes_from_the_keys_file_or_the_jwt(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.write_text(f"acme:ops:{hash_api_key('key-ops')}:operator\nacme:robot:{hash_api_key('key-robot')}\n")
    auth = Authenticator.from_settings(Settings(data_dir=tmp_path, api_keys_file=keys, jwt_secret=SECRET))
    assert auth is not None
    assert auth.authenticate("Bearer key-ops") == Principal("ops", "acme", operator=True)
    assert auth.authenticate("Bearer key-robot") == Principal("robot", "acme")
    for claims, operator in ((_claims(role="operator"), True), (_claims(roles=["viewer", "operator"]), True),
                             (_claims(role="admin"), False), (_claims(roles="operator"), False)):
        token = jwt.encode(claims, SECRET, algorithm="HS256")
        assert auth.authenticate(f"Bearer {token}") == Principal("alice", "acme", operator=operator)
    keys.write_text(f"acme:ops:{hash_api_key('key-ops')}:admin\n")
    with pytest.raises(ConfigError, match=r":1: expected tenant:subject:sha256hex or "):
        Authenticator.from_settings(Settings(data_dir=tmp_path, api_keys_file=keys))


@pytest.mark.parametrize(("header", "message"), [
    (None, "missing bearer token"),
    ("Basic abc", "missing bearer token"),
    ("Bearer key-2", "not a known API key or a JWT"),
    (f"Bearer {jwt.encode(_claims(exp=int(time.time()) - 5), SECRET, algorithm='HS256')}", "has expired"),
    (f"Bearer {jwt.encode(_claims(), 'another-secret-of-32-bytes-0123456789', algorithm='HS256')}",
     "Signature verification failed"),
    (f"Bearer {jwt.encode({'sub': 'alice', 'exp': int(time.time()) + 3600}, SECRET, algorithm='HS256')}",
     'Token is missing the "tenant" claim'),
    (f"Bearer {jwt.encode(_claims(tenant=''), SECRET, algorithm='HS256')}", "must be non-empty strings"),
    (f"Bearer {jwt.encode(_claims(), SECRET, algorithm='HS512')}", "signed with 'HS512' are not accepted"),
    (f"Bearer {jwt.encode(_claims(), None, algorithm='none')}", "signed with 'none' are not accepted"),
])
def test_bad_tokens_are_refused_and_reported(header: str | None, message: str) -> None:
    reported: list[str] = []
    auth = Authenticator(jwt_secret=SECRET, api_keys={hash_api_key("key-1"): Principal("robot", "globex")})
    auth.failures.append(reported.append)
    with pytest.raises(AuthenticationError, match=message):
        auth.authenticate(header)
    assert len(reported) == 1 and message in reported[0]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_token_hmac_signed_with_the_public_key_is_refused() -> None:
    # The classic confusion: HS256 "signed" with the RS256 public key as the shared secret.
    signing_input = f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(_claims()).encode())}"
    signature = hmac.new(PUBLIC_PEM.encode(), signing_input.encode(), hashlib.sha256).digest()
    auth = Authenticator(jwt_public_key=PUBLIC_PEM)
    with pytest.raises(AuthenticationError, match="JWTs signed with 'HS256' are not accepted here"):
        auth.authenticate(f"Bearer {signing_input}.{_b64(signature)}")


def test_settings_name_the_bad_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^PD_ENCRYPTION_KEY key 1 is not a Fernet key"):
        load_settings({"PD_ENCRYPTION_KEY": "short"}, dotenv=None)
    with pytest.raises(ConfigError, match=r"^PD_JWT_PUBLIC_KEY_FILE='/nope.pem' is not a readable file"):
        load_settings({"PD_JWT_PUBLIC_KEY_FILE": "/nope.pem"}, dotenv=None)
    with pytest.raises(ConfigError, match=r"^PD_ALLOW_INSECURE_BIND='maybe' is not a yes/no value"):
        load_settings({"PD_ALLOW_INSECURE_BIND": "maybe"}, dotenv=None)
    keys = tmp_path / "keys"
    keys.write_text("acme:robot:not-a-hash\n")
    settings = load_settings({"PD_API_KEYS_FILE": str(keys)}, dotenv=None)
    with pytest.raises(ConfigError, match=rf"^PD_API_KEYS_FILE {keys}:1: expected tenant:subject:sha256hex or tenant:subject:sha256hex:operator$"):
        Authenticator.from_settings(settings)


def test_binding_beyond_loopback_needs_auth_or_the_override() -> None:
    assert bind_check(Settings(host="127.0.0.1")) == "authentication is off: listening on loopback (127.0.0.1) only"
    assert bind_check(Settings(host="::1")) == "authentication is off: listening on loopback (::1) only"
    with pytest.raises(ConfigError, match=r"^PD_HOST=10\.0\.0\.5 is not loopback and no authentication"):
        bind_check(Settings(host="10.0.0.5"))
    assert bind_check(Settings(host="10.0.0.5", allow_insecure_bind=True)) == (
        "authentication is off and 10.0.0.5 is reachable from the network (PD_ALLOW_INSECURE_BIND)")
    assert bind_check(Settings(host="0.0.0.0", jwt_secret=SECRET)) is None
