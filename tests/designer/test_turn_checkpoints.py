"""A turn stores the thread's state once, when it ends: its cost does not grow with what the thread holds."""

from __future__ import annotations

from langchain_core.runnables import RunnableConfig

from process_designer.designer import Designer

REQUIREMENTS = ("Supplier onboarding: procurement collects the supplier's tax and bank details, compliance "
                "screens the supplier, finance approves suppliers over 10000 EUR, then the ERP gets the record.")


def _parent(designer: Designer, thread_id: str) -> str | None:
    config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
    stored = designer.graph.checkpointer.get_tuple(config)  # type: ignore[union-attr]
    assert stored is not None
    parent = stored.parent_config
    return None if parent is None else str(parent["configurable"]["checkpoint_id"])


def test_each_turn_writes_one_checkpoint_on_top_of_the_turn_before(designer: Designer) -> None:
    thread = "one-checkpoint-a-turn"
    heads = []
    for message in (REQUIREMENTS, "Change step 2 so that it finishes within 3 days.", "Who is responsible for step 1?"):
        events = designer.run_turn(thread, message)
        assert events[-1].final
        heads.append(designer.head(thread))
    # Every stage of a turn ran (analyst, writer, coder, reviewer), yet nothing was stored between them:
    # the whole state, every message and document version, is serialised once a turn.
    assert _parent(designer, thread) == heads[1]
    assert designer.stored_bytes(thread) > 0
