"""The gRPC server: ProcessWriter, health and reflection, with keepalive, size limits and graceful stop."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from process_designer.errors import ConfigError
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2
from process_designer.server.auth import Authenticator
from process_designer.server.grpc_auth import auth_interceptors
from process_designer.server.grpc_chat import ProcessWriterServicer, add_servicer
from process_designer.service import ChatTurns
from process_designer.telemetry.grpc_tracing import TracingInterceptor

__all__ = ["SERVICE_NAME", "GrpcOptions", "GrpcServer", "create_server"]

SERVICE_NAME = sopwriter_pb2.DESCRIPTOR.services_by_name["ProcessWriter"].full_name


@dataclass(frozen=True)
class GrpcOptions:
    """Transport settings; message sizes leave room above the content limit for the envelope."""

    max_receive_bytes: int = 4 * 1024 * 1024
    max_send_bytes: int = 16 * 1024 * 1024
    keepalive_time_ms: int = 30_000
    keepalive_timeout_ms: int = 10_000
    min_client_ping_interval_ms: int = 10_000
    max_turns_per_stream: int = 32
    # Answers of one stream waiting for a client that reads slowly (a design turn sends ~6).
    max_pending_answers: int = 64

    @classmethod
    def for_content_limit(cls, max_message_bytes: int) -> GrpcOptions:
        """Accept envelopes well past ``max_message_bytes`` so that ChatService can name the limit."""
        return cls(max_receive_bytes=max(4 * 1024 * 1024, 2 * max_message_bytes + 64 * 1024))

    def channel_args(self) -> list[tuple[str, int]]:
        return [
            ("grpc.max_receive_message_length", self.max_receive_bytes),
            ("grpc.max_send_message_length", self.max_send_bytes),
            ("grpc.keepalive_time_ms", self.keepalive_time_ms),
            ("grpc.keepalive_timeout_ms", self.keepalive_timeout_ms),
            ("grpc.keepalive_permit_without_calls", 1),
            ("grpc.http2.min_ping_interval_without_data_ms", self.min_client_ping_interval_ms),
            ("grpc.http2.max_pings_without_data", 0),
            # Without this a second server on a busy port would silently share it.
            ("grpc.so_reuseport", 0),
        ]


class GrpcServer:
    """A started-or-not gRPC server over the chat of the one service; ``stop`` drains gracefully."""

    def __init__(self, server: grpc.aio.Server, servicer: ProcessWriterServicer, address: str) -> None:
        self.server = server
        self.address = address
        self._servicer = servicer
        self._health = health.aio.HealthServicer()
        health_pb2_grpc.add_HealthServicer_to_server(self._health, server)

    async def start(self) -> None:
        """Start serving and report SERVING for the server and for ``sopwriter.v1.ProcessWriter``."""
        await self.server.start()
        await self._health.set(SERVICE_NAME, health_pb2.HealthCheckResponse.SERVING)

    async def stop(self, grace: float = 10.0) -> None:
        """Report NOT_SERVING, stop reading open streams, let accepted turns finish within ``grace``.

        Streams end with UNAVAILABLE once their turns are answered; whatever still runs when
        ``grace`` has passed is cancelled.
        """
        await self._health.enter_graceful_shutdown()
        self._servicer.begin_shutdown()
        await self.server.stop(grace)

    async def wait_for_termination(self) -> None:
        await self.server.wait_for_termination()


def create_server(
    service: ChatTurns, address: str, *, options: GrpcOptions | None = None
) -> tuple[GrpcServer, int]:
    """Build (not start) a server for ``service`` listening on ``address`` (``host:port``, port 0 picks one).

    Returns the server and the port it is bound to; call from a running event loop.
    """
    options = options or GrpcOptions.for_content_limit(service.settings.max_message_bytes)
    # Authentication runs after tracing, so that refused calls are traced too.
    auth = auth_interceptors(Authenticator.from_settings(service.settings), service.access)
    server = grpc.aio.server(options=options.channel_args(), interceptors=(TracingInterceptor(), *auth))
    servicer = ProcessWriterServicer(service, max_turns_per_stream=options.max_turns_per_stream,
                                     max_pending_answers=options.max_pending_answers)
    add_servicer(servicer, server)
    try:
        port = server.add_insecure_port(address)
    except RuntimeError as exc:
        raise ConfigError(
            f"cannot listen for gRPC on {address}: the port is in use or the host is not local; "
            "choose another with --grpc-port / --host (or PD_GRPC_PORT / PD_HOST)"
        ) from exc
    if port == 0:
        raise ConfigError(f"cannot listen for gRPC on {address}; choose another port with --grpc-port or PD_GRPC_PORT")
    grpc_server = GrpcServer(server, servicer, address.rsplit(":", 1)[0] + f":{port}")
    reflection.enable_server_reflection((SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server)
    return grpc_server, port
