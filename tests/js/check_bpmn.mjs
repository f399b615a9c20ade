// Read a BPMN 2.0 file with bpmn-moddle; print what it holds as JSON and exit 1 on any error or warning.
import { readFileSync } from "node:fs";
import { BpmnModdle } from "bpmn-moddle";

const path = process.argv[2];
if (!path) {
  console.error("usage: node check_bpmn.mjs FILE.bpmn");
  process.exit(2);
}
const moddle = new BpmnModdle();
try {
  const { rootElement, warnings } = await moddle.fromXML(readFileSync(path, "utf8"));
  const elements = rootElement.rootElements
    .filter((e) => e.$type === "bpmn:Process")
    .flatMap((p) => p.flowElements || []);
  console.log(JSON.stringify({
    warnings: warnings.map((w) => w.message),
    tasks: elements.filter((e) => e.$instanceOf("bpmn:Task")).map((e) => e.name),
    exclusiveGateways: elements.filter((e) => e.$type === "bpmn:ExclusiveGateway").map((e) => e.name),
    parallelGateways: elements.filter((e) => e.$type === "bpmn:ParallelGateway").length,
    sequenceFlows: elements.filter((e) => e.$type === "bpmn:SequenceFlow").length,
    diagramShapes: (rootElement.diagrams || [])
      .flatMap((d) => d.plane.planeElement || []).filter((e) => e.$type === "bpmndi:BPMNShape").length,
  }));
  process.exit(warnings.length ? 1 : 0);
} catch (error) {
  console.error(`${path}: not BPMN 2.0 that bpmn-moddle can read: ${error.message}`);
  process.exit(1);
}
