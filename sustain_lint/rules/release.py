"""SL311-SL312: the release policy (Gate 3, step 3.2)."""

from __future__ import annotations

from collections.abc import Iterator

from sustain_lint.artifacts import RELEASE
from sustain_lint.context import Context
from sustain_lint.documents import MarkdownDocument, Section
from sustain_lint.model import Location, Problem, Rule, Severity
from sustain_lint.names import is_placeholder
from sustain_lint.rules._approval import APPROVAL_FIX, APPROVAL_WHAT, stale_problem

# (what the section is, heading keywords, what to write in it)
SECTIONS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("cadence", ("cadence", "window"),
     "when regular releases happen (e.g. every second Tuesday, 10:00-12:00) and any freeze "
     "windows"),
    ("patch triage", ("patch", "hotfix", "triage"),
     "which defects are hotfixed outside the cadence, and who decides"),
    ("quality gates", ("quality gate",),
     "the checks every release must pass (tests, canary, rollback)"),
    ("communication", ("communicat",),
     "who is told about a release, where, and how far ahead"),
)


def _matching(doc: MarkdownDocument, keywords: tuple[str, ...]) -> list[Section]:
    wanted = [k.lower() for k in keywords]
    return [s for s in doc.sections
            if s.level >= 2 and any(k in s.title.lower() for k in wanted)]


def _top(doc: MarkdownDocument) -> Location:
    """Where a missing section is reported: the document's first heading."""
    if doc.sections:
        return doc.sections[0].location()
    return Location(1, 1, "document")


def check_sections(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(RELEASE, MarkdownDocument)
    if doc is None:
        return
    for label, keywords, content in SECTIONS:
        found = _matching(doc, keywords)
        if any(s.has_content for s in found):
            continue
        heading = " or ".join(f"'{k}'" for k in keywords)
        if found:
            sec = found[0]
            yield Problem(
                RELEASE,
                f"{RELEASE}: the {label} section '{sec.title}' is empty; write in it "
                f"{content}",
                sec.location(),
            )
        else:
            yield Problem(
                RELEASE,
                f"{RELEASE} has no {label} section; add a heading (## or deeper) containing "
                f"{heading} and write under it {content}",
                _top(doc),
            )


def check_approval(ctx: Context) -> Iterator[Problem]:
    doc = ctx.doc(RELEASE, MarkdownDocument)
    if doc is None:
        return
    status = doc.front("status")
    if not (isinstance(status, str) and status.strip().lower() == "approved"):
        shown = f"'{status}'" if isinstance(status, str) and status.strip() else "missing"
        yield Problem(
            RELEASE,
            f"{RELEASE}: front matter status is {shown}, not approved; get the policy "
            "approved and write `status: approved` with `approved_by` and `approved_on`",
            doc.front_location("status"),
        )
    approver = doc.front("approved_by")
    if is_placeholder(approver) or not isinstance(approver, str):
        shown = (f"'{approver}'" if isinstance(approver, str) and approver.strip()
                 else "missing")
        yield Problem(
            RELEASE,
            f"{RELEASE}: front matter approved_by is {shown}; write who approved the release "
            "policy (e.g. `approved_by: Head of Operations`)",
            doc.front_location("approved_by"),
        )
    approved_on = doc.front("approved_on")
    if approved_on is None or (isinstance(approved_on, str) and not approved_on.strip()):
        state = ("missing" if doc.front_matter is None or not isinstance(
            doc.front_matter.data, dict) or "approved_on" not in doc.front_matter.data
            else "empty")
        yield Problem(
            RELEASE,
            f"{RELEASE}: front matter approved_on is {state}; write the date the release "
            "policy was approved (`approved_on: YYYY-MM-DD`)",
            doc.front_location("approved_on"),
        )


SL311 = Rule(
    code="SL311",
    name="release-policy-section-missing",
    gate=3,
    severity=Severity.ERROR,
    summary="The release policy lacks a cadence, patch triage, quality gates or "
    "communication section",
    what="`release-policy.md` has four non-empty sections, found by heading text (level 2 or "
    "deeper, case-insensitive): cadence (`cadence` or `window`), patch triage (`patch`, "
    "`hotfix` or `triage`), quality gates (`quality gate`) and communication (`communicat`). "
    "One finding per missing or empty section: at the empty section's heading, or at the "
    "document's first heading when the section is absent. A section holding only HTML "
    "comments (the `init` template's `<!-- ... -->`), white space, Markdown markup or "
    "placeholders (`TBD`, `TODO: write this`, `...`) is empty.",
    why="Step 3.2 asks to 'Set cadence and criteria for patches, maintenance releases, and "
    "communications' and halts when the 'Release policy lacks approval or gating criteria'. "
    "Gate 3's criterion: 'release policy defined'.",
    fix="Add the missing section with a heading that contains one of its keywords, and write "
    "the policy under it.",
    example=("release-policy.md:6:1: SL311 [error] release-policy.md has no"
             " communication section; add a heading (## or deeper) containing"
             " 'communicat' and write under it who is told about a release,"
             " where, and how far ahead\n"
             "\n"
             "What passes:\n")
            + ("## Release cadence and windows\nRegular releases every second Tuesday, "
    "10:00-12:00 Europe/London.\n\n## Patch and hotfix triage\n...\n\n## Quality gates\n"
    "...\n\n## Communication\n..."),
    check=check_sections,
)

SL312 = Rule(
    code="SL312",
    name="release-policy-not-approved",
    gate=3,
    severity=Severity.ERROR,
    summary="The release policy is not approved, or approved_by / approved_on is missing",
    what="The front matter of `release-policy.md` has `status: approved`, an `approved_by` "
    "that is not a placeholder (TBD, n/a, ...) and an `approved_on` date (the date the "
    "approval covers: it must not be after today, SL007; a malformed date is SL003's). Each "
    "defect is a finding at its key (or at the front matter when the key is absent).",
    why="Step 3.2's halt condition: 'Release policy lacks approval or gating criteria'.",
    fix="Have the policy approved, then write `status: approved`, `approved_by: <who>` and "
    "`approved_on: YYYY-MM-DD` in the front matter.",
    example=("release-policy.md:1:1: SL312 [error] release-policy.md: front"
             " matter approved_by is missing; write who approved the release"
             " policy (e.g. `approved_by: Head of Operations`)\n"
             "\n"
             "What passes:\n")
            + ("---\nstatus: approved\napproved_by: Head of Operations\napproved_on: 2026-11-14\n"
    "---"),
    check=check_approval,
)


# --- SL313 -----------------------------------------------------------------

def check_fresh(ctx: Context) -> Iterator[Problem]:
    yield from stale_problem(ctx, RELEASE, "release policy")


SL313 = Rule(
    code="SL313",
    name="release-policy-changed-after-approval",
    gate=3,
    severity=Severity.ERROR,
    summary="The release policy's content changed after it was approved",
    what=APPROVAL_WHAT.format(file="`release-policy.md`"),
    why="Step 3.2's halt condition: 'Release policy lacks approval or gating criteria'. A "
    "policy edited after its approval (a quality gate dropped, the cadence moved) lacks "
    "approval for what it now says.",
    fix=APPROVAL_FIX,
    example=(
             'release-policy.md:4:1: SL313 [error] release-policy.md: the '
             'release policy changed after its approval on 2026-11-14, first '
             'in commit 1ea8d9a (2026-11-19, Lee Okafor); changed since: the '
             "section '## Quality gates'. The approval covers only what was "
             'approved: have the change approved, then renew the approval by '
             'writing the new date in approved_on (and who approved it in '
             'approved_by)\n\nWhat passes: the renewed approval, dated the day '
             'the change was approved:\n'
             + "approved_by: Head of Operations\napproved_on: 2026-11-20"),
    check=check_fresh,
    history=(RELEASE,),
)

RULES = (SL311, SL312, SL313)
READS: dict[str, tuple[str, ...]] = {}  # no table column (see rules.COLUMNS_READ)
