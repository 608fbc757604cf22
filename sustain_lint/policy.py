"""The policy defaults of evidence.md §6, configurable under
``[tool.sustain-lint.policy]``. The keys and their types are the configuration
schema's (``sustain_lint/schemas/config.json``), which validates a table before
``policy_from_config`` sees it."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True)
class Target:
    response: str
    resolution: str


DEFAULT_TARGETS: dict[str, Target] = {
    "P1": Target("15m", "4h"),
    "P2": Target("1h", "24h"),
    "P3": Target("4h", "72h"),
    "P4": Target("24h", "2w"),
}


@dataclasses.dataclass(frozen=True)
class Policy:
    availability: float = 99.5
    targets: dict[str, Target] = dataclasses.field(default_factory=lambda: dict(DEFAULT_TARGETS))
    min_l2_rotation: int = 4
    required_approval_roles: tuple[str, ...] = ("operations", "product", "leadership")
    review_offsets_days: tuple[int, ...] = (30, 60, 90)
    review_tolerance_days: int = 7
    waiver_warning_days: int = 14  # a waiver expiring this close is announced (SL903)
    max_waiver_days: int = 180  # no waiver runs longer from today (SL901)
    # names and roles that count as known owners without a roster row (SL005): a rotation
    # alias, a director who owns a queue
    extra_owners: tuple[str, ...] = ()
    schedule_horizon_days: int = 28


def policy_from_config(table: dict[str, Any]) -> Policy:
    """The Policy of a ``[policy]`` table the configuration schema has accepted;
    a target names only the durations it changes (``P1 = { response = "10m" }``)."""
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        if key == "availability":
            kwargs[key] = float(value)
        elif key in ("required_approval_roles", "review_offsets_days", "extra_owners"):
            kwargs[key] = tuple(value)
        elif key == "targets":
            targets = dict(DEFAULT_TARGETS)
            for severity, durations in value.items():
                targets[severity] = dataclasses.replace(targets[severity], **durations)
            kwargs[key] = targets
        else:  # min_l2_rotation, review_tolerance_days, waiver_warning_days, max_waiver_days,
            # schedule_horizon_days
            kwargs[key] = value
    return Policy(**kwargs)
