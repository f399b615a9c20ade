"""How steps and roles are worded: the fragment rule for step names and the normal form of a role.

Shared by the reviewer (which reports fragment names as findings) and the evals (which measure
the share of fragment names and performer accuracy), so both judge a name by one rule.
"""

from __future__ import annotations

from process_designer.wording.fragments import (
    FragmentCheck,
    NameParts,
    check_names,
    fragment_reason,
    name_parts,
)
from process_designer.wording.roles import ASSUMED_MARK, normalise_role

__all__ = ["ASSUMED_MARK", "FragmentCheck", "NameParts", "check_names", "fragment_reason", "name_parts", "normalise_role"]
