"""A template saved from the chat is where the answer says: the tenant's own, on the command line or the REST API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from process_designer.cli.main import main
from process_designer.config import Settings
from process_designer.designer import Designer
from process_designer.knowledge.library import TemplateLibrary
from process_designer.principal import LOCAL, Principal, acting_as

KEY = Fernet.generate_key().decode()
HIVE = "Hive cleaning: the farmer opens the hive, the farmer cleans the frames, the farmer checks the queen"
TEMPLATE_ID = "hive-cleaning"


@pytest.fixture
def sealed(tmp_path: Path, library: TemplateLibrary) -> Iterator[tuple[Designer, Path]]:
    """A designer whose added templates are kept sealed per tenant (a key is set), and its data directory."""
    data_dir = tmp_path / "sealed-data"
    designer = Designer(Settings(data_dir=data_dir, encryption_key=KEY), library=library)
    try:
        yield designer, data_dir
    finally:
        acting_as(LOCAL)
        designer.close()


def _save(designer: Designer, thread: str) -> str:
    """Design the hive process on ``thread``, save it as a template, approve, and return the answer."""
    designer.run_turn(thread, HIVE)
    asked = designer.run_turn(thread, "save this as a template")
    assert asked[-1].content.startswith("Save 'Hive Cleaning'"), asked[-1].content
    return designer.run_turn(thread, "yes")[-1].content


def _cli(monkeypatch: pytest.MonkeyPatch, data_dir: Path, capsys: pytest.CaptureFixture[str],
         *args: str) -> tuple[int, str, str]:
    """``process-designer ARGS`` on ``data_dir`` with the key: the exit code, standard output and error."""
    monkeypatch.setenv("PD_DATA_DIR", str(data_dir))
    monkeypatch.setenv("PD_ENCRYPTION_KEY", KEY)
    monkeypatch.delenv("PD_CHROMA_URL", raising=False)
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_local_users_saved_template_is_listed_and_shown_where_the_answer_says(
        sealed: tuple[Designer, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    designer, data_dir = sealed
    reply = _save(designer, "local-save")
    assert reply == (f"Saved as the template '{TEMPLATE_ID}'; "
                     f"`process-designer templates show {TEMPLATE_ID}` prints it.")
    assert not (data_dir / "templates" / f"{TEMPLATE_ID}.toml").exists()  # sealed in the database
    monkeypatch.chdir(tmp_path)

    code, out, err = _cli(monkeypatch, data_dir, capsys, "templates", "show", TEMPLATE_ID)
    assert code == 0, err
    assert out.startswith(f"<!-- template {TEMPLATE_ID} · ")
    assert "# Hive Cleaning - Process Documentation" in out

    code, out, _ = _cli(monkeypatch, data_dir, capsys, "templates", "list", "--format", "json")
    listed = {item["id"]: item for item in json.loads(out)}
    assert code == 0 and listed[TEMPLATE_ID]["own"] is True and listed["refund-request"]["own"] is False
    code, out, _ = _cli(monkeypatch, data_dir, capsys, "templates", "list")
    assert out.rstrip().endswith(f"{len(listed)} templates (1 of them tenant local's own)")

    # Another tenant's view of the same data has neither the listing nor the template.
    code, out, _ = _cli(monkeypatch, data_dir, capsys, "templates", "list", "--format", "json", "--tenant", "acme")
    assert TEMPLATE_ID not in {item["id"] for item in json.loads(out)}
    code, _, err = _cli(monkeypatch, data_dir, capsys, "templates", "show", TEMPLATE_ID, "--tenant", "acme")
    assert code == 1 and f"no template with id '{TEMPLATE_ID}'" in err


def test_another_tenants_saved_template_is_pointed_to_on_the_rest_api(sealed: tuple[Designer, Path]) -> None:
    designer, _ = sealed
    acting_as(Principal(subject="ann", tenant="acme"))
    reply = _save(designer, "acme-save")
    assert reply == (f"Saved as the template '{TEMPLATE_ID}'; it is your tenant's only: your designs and "
                     f"template searches use it, and `GET /api/v1/process-designer/templates/{TEMPLATE_ID}` "
                     "returns it.")
    templates = designer.deps.templates()
    assert templates is not None and templates.get(TEMPLATE_ID).title == "Hive Cleaning"
    acting_as(Principal(subject="bob", tenant="globex"))
    assert TEMPLATE_ID not in {hit.template.id for hit in templates.search("hive cleaning", top=5)}
