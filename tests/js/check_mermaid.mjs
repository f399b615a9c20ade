// Parse Mermaid text with the mermaid package under jsdom; print its nodes and edges as JSON, exit 1 if it does not parse.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const path = process.argv[2];
if (!path) {
  console.error("usage: node check_mermaid.mjs FILE.mmd");
  process.exit(2);
}
// mermaid sanitises labels with DOMPurify, which needs a window; jsdom supplies one without a browser.
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

const text = readFileSync(path, "utf8");
try {
  const { diagramType } = await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const vertices = [...diagram.db.getVertices().values()];
  console.log(JSON.stringify({
    diagramType,
    nodes: vertices.map((v) => ({ id: v.id, shape: v.type, label: v.text })),
    edges: diagram.db.getEdges().map((e) => ({ from: e.start, to: e.end, label: e.text })),
  }));
} catch (error) {
  console.error(`${path}: mermaid cannot parse it: ${error.message}`);
  process.exit(1);
}
