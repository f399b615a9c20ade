"""gRPC authentication: an interceptor that turns the ``authorization`` metadata into the caller."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc

from process_designer.server.access import AccessControl
from process_designer.server.auth import AuthenticationError, Authenticator, Principal, acting_as

__all__ = ["AuthInterceptor", "auth_interceptors"]

# Load balancers and tools probe these without credentials; they reveal no tenant data.
_OPEN_SERVICES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


class AuthInterceptor(grpc.aio.ServerInterceptor):
    """Answers UNAUTHENTICATED without a valid bearer token; otherwise runs the call as its principal."""

    def __init__(self, authenticator: Authenticator) -> None:
        self._authenticator = authenticator

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        method = str(handler_call_details.method)
        if handler is None or method.startswith(_OPEN_SERVICES) or not handler.stream_stream:
            return handler
        metadata = dict(handler_call_details.invocation_metadata or ())
        try:
            principal = self._authenticator.authenticate(metadata.get("authorization"))
        except AuthenticationError as exc:
            return _refusing(handler, str(exc))
        return _as(handler, principal)


def _as(handler: grpc.RpcMethodHandler, principal: Principal) -> grpc.RpcMethodHandler:
    behaviour = handler.stream_stream

    if inspect.isasyncgenfunction(behaviour):
        async def stream(requests: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            # Each call runs in its own task, so the principal ends with the call.
            acting_as(principal)
            async for answer in behaviour(requests, context):
                yield answer

        return grpc.stream_stream_rpc_method_handler(
            stream, handler.request_deserializer, handler.response_serializer)

    async def unary(requests: Any, context: grpc.aio.ServicerContext) -> Any:
        acting_as(principal)
        return await behaviour(requests, context)

    return grpc.stream_stream_rpc_method_handler(unary, handler.request_deserializer, handler.response_serializer)


def _refusing(handler: grpc.RpcMethodHandler, reason: str) -> grpc.RpcMethodHandler:
    async def refuse(requests: Any, context: grpc.aio.ServicerContext) -> None:
        await context.abort(grpc.StatusCode.UNAUTHENTICATED, reason)

    return grpc.stream_stream_rpc_method_handler(refuse, handler.request_deserializer, handler.response_serializer)


def auth_interceptors(authenticator: Authenticator | None, access: AccessControl) -> list[grpc.aio.ServerInterceptor]:
    """The interceptors for ``authenticator`` (none when authentication is off); failures are audited."""
    if authenticator is None:
        return []
    authenticator.failures.append(access.authentication_failed)
    return [AuthInterceptor(authenticator)]
