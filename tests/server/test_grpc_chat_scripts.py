"""The chat-script cases over gRPC: each turn changes what it asks for and nothing else."""

from __future__ import annotations

from grpc_harness import Running, chat, user

from process_designer.server._proto.sopwriter.v1 import sopwriter_pb2
from tests.chat_scripts import judge_all, script


def _final(answers: list[sopwriter_pb2.ChatMessage]) -> tuple[str, int | None]:
    last = answers[-1]
    return last.content, last.version if last.HasField("version") else None


async def test_chat_scripts_over_grpc(running: Running) -> None:
    requirements, turns = script("chat-refund-owners")
    turns = turns[:8]
    thread = "grpc-script"
    _, version = _final(await chat(running, [user(thread, requirements)]))
    assert version == 1
    documents = [running.designer.document(thread)]
    finals = []
    for turn in turns:
        finals.append(_final(await chat(running, [user(thread, turn.say)])))
        documents.append(running.designer.document(thread))
    assert judge_all(turns, documents, finals, version) == []
    assert [v for _, v in finals] == [2, 3, 3, 4, 5, 6, 6, 6]  # questions and listings make no version
