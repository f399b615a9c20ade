"""Frames → the process model: steps in the order they run and the graph that routes them.

Conditions that follow one another form one exclusive gateway with the branches the text gives
("if … otherwise …", tiers, "X rejects it or confirms it"); a condition with no alternative gets a
branch that goes on to the next step, never an invented action. "In parallel", "meanwhile", "while"
put a step beside the one before it; "sent back", "repeated", "again" and "until" make loops.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from process_designer.domain.flow import FlowBuilder, ProcessFlow, Rule
from process_designer.language import wordforms
from process_designer.language.conditions import Condition, qualified, read_condition
from process_designer.language.forms import snake, verb_of_noun
from process_designer.language.frames import Frame
from process_designer.language.lexicon import lexicon

__all__ = ["Block", "Branch", "Model", "build_model"]


@dataclass
class Branch:
    condition: Condition | None
    blocks: list[Block] = field(default_factory=list)
    default: bool = False
    loop_to: Frame | None = None  # the step this branch sends work back to
    goes_on_in: int = -1  # the sentence whose later clauses continue this branch ("… rejects it and I fix it")
    ends: str = ""  # the end event this branch reaches, when it stops the case
    ended_by: str = ""  # the verb of the outcome that stops it ("reject" of "applications … are rejected")


@dataclass
class Block:
    kind: str  # "step" | "choice" | "parallel"
    frame: Frame | None = None
    branches: list[Branch] = field(default_factory=list)
    label: str = ""


@dataclass
class Model:
    steps: list[Frame]
    flow: ProcessFlow
    questions: list[str]


class _Builder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.choice: Block | None = None  # the gateway whose branches are still being read
        self.continuing: Branch | None = None  # the branch the current sentence goes on with
        self.choosing: Frame | None = None  # "X decides whether …": its sentence may go on with the options
        self.options: Block | None = None  # the decision between those options
        self.seen: list[Frame] = []
        self.questions: list[str] = []
        self.spelled: dict[int, Condition] = {}  # yes/no conditions spelled out (see ``_spell_out``)

    # ------------------------------------------------------------------ reading frames into blocks
    def add(self, frame: Frame) -> None:
        self._spell_out(frame)
        if self._restates(frame) or self._repeats(frame):
            return
        if self._goes_on(frame) or self._option(frame):
            return
        if frame.kind == "rework":
            self._rework(frame)
            return
        self._place(frame)
        if frame.until is not None and frame.verb.split()[0] not in lexicon().waiting:
            self._until(frame)

    def _place(self, frame: Frame) -> None:
        if frame.condition is not None:
            self._conditional(frame)
        elif frame.otherwise and self.choice is not None:
            self._branch_for(None, default=True).blocks.append(self._step(frame))
        elif frame.alternative and self._last_plain_step() is not None:
            self._alternative(frame)
        else:
            self._plain(frame)
            self._choice_that_may_stop(frame)

    def _spell_out(self, frame: Frame) -> None:
        """"The clerk checks the plans are complete; if not, …": a condition that only says yes or no is about
        what the work before it checked ("plans are not complete"). Clauses sharing it share the spelled one."""
        if frame.otherwise and self.choice is None and self.seen:
            self._otherwise_of_nothing(frame)
            return
        condition = frame.condition
        answer = lexicon().elliptic.get(condition.label.lower().strip(" ,.")) if condition is not None else None
        if condition is None or answer is None or not self.seen:
            return
        if id(condition) not in self.spelled:
            spelled = _answer(self.seen[-1], answer)
            if spelled is None:
                return
            self.spelled[id(condition)] = spelled
        frame.condition = self.spelled[id(condition)]

    def _otherwise_of_nothing(self, frame: Frame) -> None:
        """An "otherwise" with no decision open. "Low-risk studies are reviewed by one member; all other studies
        go to the full committee": the state of what the step before was done to is the decision, and that
        step its branch. "The clerk checks it is complete (if not, bounce it back)": "if not" answers the check."""
        last = self.seen[-1]
        previous = self._last_plain_step()
        subject = next((c for c in last.head.children if c.dep_ == "nsubjpass"), None) if last.passive else None
        stated = qualified(subject) if subject is not None else None
        if stated is not None and previous is not None and previous.frame is last:
            self.blocks.pop()
            self._open_choice(_question(stated))
            self._branch_for(stated).blocks.append(previous)
            return  # the frame stays an "otherwise": the decision's other branch
        failed = _answer(last, False) if _says(frame, lexicon().negative_answers) else None
        if failed is not None:
            frame.condition, frame.otherwise = failed, False

    def _goes_on(self, frame: Frame) -> bool:
        """What a sentence says after an outcome or after sending work back happens on that branch: "the
        manager rejects it with a comment and I fix it and resubmit", "out-of-policy items are sent back to
        the employee to fix"."""
        branch = self.continuing
        if branch is None or branch.goes_on_in != frame.sentence or frame.condition is not None \
                or frame.otherwise or frame.parallel:
            self.continuing = None
            return False
        if frame.kind == "rework":
            target = self._rework_target(frame)
            if target is None or branch.loop_to is not None:
                return False
            branch.loop_to = target
            return True
        if frame.kind != "step" or self._restates(frame) or self._repeats(frame):
            return False
        branch.blocks.append(self._step(frame))
        return True

    def _repeats(self, frame: Frame) -> bool:
        """The same unconditional step said again ("check the order, e-mail the customer" pasted twice)."""
        return frame.kind == "step" and frame.condition is None and not frame.otherwise and any(
            f.name == frame.name and f.performer == frame.performer for f in self.seen)

    def _restates(self, frame: Frame) -> bool:
        """"Once the wipe is done and security has finished its assessment, …": a clause of time that
        names work already read is the moment, not a new step."""
        clause = frame.head
        while clause.dep_ == "conj" and clause.head != clause:  # "once the wipe is done and security has finished"
            clause = clause.head
        if clause.dep_ not in ("advcl", "pcomp") or frame.kind != "step":
            return False
        nouns = {frame.obj_head, verb_of_noun(frame.obj_head) or ""} - {""}
        return any(f.verb in nouns or (f.obj_head == frame.obj_head and f.verb == frame.verb) or f.verb == frame.verb
                   for f in self.seen)

    def _step(self, frame: Frame) -> Block:
        self.seen.append(frame)
        return Block("step", frame=frame)

    def _plain(self, frame: Frame) -> None:
        self.choice = None
        if self._after_outcome(frame):
            return
        block = self._step(frame)
        previous = self.blocks[-1] if self.blocks else None
        if frame.parallel and previous is not None and previous.kind in ("step", "parallel"):
            if previous.kind == "parallel" and previous.label == "open":
                previous.branches.append(Branch(None, [block]))
            else:
                run = self._run_of(frame)
                self.blocks[-len(run):] = [Block("parallel", branches=[Branch(None, run), Branch(None, [block])],
                                                 label="open")]
            return
        if previous is not None and previous.kind == "parallel" and previous.label == "open" \
                and _goes_on_with(previous.branches[-1], frame):
            previous.branches[-1].blocks.append(block)  # "meanwhile the lead picks a buddy and plans the week"
            return
        self._close_parallel()
        self.blocks.append(block)

    def _after_outcome(self, frame: Frame) -> bool:
        """"Rejected applicants receive a letter with the reasons": work on what an outcome that stopped the
        case left behind happens on that outcome's branch, before it ends."""
        subject = next((c for c in frame.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        states = {lemma for t in subject.lefts if t.tag_ in ("VBN", "JJ")  # "declined" tagged an adjective
                  for lemma in (t.lemma_.lower(), *wordforms.lemmas(t.lower_, "VERB"))} if subject is not None else set()
        for block in reversed(self.blocks):
            for branch in block.branches if block.kind == "choice" else []:
                last = branch.blocks[-1].frame if branch.blocks and branch.blocks[-1].kind == "step" else None
                verb = branch.ended_by or (last.verb if last is not None and last.verb in lexicon().terminal else "")
                if verb and verb in states:
                    branch.ends = branch.ends or f"{(last.obj if last else '') or 'case'}".capitalize() + f" {_past(verb)}"
                    branch.blocks.append(self._step(frame))
                    return True
        return False

    def _run_of(self, frame: Frame) -> list[Block]:
        """The work ``frame`` runs beside: the last step, with the steps its sentence gives the same other
        performer before it ("she creates the accounts and prepares a laptop. Meanwhile the lead picks a buddy")."""
        run = [self.blocks[-1]]
        last = run[0].frame
        if last is None or last.performer is None or last.performer == frame.performer:
            return run
        for block in reversed(self.blocks[:-1]):
            if block.kind != "step" or block.frame is None or block.frame.performer != last.performer \
                    or block.frame.sentence != last.sentence:
                break
            run.insert(0, block)
        return run

    def _close_parallel(self) -> None:
        if self.blocks and self.blocks[-1].kind == "parallel":
            self.blocks[-1].label = ""

    def _branch_for(self, condition: Condition | None, *, default: bool = False) -> Branch:
        assert self.choice is not None
        for branch in self.choice.branches:
            if (condition is not None and branch.condition is condition) or (default and branch.default):
                return branch
        branch = Branch(condition, default=default)
        self.choice.branches.append(branch)
        return branch

    def _open_choice(self, label: str) -> None:
        self._close_parallel()
        self.choice = Block("choice", label=label)
        self.blocks.append(self.choice)

    def _conditional(self, frame: Frame) -> None:
        assert frame.condition is not None
        if self._adds_to_tier(frame):
            return
        if self.choice is None or self._same_subject_closed(frame.condition):
            self._open_choice(_question(frame.condition))
        branch = self._branch_for(frame.condition)
        if frame.passive and frame.performer is None and frame.verb in lexicon().terminal:
            # "applications scoring under 60 points are rejected": where the case ends, not a step
            branch.ends = f"{(frame.obj or 'case').capitalize()} {_past(frame.verb)}"
            branch.ended_by = frame.verb
            return
        if _automatic(frame):
            return  # "requisitions under 1k are approved automatically": that tier goes on with no work
        branch.blocks.append(self._step(frame))

    def _adds_to_tier(self, frame: Frame) -> bool:
        """"Anything over $500 needs the manager's OK, anything over $5,000 also needs the CFO": a higher tier
        that adds work is a decision inside the lower tier's branch, after that tier's work."""
        condition = frame.condition
        if self.choice is None or condition is None or not _says(frame, lexicon().cumulative):
            return False
        lower = next((b for b in reversed(self.choice.branches)
                      if b.condition is not None and _implies(condition, b.condition)), None)
        if lower is None:
            return False
        lower.blocks.append(Block("choice", branches=[Branch(condition, [self._step(frame)])],
                                  label=_question(condition)))
        return True

    def _same_subject_closed(self, condition: Condition) -> bool:
        """Whether ``condition`` starts a gateway of its own: the open one already has its default, or
        decides on other fields ("older than 30 days" then "amount over $500" are two decisions)."""
        assert self.choice is not None
        if any(b.default for b in self.choice.branches):
            return True
        def keys(c: Condition) -> set[str]:  # the thing tested and what is said of it ("claim", "mark_ok")
            return {part for r in c.rules for part in (r.subject.split("_")[0], r.subject.partition("_")[2]) if part}

        fields = {k for b in self.choice.branches if b.condition for k in keys(b.condition)}
        mine = keys(condition)
        return bool(fields and mine and not fields & mine)

    def _last_plain_step(self) -> Block | None:
        if self.blocks and self.blocks[-1].kind == "step" and self.choice is None:
            return self.blocks[-1]
        return None

    def _alternative(self, frame: Frame) -> None:
        """"The GO rejects the application or confirms it": one decision, two outcomes; "approves it, rejects
        it, or asks for it to be re-priced": every outcome of the list is a branch."""
        outcomes = [self.blocks.pop()]
        while self._last_plain_step() is not None and _listed_with(self.blocks[-1].frame, frame):
            outcomes.insert(0, self.blocks.pop())
        first = outcomes[0].frame
        assert first is not None
        subject = snake(f"{first.obj_head or 'case'} decision")
        verbs = [block.frame.verb for block in outcomes if block.frame is not None] + [frame.verb]
        self._open_choice(f"{(first.obj or 'case').capitalize()} "
                          f"{', '.join(_past(v) for v in verbs[:-1])} or {_past(verbs[-1])}?")
        for block in outcomes:
            assert block.frame is not None
            self._branch_for(_outcome(block.frame, first, subject)).blocks.append(block)
        branch = self._branch_for(_outcome(frame, first, subject))
        branch.default = True
        branch.blocks.append(self._step(frame))
        branch.goes_on_in, self.continuing = frame.sentence, branch
        if _asks_for_rework(frame):  # "… or asks for it to be re-priced": back to the work on it
            branch.loop_to = next((f for f in self.seen if f.obj_head == frame.obj_head and f.sentence < frame.sentence),
                                  None)
        self.choice = None

    def _choice_that_may_stop(self, frame: Frame) -> None:
        """"The asset manager decides whether to renew, renegotiate or let the lease lapse": a choice one of
        whose options stops the case is a decision after it — that option ends the case, the others go on.
        Options the sentence reads as clauses of their own ("…, to quote with conditions, or to decline") are
        the decision's branches (see ``_option``)."""
        if frame.verb not in lexicon().choosing:
            return
        self.choosing = frame
        options = [t for c in frame.head.children if c.dep_ in ("xcomp", "ccomp") for t in c.subtree]
        stop = next((t for t in options if t.lemma_.lower() in lexicon().terminal), None)
        if stop is None:
            return
        what = next((t.lemma_.lower() for t in options if t.dep_ == "dobj" and t != stop), self._subject_of_choice())
        self._open_options()
        self._option_branch(what, stop.lemma_.lower()).ends = f"{what.capitalize()} {_past(stop.lemma_.lower())}"
        self.choice = None

    def _subject_of_choice(self) -> str:
        """What the choice is about: the thing the work before the choosing step acted on."""
        chooser = self.choosing
        before = self.seen[: self.seen.index(chooser)] if chooser in self.seen else self.seen
        earlier = [f.obj_head for f in before if f.obj_head]
        return earlier[-1] if earlier else "case"

    def _open_options(self) -> None:
        self._open_choice("")
        self._branch_for(None, default=True)
        assert self.choice is not None
        self.options = self.choice

    def _option_branch(self, what: str, verb: str) -> Branch:
        assert self.options is not None
        label = f"{what} {_past(verb)}"
        condition = Condition(label=label, rules=[Rule(subject=snake(f"{what} decision"), operator="==", value=verb)])
        branch = Branch(condition)
        self.options.branches.insert(len(self.options.branches) - 1, branch)  # the default stays last
        self.options.label = " or ".join(b.condition.label for b in self.options.branches if b.condition) + "?"
        self.options.label = self.options.label[:1].upper() + self.options.label[1:]
        return branch

    def _option(self, frame: Frame) -> bool:
        """An option of the choice just read ("… decides whether to quote, to quote with conditions, or to
        decline"): a branch of that decision, not a step after it."""
        chooser = self.choosing
        if chooser is None or frame.sentence != chooser.sentence or frame.kind != "step" or frame.condition \
                or frame.otherwise or frame.parallel or not _offers_options(chooser):
            self.choosing = None
            return False
        if self.options is None or self.blocks[-1] is not self.options:
            self._open_options()
        self._option_branch(self._subject_of_choice(), frame.verb).blocks.append(self._step(frame))
        self.choice = None
        return True

    def _rework(self, frame: Frame) -> None:
        target = self._rework_target(frame)
        if target is None:
            self._place(frame)  # "the requester resubmits the form" with nothing to go back to is a step
            return
        if self._instead_of_last(frame, target):
            return
        branch: Branch | None = None
        if frame.condition is not None:
            if self.choice is None or (frame.condition not in [b.condition for b in self.choice.branches]
                                       and self._same_subject_closed(frame.condition)):
                self._open_choice(_question(frame.condition))
            branch = self._branch_for(frame.condition)
        elif self.choice is not None and self.choice.branches and not self.choice.branches[-1].default:
            branch = self.choice.branches[-1]
        if branch is not None:
            # "sent back to the officer and the recommendation is repeated": the named redo wins
            if branch.loop_to is None or frame.verb in lexicon().rework:
                branch.loop_to, branch.goes_on_in = target, frame.sentence
                self.continuing = branch
        else:
            self.questions.append(
                f"When is work sent back to '{target.name}'? The text says it can be ('{frame.text}') but not when.")

    def _instead_of_last(self, frame: Frame, target: Frame) -> bool:
        """"I check the photos and close the request, or send them back if it's not right": a send-back offered
        as the other outcome of the step just read is a decision before that step, which is its default."""
        previous = self._last_plain_step()
        offered = frame.alternative or frame.text.lower().startswith("or ")
        if frame.condition is None or not offered or previous is None or previous.frame is None \
                or previous.frame.sentence != frame.sentence or previous.frame is target:
            return False
        self.blocks.pop()
        self._open_choice(_question(frame.condition))
        self._branch_for(frame.condition).loop_to = target
        self._branch_for(None, default=True).blocks.append(previous)
        self.choice = None
        return True

    def _rework_target(self, frame: Frame) -> Frame | None:
        earlier = list(self.seen)
        back_to = frame.back_to if any(c.performer == frame.back_to for c in earlier) else None
        if frame.back_to and back_to is None:
            named = frame.back_to.lower().split()[-1]
            if named not in lexicon().originators | lexicon().requesters:
                return None  # "referred back to the consultant": the case leaves the process, it is no loop
            # "returned to the originator": whoever started the case, which no step names
        if frame.obj_head:  # the step that first worked on what is sent back or redone
            for candidate in earlier:
                if candidate.obj_head == frame.obj_head and candidate.verb != frame.verb and (
                        back_to is None or candidate.performer == back_to):
                    return candidate
        if back_to:
            for candidate in reversed(earlier):
                if candidate.performer == back_to:
                    return _first_of_run(earlier, candidate)
        if frame.verb in lexicon().rework or frame.verb.startswith("re"):
            base = frame.verb[2:] if frame.verb.startswith("re") else frame.verb
            for candidate in reversed(earlier):  # "resubmit" with nothing named redoes the last submission
                if candidate.verb in (base, frame.verb) and frame.obj_head in (candidate.obj_head, ""):
                    return candidate
        return None

    def _until(self, frame: Frame) -> None:
        """"The requester corrects the form until it is complete": leave when the condition holds."""
        assert frame.until is not None
        exit_condition = frame.until
        self._open_choice(_question(exit_condition))
        self._branch_for(exit_condition)
        self._branch_for(None, default=True).loop_to = frame
        self.choice = None

    # ------------------------------------------------------------------ blocks into the graph
    def _open_with_trigger(self) -> None:
        """"When housekeeping spots a fault, they log it", "if we get a breach: contain it": a condition on
        the process's first work with no alternative is the event that starts the process, not a decision."""
        at = next((i for i, b in enumerate(self.blocks) if b.kind != "step"), None)
        if at is None or at > 1 or self.blocks[at].kind != "choice":
            return
        branches = self.blocks[at].branches
        if len(branches) != 1 or branches[0].default or branches[0].loop_to is not None or branches[0].ends:
            return
        first = next((b.frame for b in branches[0].blocks if b.frame is not None), None)
        condition = branches[0].condition
        # the event is said with a verb ("spots", "is reported"), or read as a step of its own just before;
        # "anything over the policy cap needs approval" states no event and stays a decision
        event = at == 1 or (condition is not None and bool(condition.verbs))
        if condition is not None and any(_is_limit(rule.value) for rule in condition.rules):
            return  # "a discount above 15% needs approval": a limit is what a decision tests, never an event
        if first is not None and event and all(b.frame is not None and b.frame.sentence == first.sentence
                                               for b in self.blocks[:at]):
            self.blocks[at:at + 1] = branches[0].blocks

    def compile(self) -> tuple[list[Frame], ProcessFlow]:
        self._open_with_trigger()
        builder = FlowBuilder()
        order: list[Frame] = []
        nodes: dict[int, str] = {}
        tails = self._compile(self.blocks, [("start", None, False)], builder, order, nodes)
        if tails:  # every way may already end ("… close the request, or send it back"): no loose end node
            _connect(builder, tails, builder.end("End"))
        return order, builder.build()

    def _compile(self, blocks: list[Block], tails: list[_Tail], builder: FlowBuilder, order: list[Frame],
                 nodes: dict[int, str]) -> list[_Tail]:
        for block in blocks:
            if block.kind == "step":
                assert block.frame is not None
                order.append(block.frame)
                node = builder.task(len(order), block.frame.name, block.frame.performer)
                nodes[id(block.frame)] = node
                _connect(builder, tails, node)
                tails = [(node, None, False)]
            elif block.kind == "parallel":
                split = builder.parallel("")
                _connect(builder, tails, split)
                ends: list[_Tail] = []
                for branch in block.branches:
                    ends.extend(self._compile(branch.blocks, [(split, None, False)], builder, order, nodes))
                join = builder.parallel("")
                _connect(builder, ends, join)
                tails = [(join, None, False)]
            else:
                tails = self._compile_choice(block, tails, builder, order, nodes)
        return tails

    def _compile_choice(self, block: Block, tails: list[_Tail], builder: FlowBuilder, order: list[Frame],
                        nodes: dict[int, str]) -> list[_Tail]:
        gateway = builder.exclusive(block.label)
        _connect(builder, tails, gateway)
        branches = list(block.branches)
        if len(branches) == 1 and not branches[0].default:
            condition = branches[0].condition
            ends = branches[0].ends or (branches[0].blocks and branches[0].blocks[-1].frame is not None
                                        and branches[0].blocks[-1].frame.verb in lexicon().terminal)
            # "if they wish to take part, …": without the consent the work goes on with, the case ends
            declined = condition is not None and not condition.negated and bool(condition.verbs & lexicon().consent)
            branches.append(Branch(None, default=True, ends="Declined" if declined and not ends else ""))
            if condition is not None and branches[0].loop_to is None and not ends:
                self.questions.append(
                    f"What happens when {condition.label} does not hold? The design "
                    + ("ends the case." if declined else "goes straight on to the next step."))
        elif not any(b.default for b in branches):
            if _uncovered(branches):  # "over $500 …, over $5,000 …": below the lowest tier the work goes on
                branches.append(Branch(None, default=True))
            else:
                branches[-1].default = True
        out: list[_Tail] = []
        for branch in branches:
            entry: list[_Tail] = [(gateway, branch.condition, branch.default)]
            exits = self._compile(branch.blocks, entry, builder, order, nodes) if branch.blocks else entry
            last = branch.blocks[-1].frame if branch.blocks and branch.blocks[-1].kind == "step" else None
            if branch.loop_to is not None and id(branch.loop_to) in nodes:
                _connect(builder, exits, nodes[id(branch.loop_to)])
            elif branch.ends or (last is not None and last.verb in lexicon().terminal):
                label = branch.ends or f"{(last.obj or 'case').capitalize()} {_past(last.verb)}"  # type: ignore[union-attr]
                _connect(builder, exits, builder.end(label))
            else:
                out.extend(exits)
        return out


_Tail = tuple[str, Condition | None, bool]


def _connect(builder: FlowBuilder, tails: list[_Tail], target: str) -> None:
    for source, condition, default in tails:
        builder.connect(source, target, condition=condition.label if condition is not None else (
            "otherwise" if default else None), default=default,
            rules=list(condition.rules) if condition is not None and not default else [])


def _outcome(frame: Frame, first: Frame, subject: str) -> Condition:
    """The branch condition of one outcome of a decision ("quote rejected")."""
    return Condition(label=f"{frame.obj or first.obj or 'case'} {_past(frame.verb)}",
                     rules=[Rule(subject=subject, operator="==", value=frame.verb)])


def _goes_on_with(branch: Branch, frame: Frame) -> bool:
    """Whether ``frame`` is more work of the parallel branch's last step: joined to it in one sentence, by the
    same performer."""
    last = branch.blocks[-1].frame if branch.blocks and branch.blocks[-1].kind == "step" else None
    return last is not None and last.sentence == frame.sentence and last.performer == frame.performer \
        and frame.head.dep_ == "conj" and frame.head.head == last.head and not frame.condition


def _asks_for_rework(frame: Frame) -> bool:
    """"asks for it to be re-priced", "sends it back to be redone": the outcome has the work done again."""
    rework = lexicon().rework
    return any(t.lemma_.lower() in rework or (t.lower_.startswith("re-") and t.pos_ == "VERB")
               for t in frame.head.subtree if t != frame.head)


def _listed_with(earlier: Frame | None, last: Frame) -> bool:
    """Whether ``earlier`` is one more item of the list of outcomes ``last`` ends ("approves it, rejects it, or
    …"): a conjunct of the same verb, done by the same performer — not the check that leads to the outcomes
    ("reviews it, approves it or rejects it")."""
    return earlier is not None and earlier.sentence == last.sentence and earlier.performer == last.performer \
        and earlier.head in last.head.conjuncts and earlier.verb not in lexicon().checking


def _offers_options(frame: Frame) -> bool:
    """"decides whether to …", "decides between …", "decides: …": the clauses after it are the options,
    not work done after the choice ("the outcome is decided by the manager and confirmed to the employee")."""
    head = frame.head
    return any(t.lower_ in ("whether", "between", ":") for t in head.doc[head.i + 1: head.i + 4])


def _first_of_run(frames: list[Frame], frame: Frame) -> Frame:
    """The first of the consecutive steps one performer does: work sent back to them starts there."""
    index = frames.index(frame)
    while index > 0 and frames[index - 1].performer == frame.performer:
        index -= 1
    return frames[index]


def _past(verb: str) -> str:
    head, _, particle = verb.partition(" ")
    forms = wordforms.inflections(head, "VBN")
    return f"{forms[0] if forms else head + 'ed'} {particle}".strip()


def _question(condition: Condition) -> str:
    label = condition.label
    return f"{label[:1].upper()}{label[1:]}?"


def _before_work_read(frames: list[Frame]) -> list[Frame]:
    """"Anything over the cap needs my manager's approval before it can be booked", after "I book flights":
    work said to come before work the text has already read moves in front of it."""
    out = list(frames)
    for frame in frames:
        if frame.head.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "before" for c in frame.head.children):
            continue
        earlier = next((f for f in out if f.sentence < frame.sentence and f.kind in ("step", "rework")
                        and f.verb == frame.verb and frame.obj_head in (f.obj_head, "")), None)
        moving = [f for f in out if f.sentence == frame.sentence and f.kind in ("step", "rework")
                  and f.head.i < frame.head.i and f.head.doc is frame.head.doc]
        if earlier is None or not moving:
            continue
        kept = [f for f in out if all(f is not m for m in moving)]
        at = next(i for i, f in enumerate(kept) if f is earlier)
        out = [*kept[:at], *moving, *kept[at:]]
    return out


def _run_together(frames: list[Frame]) -> list[Frame]:
    """"Medication and teaching can happen at the same time", "the two checks run in parallel": a sentence
    that says work already read runs side by side is no step — it puts those steps beside each other (when
    they follow one another, so they can split and join there)."""
    markers = lexicon().parallel
    out = list(frames)
    for sentence in dict.fromkeys(f.head.sent for f in frames):
        root = sentence.root
        if not _has_words(sentence, markers):
            continue
        named = [n for c in root.children if c.dep_ in ("nsubj", "nsubjpass") for n in (c, *c.conjuncts)]
        index = next(f.sentence for f in frames if f.head.sent == sentence)
        steps = [f for f in out if f.kind == "step" and f.sentence < index]
        found = [_step_named(noun, steps) for noun in named]
        at = sorted(steps.index(f) for f in found if f is not None)
        if len(named) < 2 or len(set(at)) != len(named) or at[-1] - at[0] != len(at) - 1:
            continue
        for index in at[1:]:
            steps[index].parallel = True
        out = [f for f in out if f.head.sent != sentence]
    return out


def _has_words(sentence: Span, phrases: Iterable[str]) -> bool:
    words = f" {' '.join(t.lower_ for t in sentence)} "
    return any(f" {phrase} " in words for phrase in phrases)


def _step_named(noun: Token, steps: list[Frame]) -> Frame | None:
    """The last step a noun names: by what it acts on ("medication") or by its action ("teaching")."""
    words = {t.lemma_.lower() for t in noun.subtree if t.dep_ in ("compound", "amod") or t == noun}
    actions = {verb_of_noun(w) for w in words} - {None}
    return next((f for f in reversed(steps) if f.obj_head.lower() in words or f.verb in actions), None)


def _rules_where_checked(frames: list[Frame]) -> list[Frame]:
    """"Claims older than 60 days are rejected", "if on-call does not acknowledge, escalate to the secondary",
    said after the last step: a rule stated after the work applies where its case is checked — at the step
    that shares the most words with it, or the first checking step from there on ("Finance checks the
    receipts") — not after the last step. A rule about the last step stays where it is."""
    work = [f for f in frames if f.kind in ("step", "rework")]
    plain = [i for i, f in enumerate(work) if f.condition is None and not f.otherwise]
    if not plain:
        return frames
    steps = work[: plain[-1] + 1]
    out = list(frames)
    for sentence in dict.fromkeys(f.sentence for f in work[plain[-1] + 1:]):
        rule = [f for f in out if f.sentence == sentence]
        if not all(f.condition is not None for f in rule if f.kind in ("step", "rework")):
            continue
        anchor = _checked_at(rule[0], steps)
        if anchor is None or anchor is steps[-1]:
            continue
        kept = [f for f in out if all(f is not r for r in rule)]
        at = next(i for i, f in enumerate(kept) if f is anchor) + 1
        out = [*kept[:at], *rule, *kept[at:]]
    return out


def _checked_at(rule: Frame, steps: list[Frame]) -> Frame | None:
    """The step a rule is checked at: the one sharing most words with its condition, then with its action; none
    when no step shares a word with its condition ("if latency gets worse, the SRE flips the flag back" is checked where latency is watched, not where
    the SRE set the flag)."""
    said = _content(rule.head.sent)
    things = {t.i for c in rule.head.children if c.dep_ == "nsubjpass" for t in c.subtree}  # "claims … are refused"
    tested = {t.lemma_.lower() for t in rule.head.sent if t.i in things
              or (rule.condition is not None and t.lower_ in rule.condition.label.lower().split())} & said
    shared = [(len(tested & words), len(said & words)) for words in (_step_words(step) for step in steps)]
    best = max(shared, default=(0, 0))
    if best[0] == 0:
        return None  # no step works on what the condition tests: the rule stays where the text says it
    first = shared.index(best)
    return next((s for s in steps[first:] if s.verb in lexicon().checking), steps[first])


def _step_words(step: Frame) -> set[str]:
    """The words of a step's clause and of its name (the clause may be parsed around a word it names), without
    the clauses joined to it ("…, and the analyst watches the latency" is another step's)."""
    joined = {t.i for c in step.head.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for t in c.subtree}
    clause = [t for t in step.head.subtree if t.i not in joined]
    return _content(clause) | {w.lower() for w in f"{step.name} {step.obj}".split()}


def _content(tokens: Iterable[Token]) -> set[str]:
    return {t.lemma_.lower() for t in tokens if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop
            and t.lemma_.lower() not in lexicon().time_nouns}


def build_model(frames: list[Frame]) -> Model:
    builder = _Builder()
    for frame in _before_work_read(_rules_where_checked(_run_together(frames))):
        if frame.kind in ("step", "rework"):
            builder.add(frame)
    steps, flow = builder.compile()
    return Model(steps=steps, flow=flow, questions=builder.questions)


def _checked(frame: Frame) -> Condition | None:
    """What a checking step states must hold: "checks (that) the plans are complete" → "plans are complete"."""
    head = frame.head
    stated = next((c for c in head.children if c.dep_ in ("ccomp", "advcl") and c.i > head.i
                   and all(t.lower_ in ("that", "whether") for t in c.children if t.dep_ == "mark")), None)
    if stated is None:
        return None
    said_of = [] if any(t.dep_ in ("nsubj", "nsubjpass") for t in stated.children) else [
        t for c in head.children if c.dep_ == "dobj" and c.i < stated.i for t in c.subtree]  # parsed as the object
    if not said_of and stated.dep_ != "ccomp":
        return None
    words = [t for t in {*said_of, *stated.subtree} if not (t.dep_ == "mark" and t.head == stated)]
    return read_condition(sorted(words, key=lambda t: t.i), frame.obj)


def _answer(frame: Frame, yes: bool) -> Condition | None:
    """The yes (or no) answer to what ``frame`` checked: "plans are (not) complete"; for a check that states
    nothing it checks for, "check form passed" / "check form failed"."""
    checked = _checked(frame)
    if checked is not None:
        return checked if yes else checked.negation()
    if frame.verb not in lexicon().checking:
        return None
    name = f"{frame.name[:1].lower()}{frame.name[1:]}"
    return Condition(label=f"{name} {'passed' if yes else 'failed'}", negated=not yes,
                     rules=[Rule(subject=snake(f"{name} passed", 5), operator="==", value=yes)])


def _automatic(frame: Frame) -> bool:
    """"approved automatically": an approval no one does."""
    return frame.performer is None and frame.verb in lexicon().approval and _says(frame, lexicon().automatic)


def _says(frame: Frame, markers: Iterable[str]) -> bool:
    words = f" {' '.join(frame.text.lower().replace(',', ' ').split())} "
    return any(f" {marker} " in words for marker in markers)


def _limits(condition: Condition) -> list[Rule]:
    """The condition's rules when all of them bound one field by a figure ("over $500", "1k to 10k")."""
    rules = condition.rules
    if not rules or not all(_is_limit(r.value) and r.operator in (">", ">=", "<", "<=") for r in rules):
        return []
    return rules if len({r.subject for r in rules}) == 1 else []


def _implies(higher: Condition, lower: Condition) -> bool:
    """Whether every case over (or under) ``higher``'s limit is over (under) ``lower``'s too."""
    mine, theirs = _limits(higher), _limits(lower)
    if len(mine) != 1 or len(theirs) != 1 or mine[0].subject != theirs[0].subject:
        return False
    a, b = mine[0], theirs[0]
    assert isinstance(a.value, int | float) and isinstance(b.value, int | float)
    if a.operator[0] == b.operator[0] == ">":
        return a.value >= b.value
    return a.operator[0] == b.operator[0] == "<" and a.value <= b.value


def _uncovered(branches: list[Branch]) -> bool:
    """Whether limits on one field leave values no branch takes ("over 500", "over 5,000" leave 500 and less)."""
    limits = [_limits(b.condition) if b.condition is not None else [] for b in branches]
    if not all(limits) or len({r.subject for rules in limits for r in rules}) != 1:
        return False
    values = sorted({float(r.value) for rules in limits for r in rules})  # type: ignore[arg-type]
    points = [values[0] - 1, values[-1] + 1, *(v + d for v in values for d in (-1e-6, 0.0, 1e-6))]
    return any(not any(all(r.holds(x) for r in rules) for rules in limits) for x in points)


def _is_limit(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
