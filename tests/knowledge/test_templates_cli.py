"""`process-designer templates …` end to end through the real entry point."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from process_designer.cli.main import main
from process_designer.knowledge import CURATED_TEMPLATES_DIR
from process_designer.knowledge.embedding import Embedder
from process_designer.knowledge.template_fields import field_of

CURATED_IDS = sorted(p.stem for p in CURATED_TEMPLATES_DIR.glob("*.toml"))


@pytest.fixture(scope="module")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-data")


@pytest.fixture
def cli_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, shared_data_dir: Path, embedder: Embedder
) -> Iterator[Path]:
    """Run the CLI on the shared data dir, away from any `.env` and Chroma server."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PD_CHROMA_URL", raising=False)
    monkeypatch.setenv("PD_DATA_DIR", str(shared_data_dir))
    yield shared_data_dir


def test_list_prints_an_aligned_table(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "CATEGORY", "DOMAIN", "COMPLEXITY", "USES"]
    assert lines[-1] == f"{len(CURATED_IDS)} templates"
    refund = next(line for line in lines if line.startswith("refund-request "))
    assert refund.index("Refund Request Processing") == lines[0].index("TITLE")
    assert refund.index("finance") == lines[0].index("CATEGORY")


def test_list_json_has_every_template(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "list", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in data] == CURATED_IDS
    refund = next(item for item in data if item["id"] == "refund-request")
    assert (refund["title"], refund["category"], refund["uses"]) == (
        "Refund Request Processing",
        "finance",
        0,
    )


def test_search_json_and_table(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = "returning money to customers who ask for reimbursement"
    assert main(["templates", "search", query, "--top", "2", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 2
    assert data[0]["id"] == "refund-request"
    assert data[0]["category"] == "finance"
    assert 0 < data[1]["score"] <= data[0]["score"] <= 1
    assert data[0]["reasons"][1] == (
        "keywords matched: returning, money, customers, ask, reimbursement"
    )

    assert main(["templates", "search", query, "--top", "1", "--category", "finance"]) == 0
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert lines[0].split()[:5] == ["#", "SCORE", "ID", "TITLE", "CATEGORY"]
    assert lines[2].split()[0] == "1"
    assert lines[2].split()[2] == "refund-request"
    assert "category is finance" in lines[2]
    assert "process-designer: loading the embedding model all-MiniLM-L6-v2" in out.err


def test_search_with_no_match_says_how_to_widen(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["templates", "search", "refund", "--category", "no-such-category"]) == 0
    assert capsys.readouterr().out == (
        "no template matches; loosen the filters or run `process-designer templates list`\n"
    )


def test_show_markdown_and_json(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates", "show", "refund-request"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "<!-- template refund-request · finance · e-commerce · medium · "
        "integrations: crm, billing, email, ticketing -->\n"
        "# Refund Request Processing - Process Documentation\n"
    )
    assert "### Step 3: Approve large refunds" in out
    assert main(["templates", "show", "system-integration", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["document"]["integration"]["data_mapping"][:2] == [
        {"source": "customer_id", "target": "external_id", "transformation": "string", "example": False},
        {"source": "email", "target": "contact_email", "transformation": "lowercase", "example": False},
    ]


def test_show_unknown_id_is_one_line_and_exit_1(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["templates", "show", "refund-requst"]) == 1
    err = capsys.readouterr().err
    assert err.endswith(
        "process-designer: error: no template with id 'refund-requst'; did you mean "
        "refund-request? run `process-designer templates list` to see the ids\n"
    )


def test_usage_error_exits_2(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["templates", "search", "refund", "--top", "0"])
    assert exit_info.value.code == 2
    assert "argument --top: 0 is not at least 1" in capsys.readouterr().err


def test_add_a_corrupt_file_names_file_and_line(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "bad"\ntitle = "Bad"\ncategory = \n')
    assert main(["templates", "add", str(bad)]) == 1
    assert capsys.readouterr().err == (
        f"process-designer: error: {bad}: not valid TOML: Invalid value (at line 3, column 12)\n"
    )


def test_add_refuses_a_weak_template_and_names_each_field(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (CURATED_TEMPLATES_DIR / "standard-process.toml").read_text()
    weak = re.sub(r'(?m)^objective = ".*"$', 'objective = "[Step objective]"', source)
    weak = re.sub(r'(?m)^duration = ".*"$', 'duration = "when possible"', weak)
    weak = re.sub(r'(?ms)^actions = \[.*?^\]', 'actions = ["[Action]"]', weak)
    path = tmp_path / "weak.toml"
    path.write_text(weak.replace('id = "standard-process"', 'id = "weak-process"'))
    assert main(["templates", "add", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("process-designer: error: template 'weak-process' scored 0.")
    assert "in review, below the required 0.90; fix these findings: " in err
    assert "steps[1].objective: Step 1 (Receive the request): objective is missing or a placeholder" in err
    assert "steps[5].duration: Step 5 (" in err
    assert "Efficiency:" not in err
    assert "SPy" not in err
    assert err.count("\n") == 1
    assert not (cli_env / "templates" / "weak-process.toml").exists()


@pytest.mark.parametrize(
    ("finding", "field"),
    [
        ("Step 3 (Approve large refunds): needs at least two specific actions", "steps[3].actions"),
        ("Step 12: describe both branches of the amount decision", "steps[12].decisions"),
        ("Overview: scope is missing or a placeholder", "overview.scope"),
        ("Every KPI in Monitoring and Metrics needs a measurable target (a number)", "monitoring"),
        ("Error Handling: add recovery for the CRM integration", "error_handling"),
        ("Data Mapping: the table is empty", "integration.data_mapping"),
        ("something the reviewer learnt later", "document"),
    ],
)
def test_each_finding_names_its_field(finding: str, field: str) -> None:
    assert field_of(finding) == field


def test_add_saves_and_lists_the_template(
    monkeypatch: pytest.MonkeyPatch,
    cli_env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    own_data = tmp_path / "own-data"
    monkeypatch.setenv("PD_DATA_DIR", str(own_data))
    source = (CURATED_TEMPLATES_DIR / "refund-request.toml").read_text()
    new = tmp_path / "store-credit.toml"
    new.write_text(
        source.replace('id = "refund-request"', 'id = "store-credit"').replace(
            '"Refund Request Processing"', '"Store Credit Issuing"'
        )
    )
    assert main(["templates", "add", str(new)]) == 0
    saved = own_data / "templates" / "store-credit.toml"
    assert capsys.readouterr().out == (
        f"added template store-credit (Store Credit Issuing) to {saved}\n"
    )
    assert saved.is_file()
    assert main(["templates", "list", "--format", "json"]) == 0
    ids = [item["id"] for item in json.loads(capsys.readouterr().out)]
    assert ids == sorted([*CURATED_IDS, "store-credit"])
    assert main(["templates", "add", str(new)]) == 1
    assert "a template with id 'store-credit' already exists" in capsys.readouterr().err


def test_add_keeps_the_flow_and_sources_of_a_template_file(
    monkeypatch: pytest.MonkeyPatch,
    cli_env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PD_DATA_DIR", str(tmp_path / "flow-data"))
    source = (CURATED_TEMPLATES_DIR / "leave-request.toml").read_text()
    new = tmp_path / "sabbatical-request.toml"
    new.write_text(
        source.replace('id = "leave-request"', 'id = "sabbatical-request"').replace(
            '"Leave and Time-Off Request"', '"Sabbatical Request"'
        )
    )
    assert main(["templates", "add", str(new)]) == 0
    capsys.readouterr()
    assert main(["templates", "show", "sabbatical-request", "--format", "json"]) == 0
    saved = json.loads(capsys.readouterr().out)
    assert saved["sources"][0].startswith("EU Working Time Directive")
    nodes = saved["document"]["flow"]["nodes"]
    assert [n["label"] for n in nodes if n["kind"] == "exclusive"] == ["Approved?", "Unpaid days?"]
    assert "Request declined with reason" in [n["label"] for n in nodes if n["kind"] == "end"]
    rules = [r for e in saved["document"]["flow"]["edges"] for r in e["rules"]]
    assert {"subject": "unpaid_days", "operator": ">", "value": 0, "unit": ""} in rules


def test_search_against_a_chroma_server(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    embedder: Embedder,
    chroma_server: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PD_DATA_DIR", str(tmp_path / "server-data"))
    monkeypatch.setenv("PD_CHROMA_URL", chroma_server)
    query = "new hire laptop and accounts"
    assert main(["templates", "search", query, "--top", "1", "--format", "json"]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["id"] == "employee-onboarding"


def test_an_unreachable_chroma_server_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PD_CHROMA_URL", "http://127.0.0.1:9")
    assert main(["templates", "search", "refund"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "process-designer: error: cannot reach the Chroma server at http://127.0.0.1:9: "
    )
    assert err.endswith(
        "start it with `chroma run --path DIR --port PORT` or unset PD_CHROMA_URL\n"
    )
    assert err.count("\n") == 1


def _variant(tmp_path: Path, new_id: str, title: str, edit: Callable[[str], str]) -> Path:
    """The curated refund template under ``new_id`` with ``edit`` applied to its text."""
    source = (CURATED_TEMPLATES_DIR / "refund-request.toml").read_text()
    renamed = source.replace('id = "refund-request"', f'id = "{new_id}"').replace(
        '"Refund Request Processing"', f'"{title}"'
    )
    path = tmp_path / f"{new_id}.toml"
    path.write_text(edit(renamed))
    return path


def _unstated(text: str, source: str) -> str:
    """The fourth step's performer marked as not stated by the user (``source``)."""
    return text.replace(
        'responsible = "Billing Specialist"', f'responsible = "Billing Specialist"\nperformer_source = "{source}"'
    )


@pytest.mark.parametrize("source", ["template", "assumed"])
def test_add_refuses_a_performer_nobody_stated_unless_overridden(
    monkeypatch: pytest.MonkeyPatch, cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str
) -> None:
    own_data = tmp_path / "gate-data"
    monkeypatch.setenv("PD_DATA_DIR", str(own_data))
    path = _variant(tmp_path, f"refund-{source}", "Refund Gate", lambda text: _unstated(text, source))
    assert main(["templates", "add", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()[-1]
    assert err.startswith(f"process-designer: error: template 'refund-{source}' is not saved: 1 finding(s) a template "
                          "must not carry: steps[4].responsible: Step 4 (Issue the refund): ")
    assert "'Billing Specialist'" in err and err.endswith("to save it as it is")
    saved = own_data / "templates" / f"refund-{source}.toml"
    assert not saved.exists()

    assert main(["templates", "add", str(path), "--override"]) == 0
    out, err = capsys.readouterr()
    assert out == f"added template refund-{source} (Refund Gate) to {saved}\n"
    assert "overridden: steps[4].responsible: Step 4 (Issue the refund): " in err
    assert saved.is_file()


def test_add_says_the_findings_of_a_template_that_passes(
    monkeypatch: pytest.MonkeyPatch, cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PD_DATA_DIR", str(tmp_path / "notes-data"))
    path = _variant(tmp_path, "refund-soon", "Refund Soon",
                    lambda text: text.replace('duration = "20 minutes"', 'duration = "soon"', 1))
    assert main(["templates", "add", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("added template refund-soon (Refund Soon) to ")
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert notes and all(field_of(line.split(": ", 2)[2]) == line.split(": ", 2)[1] for line in notes)
    assert any(line.startswith("note: steps[4].duration: Step 4 (Issue the refund): duration") for line in notes)
