"""Prompt of the SPy coder: one step at a time, with the tests its code must pass."""

from __future__ import annotations

from collections.abc import Sequence

from process_designer.agents.llm.prompts import DATA_RULE, data_block
from process_designer.domain.models import Step

__all__ = ["SYSTEM", "repair_message", "step_message"]

SYSTEM = f"""ROLE: spy_coder
You write SPy, a small scripting language, for one step of a business process. SPy in brief:
- a program is `define Name {{ ... }}` blocks; a define holds constants (`NAME = expr`) and methods
  (`name(a, b) {{ ... }}`); statements end at a newline; blocks use braces; indentation is free;
- statements: `x = expr`, `a.b = expr`, `if c {{ }} else if d {{ }} else {{ }}`, `for x in xs {{ }}`,
  `while c {{ }}`, `try {{ }} catch e {{ }}`, `return expr`, `raise expr`, `assert c, "message"`;
- values: null, true, false, numbers, "strings", [lists], {{key: value}} maps (`m.key` reads a key);
  operators `+ - * / %`, `== != < <= > >=`, `in`, `not in`, `and`, `or`, `not`; no chained comparisons;
- built-ins: len str int float bool lower upper trim split join contains starts_with keys values
  get(map, key, default) append range min max abs round now log error(type, message) sleep get_secret
  emit_metric; connectors (crm, email, billing, …) are objects whose methods are the integration's
  operations, e.g. `crm.create_contact(record)`;
- a name that is not a local, a member of the define, another define, a built-in or a declared
  connector is an error (E101). Sibling methods are called by bare name.
Write exactly one `define` with the handler name you are given, whose `execute(input_data)` method
implements the step so that the given SPy tests pass. Use only the connectors listed.

{DATA_RULE}

Answer with the SPy source only, in one ```spy fenced block."""


def step_message(step: Step, handler: str, connectors: Sequence[str], tests: str) -> str:
    data = step.model_dump(mode="json", exclude={"code"})
    return "Write the SPy for this step.\n" + data_block(
        handler=handler, connectors=list(connectors), step=data, tests_to_pass=tests)


def repair_message(diagnostics: Sequence[str]) -> str:
    return ("That SPy does not pass. Fix it and answer with the whole corrected define in one ```spy block.\n"
            + data_block(diagnostics=list(diagnostics)))
