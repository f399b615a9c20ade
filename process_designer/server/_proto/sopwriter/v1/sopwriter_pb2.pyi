from process_designer.server._proto.threads.v1 import threads_pb2 as _threads_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChatMessage(_message.Message):
    __slots__ = ("thread_id", "role", "content", "client_msg_id", "agent", "final", "message_id", "version", "replayed", "partial", "restart")
    THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CLIENT_MSG_ID_FIELD_NUMBER: _ClassVar[int]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    FINAL_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    PARTIAL_FIELD_NUMBER: _ClassVar[int]
    RESTART_FIELD_NUMBER: _ClassVar[int]
    thread_id: str
    role: _threads_pb2.Role
    content: str
    client_msg_id: str
    agent: str
    final: bool
    message_id: str
    version: int
    replayed: bool
    partial: bool
    restart: bool
    def __init__(self, thread_id: _Optional[str] = ..., role: _Optional[_Union[_threads_pb2.Role, str]] = ..., content: _Optional[str] = ..., client_msg_id: _Optional[str] = ..., agent: _Optional[str] = ..., final: _Optional[bool] = ..., message_id: _Optional[str] = ..., version: _Optional[int] = ..., replayed: _Optional[bool] = ..., partial: _Optional[bool] = ..., restart: _Optional[bool] = ...) -> None: ...
