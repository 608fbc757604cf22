"""The policy defaults of evidence.md §6, configurable under
``[tool.sustain-lint.policy]``."""

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


POLICY_KEYS = {
    "availability", "targets", "min_l2_rotation", "required_approval_roles",
    "review_offsets_days", "review_tolerance_days",
}


class PolicyError(ValueError):
    pass


def policy_from_config(table: dict[str, Any], where: str) -> Policy:
    """Build a Policy from a config table; raises PolicyError naming the key."""
    from sustain_lint.values import parse_duration

    for key in table:
        if key not in POLICY_KEYS:
            raise PolicyError(f"{where}: unknown key 'policy.{key}' (known: "
                              f"{', '.join(sorted(POLICY_KEYS))})")
    kwargs: dict[str, Any] = {}
    if "availability" in table:
        v = table["availability"]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 100:
            raise PolicyError(f"{where}: 'policy.availability' must be a percentage (0-100)")
        kwargs["availability"] = float(v)
    for key in ("min_l2_rotation", "review_tolerance_days"):
        if key in table:
            v = table[key]
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise PolicyError(f"{where}: 'policy.{key}' must be a whole number >= 0")
            kwargs[key] = v
    if "required_approval_roles" in table:
        v = table["required_approval_roles"]
        roles = {"operations", "product", "leadership", "support", "security", "other"}
        if not isinstance(v, list) or not all(isinstance(r, str) and r in roles for r in v):
            raise PolicyError(f"{where}: 'policy.required_approval_roles' must be a list of: "
                              f"{', '.join(sorted(roles))}")
        kwargs["required_approval_roles"] = tuple(v)
    if "review_offsets_days" in table:
        v = table["review_offsets_days"]
        if not isinstance(v, list) or not all(
                isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in v):
            raise PolicyError(f"{where}: 'policy.review_offsets_days' must be a list of days > 0")
        kwargs["review_offsets_days"] = tuple(v)
    if "targets" in table:
        v = table["targets"]
        if not isinstance(v, dict):
            raise PolicyError(f"{where}: 'policy.targets' must be a table of P1..P4")
        targets = dict(DEFAULT_TARGETS)
        for sev, spec in v.items():
            if sev not in DEFAULT_TARGETS:
                raise PolicyError(f"{where}: unknown key 'policy.targets.{sev}' (use P1-P4)")
            if not isinstance(spec, dict) or set(spec) - {"response", "resolution"}:
                raise PolicyError(f"{where}: 'policy.targets.{sev}' takes response and resolution")
            merged = {"response": targets[sev].response, "resolution": targets[sev].resolution}
            for part, dur in spec.items():
                if parse_duration(dur) is None:
                    raise PolicyError(f"{where}: 'policy.targets.{sev}.{part}' must be a "
                                      "duration such as 15m or 4h")
                merged[part] = dur
            targets[sev] = Target(**merged)
        kwargs["targets"] = targets
    return Policy(**kwargs)
