"""What a tenant's feedback adds up to: template votes, preferred owner, roles and durations, dismissed findings."""

from __future__ import annotations

import re
from collections import Counter

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["FeedbackProfile", "TemplateVotes", "finding_key"]

# A template rejected this many times more than it was accepted is ranked down.
REJECTIONS_TO_DEMOTE = 2
ACCEPT_BOOST = 0.15
REJECT_PENALTY = 0.3
# A finding dismissed this many times is weighted down by the reviewer.
DISMISSALS_TO_DOWNWEIGHT = 2


def finding_key(finding: str) -> str:
    """A finding without what varies between documents (step numbers, names, quotes), so repeats match."""
    text = re.sub(r"\([^)]*\)", "", finding.lower())
    text = re.sub(r"'[^']*'", "''", text)
    text = re.sub(r"\d+", "#", text)
    text = re.sub(r"\s+([,:;])", r"\1", re.sub(r"\s+", " ", text))
    return text.strip(" .")


class TemplateVotes(BaseModel):
    """How often documents built on a template were rated up (accepted) or down (rejected)."""

    model_config = ConfigDict(extra="forbid")

    accepted: int = 0
    rejected: int = 0


class FeedbackProfile(BaseModel):
    """Everything learned for one tenant; empty for a tenant that never gave feedback."""

    model_config = ConfigDict(extra="forbid")

    tenant: str
    ratings: dict[str, int] = Field(default_factory=lambda: {"up": 0, "down": 0})
    templates: dict[str, TemplateVotes] = Field(default_factory=dict)
    owners: dict[str, int] = Field(default_factory=dict)
    roles: dict[str, str] = Field(default_factory=dict)  # the writer's default role → the tenant's name for it
    durations: dict[str, str] = Field(default_factory=dict)  # step name (lower case) → duration
    dismissed: dict[str, int] = Field(default_factory=dict)  # finding_key → times dismissed

    def template_adjustment(self, template_id: str) -> float:
        """What to add to a template's search score: up for accepted ones, down for repeatedly rejected ones."""
        votes = self.templates.get(template_id)
        if votes is None:
            return 0.0
        adjustment = ACCEPT_BOOST * min(votes.accepted, 3)
        if votes.rejected - votes.accepted >= REJECTIONS_TO_DEMOTE:
            adjustment -= REJECT_PENALTY
        return adjustment

    @property
    def preferred_owner(self) -> str | None:
        """The owner the tenant chose most often (first chosen wins a tie)."""
        if not self.owners:
            return None
        return Counter(self.owners).most_common(1)[0][0]

    def dismissed_findings(self) -> frozenset[str]:
        """Keys of the findings dismissed often enough to be weighted down."""
        return frozenset(key for key, count in self.dismissed.items() if count >= DISMISSALS_TO_DOWNWEIGHT)

    @property
    def empty(self) -> bool:
        return not (any(self.ratings.values()) or self.templates or self.owners or self.roles or self.durations
                    or self.dismissed)
