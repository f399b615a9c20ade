// Process Designer page: start a session, chat over the WebSocket, show the process as it changes.
"use strict";

const API = "/api/v1/process-designer";
const $ = (id) => document.getElementById(id);
const state = { session: null, thread: null, ws: null, wsUrl: null, busy: false, versions: [] };
// The key or token lives for this browser tab's session only; `required` once the service asks for one.
const TOKEN_KEY = "process-designer.token";
const auth = { required: false, token: sessionStorage.getItem(TOKEN_KEY) };

// -- rendering helpers -------------------------------------------------------------------------

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function inline(text) {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
}

const SPY_TOKEN = /(#[^\n]*)|("(?:[^"\\\n]|\\.)*")|\b(define|if|else|for|in|while|try|catch|return|raise|not|and|or|null|true|false|test|assert|break|continue)\b|\b(\d+(?:\.\d+)?)\b/g;

function highlightSpy(source) {
  let html = "";
  let last = 0;
  for (const match of source.matchAll(SPY_TOKEN)) {
    html += escapeHtml(source.slice(last, match.index));
    const cls = match[1] ? "com" : match[2] ? "str" : match[3] ? "kw" : "num";
    html += `<span class="${cls}">${escapeHtml(match[0])}</span>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(source.slice(last));
}

function tableRow(line, cell) {
  const cells = line.trim().replace(/^\|/, "").replace(/\|$/, "").split("|");
  return "<tr>" + cells.map((c) => `<${cell}>${inline(c.trim())}</${cell}>`).join("") + "</tr>";
}

// A small markdown renderer: headings, lists, bold, inline code, tables, code fences, paragraphs.
function renderMarkdown(text) {
  const lines = text.split("\n");
  const out = [];
  let list = null;
  const closeList = () => { if (list) { out.push(`</${list}>`); list = null; } };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = line.match(/^```(\w*)\s*$/);
    if (fence) {
      closeList();
      const body = [];
      while (++i < lines.length && !/^```\s*$/.test(lines[i])) body.push(lines[i]);
      const code = body.join("\n");
      const html = fence[1] === "spy" ? highlightSpy(code) : escapeHtml(code);
      out.push(`<pre><code class="lang-${fence[1] || "text"}">${html}</code></pre>`);
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    if (heading) {
      closeList();
      const level = heading[1].length;
      // "### Step 3: …" gets the anchor the diagram's task 3 links to.
      const step = level === 3 && heading[2].match(/^Step (\d+):/);
      const id = step ? ` id="step-${step[1]}"` : "";
      out.push(`<h${level}${id}>${inline(heading[2])}</h${level}>`);
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(line) && i + 1 < lines.length && /^\s*\|[\s:|-]+\|\s*$/.test(lines[i + 1])) {
      closeList();
      const rows = [tableRow(line, "th")];
      i += 1;
      while (i + 1 < lines.length && /^\s*\|.*\|\s*$/.test(lines[i + 1])) rows.push(tableRow(lines[++i], "td"));
      out.push(`<table><thead>${rows[0]}</thead><tbody>${rows.slice(1).join("")}</tbody></table>`);
      continue;
    }
    const bullet = line.match(/^\s*[-*]\s+(.*)$/);
    const numbered = line.match(/^\s*\d+\.\s+(.*)$/);
    if (bullet || numbered) {
      const kind = bullet ? "ul" : "ol";
      if (list !== kind) { closeList(); out.push(`<${kind}>`); list = kind; }
      out.push(`<li>${inline((bullet || numbered)[1])}</li>`);
      continue;
    }
    closeList();
    if (line.trim()) out.push(`<p>${inline(line)}</p>`);
  }
  closeList();
  return out.join("\n");
}

function renderDiff(text) {
  return text.split("\n").map((line) => {
    const cls = line.startsWith("+++") || line.startsWith("---") ? "hunk"
      : line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : line.startsWith("@@") ? "hunk" : "";
    return cls ? `<span class="${cls}">${escapeHtml(line)}</span>` : escapeHtml(line) + "\n";
  }).join("");
}

// -- talking to the server ---------------------------------------------------------------------

// Raised when the service refused the key; the sign-in line already says so, the chat stays quiet.
class SignInRequired extends Error {}

function report(error) {
  if (!(error instanceof SignInRequired)) addChat("error", error.message);
}

function authorization(token = auth.token) {
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function api(path, options = {}) {
  const token = auth.token;
  const response = await fetch(API + path, {
    ...options, headers: { "content-type": "application/json", ...authorization(token) },
  });
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (response.status === 401) {
    requireSignIn(token ? refusedLine(body.detail) : "");
    throw new SignInRequired(body.detail);
  }
  if (!response.ok) throw new Error(body.detail || `${response.status} ${response.statusText}`);
  return body;
}

// -- signing in (only when the service asks for a token) ---------------------------------------

// A WebSocket subprotocol must be an HTTP token; JWTs and generated keys are.
const SUBPROTOCOL_SAFE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function refusedLine(detail) {
  return `The service refused this key: ${detail || "it is not valid"}`;
}

function showAuthError(line) {
  $("auth-error").textContent = line;
  $("auth-error").hidden = !line;
}

function requireSignIn(line) {
  auth.required = true;
  auth.token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  const ws = state.ws;
  state.ws = null;
  if (ws) ws.close();
  setBusy(false);
  $("start").disabled = true;
  $("send").disabled = true;
  $("message").disabled = true;
  $("signed-in").hidden = true;
  $("sign-in").hidden = false;
  showAuthError(line);
  setStatus("Sign in to continue");
  $("token").focus();
}

async function showSignedIn(who) {
  $("who").textContent = `${who.subject} (${who.tenant})`;
  $("sign-in").hidden = true;
  $("signed-in").hidden = false;
  $("start").disabled = false;
  showAuthError("");
  setBusy(false);
  if (state.session && !state.ws) state.ws = await openChat(state.wsUrl);
}

async function whoami(token) {
  const response = await fetch(`${API}/whoami`, { headers: authorization(token) });
  const body = await response.json();
  if (response.status === 401) return { refused: body.detail };
  if (!response.ok) throw new Error(body.detail || `${response.status} ${response.statusText}`);
  return body;
}

async function checkSignIn() {
  const stored = auth.token;
  const who = await whoami(stored);
  if (who.refused !== undefined) {
    requireSignIn(stored ? refusedLine(who.refused) : "");
  } else if (who.authentication) {
    await showSignedIn(who);
  } else if (stored) {
    // The service no longer asks for a token: offering one to the chat would now fail the handshake.
    auth.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

async function signIn(event) {
  event.preventDefault();
  const token = $("token").value.trim();
  if (!token) return;
  if (!SUBPROTOCOL_SAFE.test(token)) {
    showAuthError("This key has characters a browser cannot send to the chat (only letters, digits and !#$%&'*+-.^_`|~)");
    return;
  }
  $("sign-in-button").disabled = true;
  try {
    const who = await whoami(token);
    if (who.refused !== undefined) {
      showAuthError(refusedLine(who.refused));
      return;
    }
    auth.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
    $("token").value = "";
    await showSignedIn(who);
  } catch (error) {
    showAuthError(`Could not sign in: ${error.message}`);
  } finally {
    $("sign-in-button").disabled = false;
  }
}

function signOut() {
  // Reloading drops the session, the chat and the process shown along with the key.
  sessionStorage.removeItem(TOKEN_KEY);
  window.location.reload();
}

// A plain link cannot carry the token: fetch the file with it and hand the browser the bytes.
async function download(event) {
  if (!auth.token) return;
  event.preventDefault();
  const link = event.currentTarget;
  const response = await fetch(link.href, { headers: authorization() });
  if (response.status === 401) {
    requireSignIn(refusedLine((await response.json()).detail));
    return;
  }
  if (!response.ok) throw new Error(`the download failed: ${response.status} ${response.statusText}`);
  const url = URL.createObjectURL(await response.blob());
  const save = document.createElement("a");
  save.href = url;
  save.download = link.getAttribute("download") || "";
  save.click();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function setStatus(text) { $("status").textContent = text; }

function setBusy(busy) {
  state.busy = busy;
  $("send").disabled = busy || !state.session;
  $("message").disabled = !state.session;
  setStatus(busy ? "Designing…" : state.session ? `Session ${state.session}` : "No session");
}

function addChat(kind, text, agent) {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = agent ? `${agent}: ${text}` : text;
  $("chat").append(item);
  item.scrollIntoView({ block: "end" });
}

function firstLines(text, count) {
  const lines = text.split("\n").filter((line) => line.trim());
  const head = lines.slice(0, count).join("\n");
  return lines.length > count ? head + "\n…" : head;
}

function onFrame(event) {
  const frame = JSON.parse(event.data);
  if (frame.error) {
    addChat("error", frame.detail);
    setBusy(false);
    return;
  }
  if (!frame.final) {
    addChat("stage", firstLines(frame.content, 1), frame.agent);
    return;
  }
  addChat("assistant", firstLines(frame.content, 3));
  setBusy(false);
  refresh().catch(report);
}

function openChat(url) {
  return new Promise((resolve, reject) => {
    // Browsers cannot set headers on a WebSocket: the token travels as the subprotocols "bearer, <token>".
    const ws = auth.token ? new WebSocket(url, ["bearer", auth.token]) : new WebSocket(url);
    ws.onmessage = onFrame;
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error("the chat connection failed; reload the page to reconnect"));
    ws.onclose = (event) => {
      if (event.code === 1008) {
        requireSignIn(refusedLine(event.reason));
      } else if (state.ws === ws) {
        state.ws = null;
        setStatus("Chat disconnected; reload to reconnect");
      }
    };
  });
}

async function startSession(event) {
  event.preventDefault();
  const requirements = $("requirements").value.trim();
  const context = {};
  if ($("domain").value.trim()) context.business_domain = $("domain").value.trim();
  if ($("complexity").value) context.complexity = $("complexity").value;
  const integrations = $("integrations").value.split(",").map((s) => s.trim()).filter(Boolean);
  if (integrations.length) context.integrations = integrations;
  $("start").disabled = true;
  try {
    const created = await api("/sessions", {
      method: "POST",
      body: JSON.stringify({ title: $("title").value.trim(), requirements, context }),
    });
    state.session = created.session_id;
    state.thread = created.thread_id;
    state.wsUrl = created.websocket_url;
    $("chat").replaceChildren();
    if (state.ws) state.ws.close();
    if (requirements) addChat("user", requirements);
    setBusy(Boolean(requirements));
    state.ws = await openChat(created.websocket_url);
    $("download-md").href = `${API}/sessions/${state.session}/process?format=md`;
    $("download-spy").href = `${API}/sessions/${state.session}/process?format=spy`;
    $("message").focus();
  } catch (error) {
    report(error);
    if (!(error instanceof SignInRequired)) setBusy(false);
  } finally {
    $("start").disabled = auth.required && !auth.token;
  }
}

function sendMessage(event) {
  if (event) event.preventDefault();
  const content = $("message").value.trim();
  if (!content || state.busy || !state.ws) return;
  const id = crypto.randomUUID ? crypto.randomUUID() : `msg-${Date.now()}`;
  state.ws.send(JSON.stringify({ thread_id: state.thread, role: "USER", content, client_msg_id: id }));
  addChat("user", content);
  $("message").value = "";
  setBusy(true);
}

// -- the process views -------------------------------------------------------------------------

function renderTests(spy) {
  const ok = spy.tests_failed === 0;
  const diagnostics = spy.diagnostics.length
    ? "<ul>" + spy.diagnostics.map((d) => `<li>${escapeHtml(d)}</li>`).join("") + "</ul>"
    : "<p class=\"muted\">No check diagnostics.</p>";
  $("tests").innerHTML =
    `<p class="score ${ok ? "pass" : "fail"}" id="test-summary">${spy.tests_passed} passed, ${spy.tests_failed} failed</p>` +
    `<h3>Diagnostics</h3>${diagnostics}<h3>Test program</h3><pre class="code">${highlightSpy(spy.tests)}</pre>`;
}

function renderQuality(quality) {
  const parts = ["completeness", "clarity", "best_practices", "code"]
    .map((k) => `<tr><th>${k.replace("_", " ")}</th><td>${quality[k].toFixed(2)}</td></tr>`).join("");
  const list = (items, empty) => items.length
    ? "<ul>" + items.map((f) => `<li>${escapeHtml(f)}</li>`).join("") + "</ul>" : `<p class="muted">${empty}</p>`;
  $("quality").innerHTML =
    `<p class="score" id="quality-score">Quality ${quality.score.toFixed(2)}</p><table>${parts}</table>` +
    `<h3>Findings</h3>${list(quality.findings, "No findings.")}` +
    `<h3>Fixed in review (${quality.revisions} revision(s))</h3>${list(quality.fixed, "Nothing needed fixing.")}`;
}

async function showDiff(from, to) {
  const diff = await api(`/sessions/${state.session}/process/versions/${from}/diff/${to}`);
  $("diff").innerHTML = diff.diff ? renderDiff(diff.diff) : "No differences.";
}

function renderVersions(versions) {
  const list = $("versions");
  list.replaceChildren();
  for (const version of versions) {
    const item = document.createElement("li");
    item.textContent = `Version ${version.number} · ${version.created_at} · ${version.summary}`;
    if (version.number > 1) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `Diff ${version.number - 1} → ${version.number}`;
      button.addEventListener("click", () => showDiff(version.number - 1, version.number)
        .catch(report));
      item.append(button);
    }
    list.append(item);
  }
}

// -- the diagram: an SVG the service draws from the process graph; each task links to its step -----

function showStep(number) {
  const heading = $(`step-${number}`);
  if (!heading) return;
  heading.scrollIntoView({ block: "start", behavior: "smooth" });
  heading.classList.add("highlight");
  setTimeout(() => heading.classList.remove("highlight"), 1500);
}

function showDiagram(text) {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = parsed.documentElement;
  if (svg.nodeName !== "svg" || parsed.getElementsByTagName("parsererror").length) {
    $("diagram").hidden = true;
    return;
  }
  const drawn = document.importNode(svg, true);
  for (const task of drawn.querySelectorAll("[data-step]")) {
    const open = () => showStep(task.dataset.step);
    task.addEventListener("click", open);
    task.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); open(); }
    });
  }
  $("diagram-canvas").replaceChildren(drawn);
  $("diagram").hidden = false;
}

async function refresh() {
  if (!state.session) return;
  const [process, listed, diagram] = await Promise.all([
    api(`/sessions/${state.session}/process`),
    api(`/sessions/${state.session}/process/versions`),
    api(`/sessions/${state.session}/process.svg`),
  ]);
  showDiagram(diagram);
  $("doc").innerHTML = renderMarkdown(process.markdown);
  $("code").innerHTML = highlightSpy(process.document.spy.program);
  renderTests(process.document.spy);
  renderQuality(process.document.quality);
  renderVersions(listed.versions);
  const count = listed.versions.length;
  if (count > 1) await showDiff(count - 1, count);
  const name = (process.document.title || "process").toLowerCase().replace(/[^a-z0-9]+/g, "-");
  $("download-md").setAttribute("download", `${name}.md`);
  $("download-spy").setAttribute("download", `${name}.spy`);
  $("download-md").setAttribute("aria-disabled", "false");
  $("download-spy").setAttribute("aria-disabled", "false");
}

function selectTab(name) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(selected));
    $(`tab-${tab.dataset.tab}`).hidden = !selected;
  }
}

$("start-form").addEventListener("submit", startSession);
$("sign-in").addEventListener("submit", signIn);
$("sign-out").addEventListener("click", signOut);
for (const link of [$("download-md"), $("download-spy")]) {
  link.addEventListener("click", (event) => download(event).catch(report));
}
$("send-form").addEventListener("submit", sendMessage);
$("message").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) sendMessage(event);
});
$("requirements").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("start-form").requestSubmit();
});
for (const tab of document.querySelectorAll("[role=tab]")) {
  tab.addEventListener("click", () => selectTab(tab.dataset.tab));
}
checkSignIn().catch((error) => showAuthError(`Could not reach the service: ${error.message}`));
