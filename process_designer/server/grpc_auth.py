"""gRPC authentication: an interceptor that turns the ``authorization`` metadata into the caller."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc

from process_designer.principal import Principal, acting_as
from process_designer.server.access import AccessControl
from process_designer.server.auth import AuthenticationError, Authenticator

__all__ = ["AuthInterceptor", "auth_interceptors"]

# Load balancers and tools probe these without credentials; they reveal no tenant data.
_OPEN_SERVICES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


class AuthInterceptor(grpc.aio.ServerInterceptor):
    """Answers UNAUTHENTICATED without a valid bearer token; otherwise runs the call as its principal.

    Every method but health and reflection needs a token, whatever its kind.
    """

    def __init__(self, authenticator: Authenticator) -> None:
        self._authenticator = authenticator

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        method = str(handler_call_details.method)
        if handler is None or method.startswith(_OPEN_SERVICES):
            return handler
        metadata = dict(handler_call_details.invocation_metadata or ())
        try:
            principal = self._authenticator.authenticate(metadata.get("authorization"))
        except AuthenticationError as exc:
            return _rewrap(handler, _refusal(str(exc)))
        return _rewrap(handler, _as(_behaviour(handler), principal))


_FACTORIES = {
    (False, False): grpc.unary_unary_rpc_method_handler,
    (False, True): grpc.unary_stream_rpc_method_handler,
    (True, False): grpc.stream_unary_rpc_method_handler,
    (True, True): grpc.stream_stream_rpc_method_handler,
}


def _behaviour(handler: grpc.RpcMethodHandler) -> Callable[..., Any]:
    return handler.unary_unary or handler.unary_stream or handler.stream_unary or handler.stream_stream


def _rewrap(handler: grpc.RpcMethodHandler, behaviour: Callable[..., Any]) -> Any:
    """A handler of the same kind and (de)serialisers as ``handler`` running ``behaviour``."""
    factory = _FACTORIES[(handler.request_streaming, handler.response_streaming)]
    return factory(behaviour, handler.request_deserializer, handler.response_serializer)


def _as(behaviour: Callable[..., Any], principal: Principal) -> Callable[..., Any]:
    """``behaviour`` run as ``principal``; each call runs in its own task, so the principal ends with it."""
    if inspect.isasyncgenfunction(behaviour):
        async def answers(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            acting_as(principal)
            async for answer in behaviour(request, context):
                yield answer

        return answers

    async def answer(request: Any, context: grpc.aio.ServicerContext) -> Any:
        acting_as(principal)
        result = behaviour(request, context)
        return await result if inspect.isawaitable(result) else result

    return answer


def _refusal(reason: str) -> Callable[..., Any]:
    async def refuse(request: Any, context: grpc.aio.ServicerContext) -> None:
        await context.abort(grpc.StatusCode.UNAUTHENTICATED, reason)

    return refuse


def auth_interceptors(authenticator: Authenticator | None, access: AccessControl) -> list[grpc.aio.ServerInterceptor]:
    """The interceptors for ``authenticator`` (none when authentication is off); failures are audited."""
    if authenticator is None:
        return []
    authenticator.failures.append(access.authentication_failed)
    return [AuthInterceptor(authenticator)]
