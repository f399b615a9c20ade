"""The steps of an integration's run (extract, map, load, write back, reconcile, review failures) for a Requirement.

What the user says about the integration's configuration (systems, mapping rows, authentication,
schedule, limits, the error queue) goes into its :class:`IntegrationSpec`, not into steps; the
steps are what happens on every run. Steps the user describes that configure nothing ("verify the
signature") are kept; when there are enough of them they are the process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from process_designer.domain.flow import sequential
from process_designer.domain.models import Decision, IntegrationSpec, Requirement, RequirementStep
from process_designer.integration.lexicon import cues, known_systems, matches
from process_designer.integration.mapping import is_mapping_sentence
from process_designer.integration.policies import rate_limit_spans, retries, schedule
from process_designer.integration.reader import read_integration
from process_designer.integration.spans import clauses, inside, system_mentions
from process_designer.language.pipeline import english

if TYPE_CHECKING:
    from spacy.tokens import Span

__all__ = ["MIN_OWN_STEPS", "RUN_PERFORMER", "connector_id", "integration_requirement", "named_system_label",
           "run_steps"]

MIN_OWN_STEPS = 3  # user steps that configure nothing and are this many or more are the process itself
RUN_PERFORMER = "Integration Service"  # who runs a step nobody is named for: the integration itself


def connector_id(system: str) -> str:
    """The SPy connector name of a system the user named: ``"Amazon S3"`` → ``amazon_s3``."""
    return "_".join(system.lower().replace("-", " ").split())


def named_system_label(connector: str) -> str | None:
    """The name a user gives the system behind ``connector`` (``netsuite`` → ``NetSuite``), if it is one."""
    return next((s.name for s in known_systems() if connector_id(s.name) == connector and not s.generic), None)


def _configures(sentence: Span) -> bool:
    """Whether ``sentence`` states configuration: mapping rows, authentication, schedule, limits, the
    error queue or retries, a direction, or what flows between two systems."""
    if is_mapping_sentence(sentence.text) or retries(sentence) is not None:
        return True
    doc = sentence.doc
    flows = any(t.lemma_.lower() in cues().flow_verbs or t.lower_ in cues().flow_verbs for t in sentence)
    systems = {m.name for m in system_mentions(doc) if inside(m.span, sentence)}
    if schedule(sentence) and systems:  # "sync Salesforce … every 15 minutes", not "sends a daily summary"
        return True
    if any(inside(span, sentence) for kind in ("auth", "queue", "two_way", "one_way", "backoff")
           for _, span in matches(doc, kind)):
        return True
    if any(inside(limit, sentence) for limit in rate_limit_spans(doc)):
        return True
    return flows and len(systems) >= 2


def _verb_clauses(sentence: Span) -> list[Span]:
    """``sentence`` cut where a coordinated verb starts a clause of its own ("… go to a queue and the steward
    sends a summary" → two), each clause the stretch of tokens its verb governs."""
    heads = [sentence.root, *(t for t in sentence if t.dep_ == "conj" and t.pos_ in ("VERB", "AUX")
                              and t.head.pos_ in ("VERB", "AUX"))]
    groups: dict[int, list[int]] = {head.i: [] for head in heads}
    for token in sentence:
        if token.is_punct or token.dep_ == "cc":
            continue
        owner = token
        while owner.i not in groups and owner.head.i != owner.i:
            owner = owner.head
        groups.get(owner.i, groups[sentence.root.i]).append(token.i)
    doc = sentence.doc
    return [doc[min(found):max(found) + 1] for found in groups.values() if found]


def _words(name: str) -> list[str]:
    return [w.lower().strip(".,;:") for w in name.split() if len(w) > 2]


def _run_names(spec: IntegrationSpec) -> list[list[str]]:
    """The words of the run's own step names that a user step could repeat ("review the queue")."""
    recovery = spec.recovery
    names = ["extract records", "load records", "reconcile counts"]
    if recovery is not None and recovery.queue:
        names.append(f"review {recovery.queue}")
    return [_words(name) for name in names]


def _repeats(step: RequirementStep, run: list[list[str]]) -> bool:
    """Whether ``step`` is one the run already has: every word of its name in one run step's name."""
    words = _words(step.name)
    return any(words and all(any(r.startswith(w) or w.startswith(r) for r in name) for w in words) for name in run)


def _restates_configuration(step: RequirementStep, configuration: list[str]) -> bool:
    """Whether every word of ``step``'s name appears in one configuration sentence (so it came from there)."""
    words = _words(step.name)
    return any(words and all(any(t.startswith(w) or w.startswith(t) for t in sentence) for w in words)
               for sentence in (c.lower().split() for c in configuration))


def _step(name: str, description: str, systems: list[str], actor: str | None = RUN_PERFORMER,
          decisions: list[Decision] | None = None) -> RequirementStep:
    """A step of the run; ``actor`` ``None`` leaves the performer to the writer (a person nobody named)."""
    stated = actor not in (None, RUN_PERFORMER)
    return RequirementStep(name=name, description=description, actor=actor,
                           systems=[connector_id(s) for s in systems], decisions=decisions or [],
                           source="inferred", performer_source="stated" if stated else "assumed")


def run_steps(spec: IntegrationSpec, own: Sequence[RequirementStep] = (), validate: bool = False) -> list[RequirementStep]:
    """One run of ``spec``: receive or extract, map, [validate], load, the user's ``own`` steps, write back each
    reverse flow, reconcile and report, review failures."""
    flows = spec.flows
    forward = flows[0] if flows else None
    source = forward.source if forward else spec.systems[0]
    target = forward.target if forward else spec.systems[1]
    objects = forward.objects if forward else "records"
    arrives = forward.target_objects if forward and forward.target_objects else objects
    steps: list[RequirementStep] = []
    run = _run_names(spec)
    if spec.trigger is not None and spec.trigger.kind == "webhook":
        steps.append(_step(f"Receive {objects} webhook", f"Receive the {spec.trigger.text} from {source} and "
                           "acknowledge it", [source]))
    else:
        steps.append(_step(f"Extract {objects} from {source}",
                           f"Read the {objects} changed in {source} since the last successful run", [source]))
    rows = len(spec.data_mapping)
    steps.append(_step(f"Transform {objects} into {arrives}" if arrives != objects else f"Transform {objects} fields",
                       f"Transform the {objects} with the data mapping ({rows} field{'s' if rows != 1 else ''})", []))
    if validate:
        steps.append(_step("Validate mapped records", "Check required fields and formats; set failed records aside",
                           []))
    steps.append(_step(f"Load {arrives} into {target}", f"Create or update the {arrives} in {target}, keyed so a "
                       "repeated run changes nothing", [target]))
    steps.extend(step.model_copy() for step in own if not _repeats(step, run))
    steps.extend(_step(f"Sync {flow.objects} back to {flow.target}",
                       f"Read the {flow.objects} from {flow.source} and write it to {flow.target}",
                       [flow.source, flow.target]) for flow in flows[1:])
    recovery = spec.recovery
    queue = recovery.queue if recovery and recovery.queue else ""
    review = Decision(text=f"Records failed and are in the {queue}", subject="failed_records", operator=">", value=0,
                      if_true=f"review the {queue}", if_false="close the run") if queue else None
    steps.append(_step("Reconcile record counts", f"Compare the counts in {source} and {target}, and "
                       "report what was extracted, loaded and rejected", [source, target],
                       decisions=[review] if review else None))
    if recovery is not None and queue:
        when = f" {recovery.review_frequency}" if recovery.review_frequency else ""
        steps.append(_step(f"Review {queue}", f"Review the records in the {queue}{when}, fix them at the source and "
                           "replay them", [], actor=recovery.reviewer or None))
    for number, step in enumerate(steps):
        step.depends_on = [number] if number else []
    return steps


def _purpose(spec: IntegrationSpec) -> str:
    what = " and ".join(dict.fromkeys(flow.objects for flow in spec.flows)) or "records"
    when = f", {spec.trigger.text}" if spec.trigger is not None and spec.trigger.kind == "schedule" else ""
    return (f"Keep {what} consistent between {' and '.join(spec.systems)} ({spec.direction}{when}), with every "
            "failed record retried, parked and reviewed")


def integration_requirement(requirement: Requirement) -> Requirement:
    """``requirement`` with the integration its text describes: the spec, the kind, and the run's steps.

    Unchanged when the text describes no integration. Steps that only restate configuration (a
    mapping line, "authenticate to …", "sync X to Y every 15 minutes") are dropped; the user's
    other steps stay and, when there are at least :data:`MIN_OWN_STEPS` of them, remain the process.
    """
    spec = read_integration(requirement.text)
    if spec is None:
        return requirement
    doc = english()(requirement.text)
    configuration = [part.text for clause in clauses(doc) for part in _verb_clauses(clause) if _configures(part)]
    configuration += [line for line in requirement.text.splitlines() if is_mapping_sentence(line)]
    own = [s for s in requirement.steps if s.source == "user" and not _restates_configuration(s, configuration)
           and not _configures(english()(s.description)[:])]
    if len(own) >= MIN_OWN_STEPS:  # renumbered without the dropped lines: each step follows the one before
        steps = [step.model_copy(update={"depends_on": [number] if number else []}) for number, step in enumerate(own)]
    else:
        validate = any(t.lemma_.lower() in ("validate", "validation") for t in doc)
        steps = run_steps(spec, own, validate=validate)
    systems = [connector_id(s) for s in spec.systems]
    purpose = requirement.purpose
    if not purpose or any(purpose.strip(" .") in line for line in configuration):
        purpose = _purpose(spec)  # the analyst took a configuration line ("Authenticate to …") for the purpose
    flow = requirement.flow if steps == requirement.steps else sequential(
        (number, step.name, step.actor) for number, step in enumerate(steps, start=1))
    title = requirement.title
    if title in ("", "Process"):  # the text named no process: the integration names itself by its systems
        title = f"{' and '.join(spec.systems)} Integration"
    return requirement.model_copy(update={
        "title": title,
        "purpose": purpose,
        "kind": "integration",
        "integration": spec,
        "steps": steps,
        "flow": flow,
        "systems": list(dict.fromkeys([*systems, *(s for step in steps for s in step.systems)])),
        "decisions": [d for s in steps for d in s.decisions],
        "actors": list(dict.fromkeys(s.actor for s in steps if s.actor)),
    })
