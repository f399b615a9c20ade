"""A gRPC server interceptor: one SERVER span per call, continuing the caller's W3C trace context."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from opentelemetry import propagate
from opentelemetry.trace import SpanKind, Status, StatusCode

from process_designer.telemetry.setup import current

__all__ = ["TracingInterceptor"]

# Health checks and reflection are polled by infrastructure; a span each would bury the chats.
_UNTRACED = ("/grpc.health.", "/grpc.reflection.")
_KINDS = ("unary_unary", "unary_stream", "stream_unary", "stream_stream")
_FACTORIES: dict[str, Callable[..., grpc.RpcMethodHandler]] = {
    "unary_unary": grpc.unary_unary_rpc_method_handler,
    "unary_stream": grpc.unary_stream_rpc_method_handler,
    "stream_unary": grpc.stream_unary_rpc_method_handler,
    "stream_stream": grpc.stream_stream_rpc_method_handler,
}


def _attributes(method: str) -> dict[str, Any]:
    service, _, name = method.lstrip("/").rpartition("/")
    return {"rpc.system": "grpc", "rpc.service": service, "rpc.method": name}


def _finish(span: Any, context: grpc.aio.ServicerContext, error: BaseException | None) -> None:
    code = context.code() if hasattr(context, "code") else None
    if error is not None and code is None:
        code = grpc.StatusCode.CANCELLED if isinstance(error, BaseException) and not isinstance(
            error, Exception) else grpc.StatusCode.UNKNOWN
    code = code or grpc.StatusCode.OK
    span.set_attribute("rpc.grpc.status_code", code.value[0])
    if code is not grpc.StatusCode.OK:
        span.set_attribute("error.type", code.name)
        span.set_status(Status(StatusCode.ERROR, code.name))


class TracingInterceptor(grpc.aio.ServerInterceptor):
    """Wraps each method handler so its work (and the turns it starts) run under the call's span."""

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        method: str = handler_call_details.method
        if handler is None or method.startswith(_UNTRACED):
            return handler
        metadata = {key: value for key, value in handler_call_details.invocation_metadata or ()
                    if isinstance(value, str)}
        for kind in _KINDS:
            behavior = getattr(handler, kind)
            if behavior is not None:
                return _FACTORIES[kind](_traced(behavior, method, metadata),
                                        request_deserializer=handler.request_deserializer,
                                        response_serializer=handler.response_serializer)
        return handler


def _traced(behavior: Callable[..., Any], method: str, metadata: dict[str, str]) -> Callable[..., Any]:
    name = method.lstrip("/")

    def start() -> Any:
        return current().tracer.start_as_current_span(
            name, context=propagate.extract(metadata), kind=SpanKind.SERVER, attributes=_attributes(method),
            record_exception=True, set_status_on_exception=False)

    if inspect.isasyncgenfunction(behavior):
        async def streaming(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            with start() as span:
                error: BaseException | None = None
                try:
                    async for response in behavior(request, context):
                        yield response
                except BaseException as exc:
                    error = exc
                    raise
                finally:
                    _finish(span, context, error)

        return streaming

    async def unary(request: Any, context: grpc.aio.ServicerContext) -> Any:
        with start() as span:
            error: BaseException | None = None
            try:
                return await behavior(request, context)
            except BaseException as exc:
                error = exc
                raise
            finally:
                _finish(span, context, error)

    return unary
