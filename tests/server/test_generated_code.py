"""The committed gRPC code matches proto/ and the seed's wire contract."""

from __future__ import annotations

import re
from pathlib import Path

from google.protobuf.descriptor import FieldDescriptor

from process_designer.server import protogen
from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2
from process_designer.server._proto.threads.v1 import threads_pb2

# The installed grpcio-tools stamps its own versions into the code. The committed code is
# generated with the oldest tools the environment may carry (it then loads on newer runtimes),
# so staleness is judged on everything but those stamps.
_STAMPS = (
    re.compile(r"^# Protobuf Python Version: .*$", re.MULTILINE),
    re.compile(r"(ValidateProtobufRuntimeVersion\(\s*_runtime_version\.Domain\.PUBLIC,)\s*\d+,\s*\d+,\s*\d+,"),
    re.compile(r"^GRPC_GENERATED_VERSION = '[^']*'$", re.MULTILINE),
)


def unstamped(text: str) -> str:
    for stamp in _STAMPS:
        text = stamp.sub(lambda m: m.group(1) if m.groups() else "", text)
    return text


def test_version_stamps_are_all_that_is_ignored() -> None:
    committed = (protogen.OUTPUT_DIR / "sopwriter/v1/sopwriter_pb2_grpc.py").read_text()
    assert "GRPC_GENERATED_VERSION = '" in committed
    assert "GRPC_GENERATED_VERSION = '" not in unstamped(committed)
    assert "/sopwriter.v1.ProcessWriter/Chat" in unstamped(committed)


def test_committed_generated_code_is_current(tmp_path: Path) -> None:
    fresh = {path.relative_to(tmp_path): unstamped(path.read_text()) for path in protogen.generate(tmp_path)}
    committed = {
        path.relative_to(protogen.OUTPUT_DIR): unstamped(path.read_text())
        for path in sorted(protogen.OUTPUT_DIR.rglob("*"))
        if path.suffix in {".py", ".pyi"}
    }
    assert sorted(map(str, fresh)) == sorted(map(str, committed))
    stale = [str(name) for name, text in fresh.items() if committed[name] != text]
    assert stale == [], f"run `make proto`: {stale} differ from proto/"


def test_role_enum_is_the_seeds_plus_the_required_zero() -> None:
    assert dict(threads_pb2.Role.items()) == {"ROLE_UNSPECIFIED": 0, "USER": 1, "ASSISTANT": 2, "SYSTEM": 3}
    assert threads_pb2.DESCRIPTOR.package == "threads.v1"


def test_chat_message_keeps_the_seeds_fields_and_extends_from_five() -> None:
    fields = {f.name: (f.number, f.type) for f in sopwriter_pb2.ChatMessage.DESCRIPTOR.fields}
    assert fields == {
        "thread_id": (1, FieldDescriptor.TYPE_STRING),
        "role": (2, FieldDescriptor.TYPE_ENUM),
        "content": (3, FieldDescriptor.TYPE_STRING),
        "client_msg_id": (4, FieldDescriptor.TYPE_STRING),
        "agent": (5, FieldDescriptor.TYPE_STRING),
        "final": (6, FieldDescriptor.TYPE_BOOL),
        "message_id": (7, FieldDescriptor.TYPE_STRING),
        "version": (8, FieldDescriptor.TYPE_INT32),
        "replayed": (9, FieldDescriptor.TYPE_BOOL),
        "partial": (10, FieldDescriptor.TYPE_BOOL),
        "restart": (11, FieldDescriptor.TYPE_BOOL),
    }
    role = sopwriter_pb2.ChatMessage.DESCRIPTOR.fields_by_name["role"]
    assert role.enum_type.full_name == "threads.v1.Role"


def test_service_is_a_bidirectional_chat() -> None:
    service = sopwriter_pb2.DESCRIPTOR.services_by_name["ProcessWriter"]
    assert service.full_name == "sopwriter.v1.ProcessWriter"
    chat = service.methods_by_name["Chat"]
    assert (chat.input_type.full_name, chat.output_type.full_name) == (
        "sopwriter.v1.ChatMessage",
        "sopwriter.v1.ChatMessage",
    )
    assert (chat.client_streaming, chat.server_streaming) == (True, True)
