"""The web page end to end in headless Chromium: design a process, see it, change it, see the new version;
and, when the service asks for a token, sign in first."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_harness import TURN_TIMEOUT, Running, hs256
from playwright.sync_api import Browser, Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"  # Debian's package; scripts/ensure_chromium.sh installs it
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=ARGS, headless=True,
            viewport={"width": 1366, "height": 860})
        assert context.browser is not None
        try:
            yield context.browser
        finally:
            context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.contexts[0]
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:")) else None)
    yield page
    page.close()
    assert outside == [], f"the page fetched from outside the app: {outside}"


def test_design_and_change_a_process_in_the_browser(page: Page, server: Running, artifacts: Path) -> None:
    timeout = TURN_TIMEOUT * 1000
    page.goto(server.base + "/")
    expect(page).to_have_title("Process Designer")
    page.fill("#title", "Refund Requests")
    page.fill("#requirements", "Create a process for processing refund requests: check the order in the "
                               "CRM, approve refunds over 500 EUR by a manager, refund in the billing system "
                               "and e-mail the customer.")
    page.fill("#domain", "E-commerce")
    page.select_option("#complexity", "medium")
    page.fill("#integrations", "crm, billing, email")
    page.click("#start")

    expect(page.locator("#doc h1")).to_contain_text("Process Documentation", timeout=timeout)
    expect(page.locator("#chat li.stage")).to_have_count(5)
    expect(page.locator("#chat li.stage").first).to_have_text(re.compile(r"^route_turn: "))
    expect(page.locator("#doc h2").first).to_have_text("Overview")
    expect(page.locator("#doc pre code.lang-spy").first).to_contain_text("define Step1Handler")
    expect(page.locator("#versions li")).to_have_count(1)

    # The process as a diagram the service draws: one task per step, each linked to its step below.
    expect(page.locator("#diagram-canvas svg")).to_be_visible()
    steps = page.locator("#doc h3[id^=step-]").count()
    assert steps >= 3
    expect(page.locator("#diagram-canvas svg [data-step]")).to_have_count(steps)
    expect(page.locator("#diagram-canvas svg .pd-lane")).not_to_have_count(0)
    expect(page.locator("#step-3")).not_to_be_in_viewport()
    page.locator('#diagram-canvas [data-step="3"]').click()
    expect(page.locator("#step-3")).to_be_in_viewport()
    page.locator('#diagram-canvas [data-step="1"]').focus()
    page.keyboard.press("Enter")
    expect(page.locator("#step-1")).to_be_in_viewport()

    page.click("[data-tab=code]")
    expect(page.locator("#code")).to_contain_text("define Step1Handler")
    expect(page.locator("#code span.kw").first).to_have_text("define")
    page.click("[data-tab=tests]")
    expect(page.locator("#test-summary")).to_have_text(re.compile(r"^\d+ passed, 0 failed$"))
    page.click("[data-tab=quality]")
    expect(page.locator("#quality-score")).to_have_text(re.compile(r"^Quality (0\.\d\d|1\.00)$"))
    md_href = page.get_attribute("#download-md", "href")
    assert md_href is not None and md_href.endswith("/process?format=md")
    spy_name = page.get_attribute("#download-spy", "download")
    assert spy_name is not None and re.fullmatch(r"[a-z0-9-]+\.spy", spy_name)

    page.focus("#message")
    page.keyboard.type("Add a step to send a satisfaction survey after the refund")
    page.keyboard.press("Enter")
    expect(page.locator("#versions li")).to_have_count(2, timeout=timeout)
    page.click("[data-tab=history]")
    expect(page.locator("#versions li").nth(1)).to_contain_text("Version 2")
    expect(page.locator("#diff .add").first).to_be_visible()
    expect(page.locator("#diff")).to_contain_text("satisfaction survey")
    expect(page.locator("#chat li.assistant")).to_have_count(2)
    page.screenshot(path=str(artifacts / "web-page-design.png"), full_page=True)
    page.click("[data-tab=doc]")
    expect(page.locator("#doc")).to_contain_text("satisfaction survey")
    expect(page.locator("#diagram-canvas svg [data-step]")).to_have_count(steps + 1)  # the diagram follows the chat
    expect(page.locator("#diagram-canvas svg")).to_contain_text("satisfaction survey")
    page.screenshot(path=str(artifacts / "web-page-document.png"), full_page=True)
    # Authentication is off: the page never asked for a key.
    for hidden in ("#sign-in", "#signed-in", "#auth-error"):
        expect(page.locator(hidden)).to_be_hidden()


def test_the_page_asks_for_a_key_when_the_service_needs_one(page: Page, secured: Running, artifacts: Path) -> None:
    timeout = TURN_TIMEOUT * 1000
    page.goto(secured.base + "/")
    expect(page.locator("#sign-in")).to_be_visible()
    expect(page.locator("#start")).to_be_disabled()
    expect(page.locator("#status")).to_have_text("Sign in to continue")
    expect(page.locator("#auth-error")).to_be_hidden()

    page.fill("#token", "pdk-not-a-key")
    page.click("#sign-in-button")
    expect(page.locator("#auth-error")).to_have_text(
        "The service refused this key: the bearer token is not a known API key or a JWT")
    expect(page.locator("#sign-in")).to_be_visible()
    page.screenshot(path=str(artifacts / "web-page-sign-in-refused.png"), full_page=True)

    token = hs256("acme")
    page.fill("#token", token)
    page.click("#sign-in-button")
    expect(page.locator("#signed-in")).to_have_text(re.compile(r"^Signed in as alice \(acme\)\s+Sign out$"))
    expect(page.locator("#sign-in")).to_be_hidden()
    expect(page.locator("#auth-error")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('process-designer.token')") == token

    page.fill("#title", "Refund Requests")
    page.fill("#requirements", "Create a process for processing refund requests: check the order in the "
                               "CRM, refund in the billing system and e-mail the customer.")
    page.click("#start")
    # The stages stream only over the WebSocket, which carried the token as its subprotocol.
    expect(page.locator("#doc h1")).to_contain_text("Process Documentation", timeout=timeout)
    expect(page.locator("#chat li.stage")).to_have_count(5)
    expect(page.locator("#versions li")).to_have_count(1)
    expect(page.locator("#chat li.error")).to_have_count(0)
    with page.expect_download() as downloading:
        page.click("#download-md")
    download = downloading.value
    assert re.fullmatch(r"[a-z0-9-]+\.md", download.suggested_filename)
    assert Path(download.path()).read_text(encoding="utf-8").startswith("# ")
    page.screenshot(path=str(artifacts / "web-page-signed-in.png"), full_page=True)

    page.reload()  # the key is kept for the browser session
    expect(page.locator("#signed-in")).to_contain_text("Signed in as alice (acme)")
    expect(page.locator("#start")).to_be_enabled()

    page.click("#sign-out")
    expect(page.locator("#sign-in")).to_be_visible()
    expect(page.locator("#auth-error")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('process-designer.token')") is None

    # A key the service stops accepting (here an expired JWT) sends the person back to sign in.
    page.evaluate(f"sessionStorage.setItem('process-designer.token', '{hs256('acme', expires_in=-60)}')")
    page.reload()
    expect(page.locator("#auth-error")).to_have_text("The service refused this key: the JWT has expired; get a new token")
    expect(page.locator("#sign-in")).to_be_visible()
