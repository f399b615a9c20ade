"""``process-designer graph`` prints every node and every route of the designer graph."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from process_designer.cli.main import main

NODES = ["__start__", "route_turn", "requirement_analyst", "process_writer", "spy_coder", "quality_reviewer",
         "answer_question", "compare_processes", "manage_versions", "save_as_template", "update_context", "respond",
         "__end__"]
ROUTES = sorted([
    ("route_turn", "requirement_analyst"), ("route_turn", "process_writer"), ("route_turn", "spy_coder"),
    ("route_turn", "quality_reviewer"), ("route_turn", "answer_question"), ("route_turn", "update_context"),
    ("route_turn", "respond"), ("route_turn", "compare_processes"), ("compare_processes", "respond"),
    ("route_turn", "save_as_template"), ("save_as_template", "respond"),
    ("route_turn", "manage_versions"), ("manage_versions", "respond"),
    ("requirement_analyst", "process_writer"), ("requirement_analyst", "respond"),
    ("process_writer", "spy_coder"), ("process_writer", "respond"),
    ("spy_coder", "quality_reviewer"), ("spy_coder", "respond"),
    ("quality_reviewer", "process_writer"), ("quality_reviewer", "spy_coder"), ("quality_reviewer", "respond"),
    ("answer_question", "respond"), ("update_context", "respond"), ("respond", "__end__"),
])


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["graph", *argv]) == 0
    return capsys.readouterr().out


def test_mermaid_is_the_default_and_draws_every_node_and_route(capsys: pytest.CaptureFixture[str]) -> None:
    text = _run(capsys)
    assert text == _run(capsys, "--format", "mermaid")
    assert "graph TD;" in text
    for node in NODES[1:-1]:
        assert f"\t{node}({node})\n" in text
    fixed = [line.strip() for line in text.splitlines() if " --> " in line]
    routes = sorted(tuple(line.strip().rstrip(";").split(" -.-> ")) for line in text.splitlines() if " -.-> " in line)
    assert fixed == ["__start__ --> route_turn;"]
    assert routes == ROUTES


def test_json_lists_nodes_in_order_and_every_edge(capsys: pytest.CaptureFixture[str]) -> None:
    payload = json.loads(_run(capsys, "--format", "json"))
    assert payload["nodes"] == NODES
    edges = [(e["source"], e["target"], e["conditional"]) for e in payload["edges"]]
    assert edges == sorted([("__start__", "route_turn", False), *((s, t, True) for s, t in ROUTES)])


def test_ascii_tree_has_one_block_per_node_with_its_routes(capsys: pytest.CaptureFixture[str]) -> None:
    text = _run(capsys, "--format", "ascii")
    blocks: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        if line.startswith("  "):
            blocks[current].append(line.split(" ", 4)[-1])
        else:
            current = line
            blocks[current] = []
    assert list(blocks) == NODES[:-1]
    assert blocks["__start__"] == ["route_turn"]
    assert sorted((source, target) for source, targets in blocks.items() if source != "__start__"
                  for target in targets) == ROUTES
    assert "  `-- ---> route_turn" in text.splitlines()
    assert "  `-- -.-> __end__" in text.splitlines()


def test_svg_is_well_formed_with_a_box_per_node_and_a_path_per_edge(capsys: pytest.CaptureFixture[str]) -> None:
    root = ET.fromstring(_run(capsys, "--format", "svg"))
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert [t.text for t in root.iter(f"{ns}text")] == NODES
    assert len([r for r in root.iter(f"{ns}rect") if r.get("stroke") == "#6c5ce7"]) == len(NODES)
    paths = [p for p in root.iter(f"{ns}path") if p.get("marker-end") == "url(#arrow)"]
    assert len(paths) == len(ROUTES) + 1
    assert len([p for p in paths if p.get("stroke-dasharray") == "5 4"]) == len(ROUTES)


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["graph", "--format", "png"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'png'" in capsys.readouterr().err


def test_committed_picture_matches_the_code(capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    assert (docs / "graph.svg").read_text(encoding="utf-8") == _run(capsys, "--format", "svg"), (
        "docs/graph.svg is stale: run `make graph-picture`")
    assert _run(capsys, "--format", "mermaid") in (docs / "graph.md").read_text(encoding="utf-8")
