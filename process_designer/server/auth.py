"""Who is calling: bearer tokens (JWT HS256/RS256 or static API keys) turned into a :class:`Principal`.

The principal itself lives in :mod:`process_designer.principal`; the gRPC interceptor and the HTTP
middleware set it from the token, and the stores read it there.

ProcessDesignerError
└── AuthenticationError   no token, an unknown key, a forged, expired or incomplete token
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
from collections.abc import Callable, Mapping
from pathlib import Path

import jwt

from process_designer.config import Settings
from process_designer.errors import ConfigError, ProcessDesignerError, StorageError
from process_designer.principal import LOCAL, Principal, acting_as, current_principal

__all__ = [
    "LOCAL",
    "OPERATOR_ROLE",
    "AuthenticationError",
    "Authenticator",
    "Principal",
    "acting_as",
    "bind_check",
    "current_principal",
    "hash_api_key",
]

logger = logging.getLogger(__name__)


class AuthenticationError(ProcessDesignerError):
    """The caller could not be authenticated; answered UNAUTHENTICATED / 401."""


def hash_api_key(key: str) -> str:
    """The SHA-256 hex digest an API keys file stores instead of the key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


OPERATOR_ROLE = "operator"
"""The role (an API key's fourth field, a JWT's ``role`` or ``roles`` claim) that reads across tenants."""


def _read_api_keys(path: Path) -> dict[str, Principal]:
    keys: dict[str, Principal] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(":")
        if len(parts) not in (3, 4) or len(parts[2]) != 64 or not all(parts) or parts[3:] not in ([], [OPERATOR_ROLE]):
            raise ConfigError(f"PD_API_KEYS_FILE {path}:{number}: expected tenant:subject:sha256hex "
                              f"or tenant:subject:sha256hex:{OPERATOR_ROLE}")
        keys[parts[2].lower()] = Principal(subject=parts[1], tenant=parts[0], operator=parts[3:] == [OPERATOR_ROLE])
    return keys


def _has_operator_role(claims: Mapping[str, object]) -> bool:
    """Whether a JWT's ``role`` claim is, or its ``roles`` claim lists, :data:`OPERATOR_ROLE`."""
    roles = claims.get("roles")
    listed = isinstance(roles, list) and OPERATOR_ROLE in roles
    return claims.get("role") == OPERATOR_ROLE or listed


class Authenticator:
    """Checks ``Authorization: Bearer <token>`` values against the configured secrets."""

    def __init__(self, *, jwt_secret: str | None = None, jwt_public_key: str | None = None,
                 api_keys: Mapping[str, Principal] | None = None, leeway: float = 0.0) -> None:
        self._keys: dict[str, str] = {}
        if jwt_secret:
            self._keys["HS256"] = jwt_secret
        if jwt_public_key:
            self._keys["RS256"] = jwt_public_key
        self._api_keys = dict(api_keys or {})
        self._leeway = leeway
        self.failures: list[Callable[[str], None]] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> Authenticator | None:
        """The authenticator ``settings`` configure, or ``None`` when authentication is off."""
        public_key = settings.jwt_public_key_file.read_text(encoding="utf-8") if settings.jwt_public_key_file else None
        api_keys = _read_api_keys(settings.api_keys_file) if settings.api_keys_file else {}
        if not (settings.jwt_secret or public_key or api_keys):
            return None
        return cls(jwt_secret=settings.jwt_secret, jwt_public_key=public_key, api_keys=api_keys)

    def authenticate(self, authorization: str | None) -> Principal:
        """The principal of an ``Authorization`` header value; :class:`AuthenticationError` otherwise."""
        try:
            return self._principal(authorization)
        except AuthenticationError as exc:
            for report in self.failures:
                try:
                    report(str(exc))
                except StorageError as failure:
                    # The caller is refused either way; a failed audit write must not change the answer.
                    logger.error("could not audit an authentication failure: %s", failure)
            raise

    def _principal(self, authorization: str | None) -> Principal:
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthenticationError("missing bearer token; send 'authorization: Bearer <token>'")
        principal = self._api_keys.get(hash_api_key(token))
        if principal is not None:
            return principal
        if token.count(".") != 2:
            raise AuthenticationError("the bearer token is not a known API key or a JWT")
        return self._decode(token)

    def _decode(self, token: str) -> Principal:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
            key = self._keys.get(str(algorithm))
            if key is None:
                raise AuthenticationError(f"JWTs signed with {algorithm!r} are not accepted here")
            claims = jwt.decode(token, key, algorithms=[str(algorithm)], leeway=self._leeway,
                                options={"require": ["exp", "sub", "tenant"]})
        except jwt.ExpiredSignatureError:
            raise AuthenticationError("the JWT has expired; get a new token") from None
        except jwt.PyJWTError as exc:
            raise AuthenticationError(f"the JWT is invalid: {exc}") from None
        subject, tenant = claims["sub"], claims["tenant"]
        if not isinstance(subject, str) or not isinstance(tenant, str) or not subject or not tenant:
            raise AuthenticationError("the JWT's sub and tenant claims must be non-empty strings")
        return Principal(subject=subject, tenant=tenant, operator=_has_operator_role(claims))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_check(settings: Settings) -> str | None:
    """Refuse a non-loopback host without authentication; the notice to print when auth is off.

    Raises :class:`ConfigError` unless ``PD_ALLOW_INSECURE_BIND`` overrides the refusal.
    """
    if Authenticator.from_settings(settings) is not None:
        return None
    if _is_loopback(settings.host):
        return f"authentication is off: listening on loopback ({settings.host}) only"
    if not settings.allow_insecure_bind:
        raise ConfigError(
            f"PD_HOST={settings.host} is not loopback and no authentication is configured; set PD_JWT_SECRET, "
            "PD_JWT_PUBLIC_KEY_FILE or PD_API_KEYS_FILE (or PD_ALLOW_INSECURE_BIND=true to accept the risk)"
        )
    return f"authentication is off and {settings.host} is reachable from the network (PD_ALLOW_INSECURE_BIND)"
