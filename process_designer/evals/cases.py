"""Eval cases: requirement text (or a conversation) plus expectations written independently of the engine."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from process_designer.domain.models import DesignContext
from process_designer.errors import InputError, NotFoundError

__all__ = [
    "CASE_KINDS",
    "EvalCase",
    "GoldGateway",
    "GoldStep",
    "default_suites_dir",
    "list_suites",
    "load_cases",
    "load_suite",
    "register_case_kind",
    "select_cases",
]

# How the requirement text is written: the four original styles, and the ones a parser finds hard
# (a long textbook narrative, "I"/"we" narration, passive voice, roles as acronyms, terse notes).
Style = Literal[
    "short",
    "medium",
    "detailed",
    "messy",
    "narrative",
    "first_person",
    "passive",
    "acronyms",
    "telegraphic",
]
Keywords = list[str]
Branch = int | Literal["end"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldStep(_Strict):
    """A step the process must have; ``depends_on`` lists 1-based gold step numbers (parallel steps).

    ``performer`` is the role the text names for the step, or a list of acceptable names
    (``["Claims Officer", "CO"]``); absent when the text names nobody.
    """

    name: str = Field(min_length=1)
    depends_on: list[int] = Field(default_factory=list)
    performer: str | list[str] | None = None

    @model_validator(mode="after")
    def _check_performer(self) -> GoldStep:
        names = self.performers
        if self.performer is not None and (not names or any(not n.strip() for n in names)):
            raise ValueError("performer must be a role name or a non-empty list of role names")
        return self

    @property
    def performers(self) -> list[str]:
        """The acceptable performer names (empty when the text names nobody)."""
        if self.performer is None:
            return []
        return [self.performer] if isinstance(self.performer, str) else list(self.performer)


class GoldGateway(_Strict):
    """A decision or a parallel split the text gives, anchored to gold steps (1-based).

    ``after`` is the gold step the gateway follows (0: the start); ``branches`` the gold step each
    outgoing branch starts with, or ``"end"`` for a branch that ends the process. ``loop: true``
    says that a branch goes back to ``after`` or an earlier step to repeat it.
    """

    kind: Literal["exclusive", "parallel"]
    after: int = Field(ge=0)
    branches: list[Branch] = Field(min_length=2)
    loop: bool = False

    @property
    def backward(self) -> bool:
        """Whether a branch leads to ``after`` or an earlier step (a loop needs one)."""
        return any(branch != "end" and branch <= self.after for branch in self.branches)


class EvalCase(_Strict):
    """One eval case: a single requirement text or a multi-turn conversation, with what must come out.

    Keyword expectations are lists that must all occur, e.g. ``["$500", "manager"]``.
    ``final_order`` pairs say that a step matching the first phrase precedes one matching the second.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    kind: str = "process"
    domain: str = Field(min_length=1)
    style: Style
    requirements: str = ""
    turns: list[str] = Field(default_factory=list)
    context: DesignContext | None = None
    gold_steps: list[GoldStep] = Field(min_length=1)
    decisions: list[Keywords] = Field(default_factory=list)
    constraints: list[Keywords] = Field(default_factory=list)
    integrations: list[str] = Field(default_factory=list)
    error_cases: list[Keywords] = Field(default_factory=list)
    final_must_contain: list[Keywords] = Field(default_factory=list)
    final_must_not_contain: list[Keywords] = Field(default_factory=list)
    final_order: list[tuple[str, str]] = Field(default_factory=list)
    gateways: list[GoldGateway] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> EvalCase:
        if bool(self.requirements.strip()) == bool(self.turns):
            raise ValueError("give either `requirements` (one turn) or `turns` (a conversation)")
        if self.turns and self.context is not None:
            raise ValueError("a conversation carries its context in its messages; drop `context`")
        for number, step in enumerate(self.gold_steps, start=1):
            for dep in step.depends_on:
                if not 1 <= dep < number:
                    raise ValueError(
                        f"gold step {number} depends on {dep}; use an earlier step number (1..{number - 1})"
                    )
        for number, gateway in enumerate(self.gateways, start=1):
            self._check_gateway(number, gateway)
        return self

    def _check_gateway(self, number: int, gateway: GoldGateway) -> None:
        count = len(self.gold_steps)
        where = f"gateway {number}"
        if gateway.after > count:
            raise ValueError(f"{where} follows step {gateway.after}; the case has {count} gold steps")
        steps = [b for b in gateway.branches if b != "end"]
        if any(not 1 <= b <= count for b in steps):
            raise ValueError(f"{where}: a branch names a step outside 1..{count}; use a gold step or \"end\"")
        if len(set(gateway.branches)) != len(gateway.branches):
            raise ValueError(f"{where}: two branches start with the same step; each branch is one way on")
        if gateway.loop and not gateway.backward:
            raise ValueError(
                f"{where}: loop is true but no branch goes back to step {gateway.after} or earlier"
            )
        if gateway.kind == "parallel":
            if gateway.loop or gateway.backward or "end" in gateway.branches:
                raise ValueError(f"{where}: parallel branches run forward to steps, not back or to the end")
            # A split at the start cannot be written as depends_on (an empty list means "the step before").
            deps = self.gold_dependencies
            for b in steps if gateway.after else []:
                if any(d + 1 in steps for d in deps[b - 1]):
                    raise ValueError(
                        f"{where}: parallel step {b} depends on another branch of the split; "
                        f"give it depends_on [{gateway.after}]"
                    )

    @property
    def multi_turn(self) -> bool:
        return bool(self.turns)

    @property
    def messages(self) -> list[str]:
        """The user messages in order (one for a single-turn case)."""
        return list(self.turns) if self.turns else [self.requirements]

    @property
    def gold_names(self) -> list[str]:
        return [step.name for step in self.gold_steps]

    @property
    def gold_performers(self) -> list[list[str]]:
        """The acceptable performer names of each gold step (empty where the text names nobody)."""
        return [step.performers for step in self.gold_steps]

    @property
    def gold_dependencies(self) -> list[list[int]]:
        """0-based prerequisites of each gold step; a step without ``depends_on`` follows the previous one."""
        deps: list[list[int]] = []
        for index, step in enumerate(self.gold_steps):
            if step.depends_on:
                deps.append([d - 1 for d in step.depends_on])
            else:
                deps.append([index - 1] if index else [])
        return deps


CASE_KINDS: dict[str, type[EvalCase]] = {"process": EvalCase}
"""The case model of each ``kind`` a suite line may declare (``"kind": "process"`` by default)."""


def register_case_kind(kind: str, model: type[EvalCase]) -> None:
    """Let suite lines with ``"kind": kind`` carry ``model``'s extra fields (a subclass of EvalCase).

    Pair it with a scorer in :data:`process_designer.evals.metrics.CASE_SCORERS` for the figures
    those fields feed.
    """
    if not issubclass(model, EvalCase):
        raise TypeError(f"{model.__name__} must subclass EvalCase")
    CASE_KINDS[kind] = model


def _parse_case(raw: object) -> EvalCase:
    kind = raw.get("kind", "process") if isinstance(raw, dict) else "process"
    model = CASE_KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise ValueError(f"unknown case kind {kind!r}; use one of: {', '.join(sorted(CASE_KINDS))}")
    return model.model_validate(raw)


def default_suites_dir() -> Path:
    """``evals/suites`` of the source checkout, else of the working directory."""
    checkout = Path(__file__).resolve().parents[2] / "evals" / "suites"
    return checkout if checkout.is_dir() else Path.cwd() / "evals" / "suites"


def list_suites(suites_dir: Path | None = None) -> list[str]:
    """Names of the suites (``<name>.jsonl`` files) in ``suites_dir``."""
    directory = suites_dir or default_suites_dir()
    return sorted(path.stem for path in directory.glob("*.jsonl"))


def load_cases(path: Path) -> list[EvalCase]:
    """Read a JSON-lines file of cases; errors name the file, the line and what is wrong."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read eval cases from {path}: {exc.strerror}") from exc
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            case = _parse_case(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path}:{number}: not valid JSON ({exc.msg}); write one case per line"
            ) from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "case"
            raise InputError(f"{path}:{number}: {where}: {first['msg']}") from exc
        except ValueError as exc:
            raise InputError(f"{path}:{number}: {exc}") from exc
        if case.id in seen:
            raise InputError(f"{path}:{number}: duplicate case id {case.id!r}; ids must be unique")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise InputError(f"{path} holds no eval cases; add one JSON object per line")
    return cases


def load_suite(name: str, suites_dir: Path | None = None) -> list[EvalCase]:
    """Cases of suite ``name`` (or of a ``.jsonl`` path); unknown names list the suites there are."""
    as_path = Path(name)
    if as_path.suffix == ".jsonl" and as_path.is_file():
        return load_cases(as_path)
    directory = suites_dir or default_suites_dir()
    path = directory / f"{name}.jsonl"
    if not path.is_file():
        known = ", ".join(list_suites(directory)) or f"none in {directory}"
        raise NotFoundError(f"unknown eval suite {name!r}; choose one of: {known}")
    return load_cases(path)


def select_cases(cases: list[EvalCase], ids: list[str]) -> list[EvalCase]:
    """The cases whose id is in ``ids``, in suite order; an unknown id is an error."""
    wanted = [i.strip() for i in ids if i.strip()]
    known = {case.id for case in cases}
    missing = [i for i in wanted if i not in known]
    if missing:
        raise NotFoundError(
            f"no eval case with id {', '.join(missing)} in this suite; check --cases"
        )
    return [case for case in cases if case.id in wanted]
