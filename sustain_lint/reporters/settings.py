"""How the reports say what really ran (model.Settings): the configuration file in
force, the rules switched off or downgraded, the judged gates no running rule could
fail. Shared wording, so that the text, the step summary, JSON and SARIF agree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sustain_lint.model import STRUCTURAL_RULES, RunResult, Settings


def code_ranges(codes: Iterable[str], order: Sequence[str]) -> str:
    """``SL001-SL004, SL111``: runs of three or more codes that follow each other in
    the catalog written as ranges, so that a --select run's list stays one line."""
    wanted = set(codes)
    parts: list[str] = []
    run: list[str] = []
    for code in [*order, ""]:
        if code in wanted:
            run.append(code)
            continue
        if run:
            parts.append(f"{run[0]}-{run[-1]}" if len(run) >= 3 else ", ".join(run))
            run = []
    return ", ".join(parts)


def gates_text(gates: Sequence[int]) -> str:
    return ("Gate " if len(gates) == 1 else "Gates ") + ", ".join(str(g) for g in gates)


def settings_line(settings: Settings, order: Sequence[str]) -> str | None:
    """One line naming the configuration and what it changed; None for a run with the
    defaults and every rule on."""
    if settings.config is None and not settings.changed and not settings.selected:
        return None
    parts = [f"Configuration: {settings.config or 'none (the defaults)'}"]
    if settings.selected:
        parts.append(f"selected: {', '.join(settings.selected)}")
    if settings.off:
        parts.append(f"switched off: {code_ranges(settings.off, order)}")
    if settings.downgraded:
        parts.append(f"downgraded to warnings: {code_ranges(settings.downgraded, order)}")
    return "; ".join(parts)


def unjudged_reason(settings: Settings) -> str:
    if any(code in settings.off for code in STRUCTURAL_RULES):
        return "SL001-SL004 are not all running, so no file was checked for existence and shape"
    one = len(settings.unjudged) == 1
    return f"no rule that could fail {'it' if one else 'them'} ran"


def unjudged_line(result: RunResult) -> str | None:
    gates = result.settings.unjudged
    if not gates or not result.sets:
        return None
    return (f"{gates_text(gates)} not really judged: {unjudged_reason(result.settings)}"
            + (" (--strict fails them)" if result.strict else ""))


_NAMED_SETS = 3  # sets named in the history line; the rest are counted


def history_line(result: RunResult) -> str | None:
    """Which sets' approvals were not judged against git history, and why (evidence.md
    §7: outside a repository, without git, git refusing it); None when every set was
    judged or no rule that judges history ran."""
    codes = result.settings.history
    missed = [s for s in result.sets if s.history_unjudged]
    if not codes or not missed:
        return None
    by_reason: dict[str, list[str]] = {}
    for s in missed:
        by_reason.setdefault(s.history_unjudged or "", []).append(s.path)
    head = f"Approval freshness ({', '.join(codes)}) was not judged"
    if len(result.sets) == 1:
        return f"{head}: {missed[0].history_unjudged}"
    parts = []
    for reason, paths in by_reason.items():
        named = ", ".join(paths[:_NAMED_SETS])
        if len(paths) > _NAMED_SETS:
            named += f" and {len(paths) - _NAMED_SETS} more"
        parts.append(f"{reason} ({named})")
    return f"{head} for {len(missed)} of {len(result.sets)} sets: " + "; ".join(parts)
