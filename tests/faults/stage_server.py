"""A real gRPC server whose turns pause at stage boundaries, run as a child process for kill tests.

``python stage_server.py DATA_DIR LIBRARY_DIR PAUSE [DATABASE_URL]`` prints ``port N`` when it listens, then
``stage THREAD AGENT`` after handing over each stage and ``final THREAD`` before the answer,
each followed by ``PAUSE`` seconds of stillness in which the graph does not advance: a test reading these
lines can SIGKILL the process at a known point of a turn.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from process_designer.config import Settings
from process_designer.designer import Designer, TurnEvent
from process_designer.knowledge.library import TemplateLibrary
from process_designer.server.chat_service import ChatService
from process_designer.server.grpc_server import create_server


class PausingDesigner(Designer):
    """The real Designer; the graph waits ``pause`` seconds before handing over each event."""

    pause = 0.0

    def stream_turn(self, thread_id: str, content: str, **kwargs: Any) -> Iterator[TurnEvent]:
        print(f"started {thread_id}", flush=True)
        time.sleep(self.pause)
        for event in super().stream_turn(thread_id, content, **kwargs):
            if event.final:
                print(f"final {thread_id}", flush=True)
                time.sleep(self.pause)
            yield event
            if not event.final:
                # Runs when the next event is asked for: the graph stands still after this stage.
                print(f"stage {thread_id} {event.agent}", flush=True)
                time.sleep(self.pause)


async def main(data_dir: Path, library_dir: Path, pause: float, database_url: str | None) -> None:
    library = TemplateLibrary(Settings(data_dir=library_dir))
    settings = Settings(data_dir=data_dir, database_url=database_url)
    designer = PausingDesigner(settings, library=library)
    designer.pause = pause
    library.ensure_index()
    library.search("warm up the embedder")  # loading the model takes seconds; not part of any turn
    service = ChatService(designer, settings)
    server, port = create_server(service, "127.0.0.1:0")
    await server.start()
    print(f"port {port}", flush=True)
    await server.wait_for_termination()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]), (sys.argv[4:] or [None])[0]))
