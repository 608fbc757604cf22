"""SL005: owner-like values that match nobody in the capacity roster.

An owner is written in many artifacts; it must name a person (``name``) or a
role (``role``) of ``capacity-analysis.csv``, compared trimmed and
case-insensitively. The finding belongs to the file where the owner is
written, so it is attributed to that file's gate (``gate=None``).
Placeholders (TBD, n/a, -) are skipped: each artifact's missing-owner rule
speaks about those. The rule is silent when the roster is missing or
unreadable (SL001/SL002 speak).
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterator, Sequence
from typing import Any

from sustain_lint.artifacts import CAPACITY
from sustain_lint.context import Context
from sustain_lint.documents import CsvDocument, MarkdownDocument, TreeDocument
from sustain_lint.model import Problem, Rule, Severity
from sustain_lint.names import display_name, is_placeholder, normalise_name
from sustain_lint.rules._common import capacity_people
from sustain_lint.rules._fields import (
    ITEM,
    PLACEHOLDER_FIELDS,
    ROSTER_FIELDS,
    OwnerField,
    column_place,
    front_value,
    table_values,
    tree_values,
)
from sustain_lint.suggest import MAX_OWNER_LEN


def _reads() -> dict[str, tuple[str, ...]]:
    """The table columns this rule reads (see rules.COLUMNS_READ): the roster's names and
    roles, and each table field of the owner table with the column that names its row."""
    reads: dict[str, tuple[str, ...]] = {CAPACITY: ("name", "role")}
    for field in ROSTER_FIELDS:
        if field.shape == "column":
            extra = (field.where[0], *((field.named_by,) if field.named_by else ()))
            reads[field.artifact] = tuple(dict.fromkeys((*reads.get(field.artifact, ()), *extra)))
    return reads


READS = _reads()

# the separators of a list of owners (the parts between them are trimmed): a leading ``\s*``
# here made splitting a long run of spaces quadratic (the run scanned again from each space)
_SPLIT = re.compile(r"[,;/&+]|\band\b", re.IGNORECASE)
# a trailing "(...)"; it starts at the first of the spaces before the parenthesis, which no
# whitespace precedes: searching from every space of a long run was quadratic
_PAREN = re.compile(r"(?<!\s)\s*\(([^()]*)\)\s*$")
HINT_CANDIDATES = 40  # at most this many names are compared in full with one unknown value


class _Matcher:
    """Decides whether an owner value names someone of the roster, caching
    the verdict and the hint per distinct value (a backlog may have a million rows)."""

    def __init__(self, known: set[str], display: list[str]) -> None:
        self.known = known
        self.display = display
        self._cache: dict[str, bool] = {}
        self._hints: dict[str, str] = {}
        self._closest: _Closest | None = None

    def _one(self, text: str) -> bool:
        key = normalise_name(text)
        if key in self.known:
            return True
        m = _PAREN.search(text)  # "Priya Raman (L2 On-call Engineer)"
        if m:
            outer = text[:m.start()]
            return normalise_name(outer) in self.known or normalise_name(m.group(1)) in self.known
        return False

    def matches(self, value: str) -> bool:
        cached = self._cache.get(value)
        if cached is not None:
            return cached
        verdict = self._one(value)
        if not verdict:
            parts = [p.strip() for p in _SPLIT.split(value) if p.strip()]
            verdict = len(parts) > 1 and all(self._one(p) for p in parts)
        self._cache[value] = verdict
        return verdict

    def _did_you_mean(self, word: str) -> str:
        if self._closest is None:
            self._closest = _Closest(self.display)
        close = self._closest.best(word)
        return f"did you mean '{close}'? " if close else ""

    def hint(self, value: str) -> str:
        """What to say about an unknown value: the unknown owners of a list some of whose
        owners are known, and a close spelling of the same name when there is one."""
        word = value.strip()
        if len(word) > MAX_OWNER_LEN:
            return ""  # no owner's name is this long: no hint, at no cost
        found = self._hints.get(word)
        if found is None:
            parts = [p.strip() for p in _SPLIT.split(word) if p.strip()]
            unknown = [p for p in parts if not self._one(p)]
            if len(parts) > 1 and len(unknown) < len(parts):
                found = (f"{', '.join(repr(p) for p in unknown)} "
                         f"{'is' if len(unknown) == 1 else 'are'} not in it (every owner of "
                         "the list must be); "
                         + "".join(self._did_you_mean(p) for p in unknown))
            else:
                found = self._did_you_mean(word)
            self._hints[word] = found
        return found




def spelling(name: str) -> str:
    """A name as its spelling is compared for a hint: its letters and digits only,
    accents dropped, case-folded (``Diego Álvarez`` and ``diego alvarez`` spell alike)."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", name).casefold()
    return "".join(c for c in folded if c.isalnum() and not unicodedata.combining(c))


class _Closest:
    """The closest spelling of the same name: ``difflib.get_close_matches(word, names,
    n=1, cutoff=0.8)`` on the spellings (``spelling``), so that a hint is a misspelling
    (``Priya Ramen``: 'Priya Raman') and never another name that shares a word
    (``VP Engineering`` is not 'Engineering Manager'). Bounded: a name
    can only be as similar as its multiset of characters allows (``quick_ratio``,
    an upper bound of ``ratio``), which numpy works out for every name at once;
    then names are compared in full (``ratio``) from the highest bound down, until
    no bound can reach the best ratio found (the same answer as difflib's) or
    ``HINT_CANDIDATES`` names were compared (a roster of thousands of look-alike
    names: the best of those). A roster of at most ``HINT_CANDIDATES`` names is
    left to difflib itself."""

    CUTOFF = 0.8

    def __init__(self, display: list[str]) -> None:
        shown: dict[str, str] = {}
        for name in display:
            key = spelling(name)
            if key:
                shown.setdefault(key, name)
        self.shown = shown  # spelling -> the name shown in the hint
        self.names = list(shown)
        self.longest = max(map(len, self.names), default=0)
        # first word -> (the words, the name shown) of each name of several words
        self._by_first: dict[str, list[tuple[list[str], str]]] | None = None
        # per character: the names that hold it and how many times (as numpy arrays); as
        # large as the roster, whatever its alphabet
        self._postings: dict[str, tuple[Any, Any]] | None = None
        self._lengths: Any = None

    def _index(self) -> dict[str, tuple[Any, Any]]:
        import numpy as np

        rows: dict[str, list[int]] = {}
        counts: dict[str, list[int]] = {}
        for row, name in enumerate(self.names):
            for char, count in collections.Counter(name).items():
                rows.setdefault(char, []).append(row)
                counts.setdefault(char, []).append(count)
        self._lengths = np.array([len(name) for name in self.names], dtype=np.float64)
        return {char: (np.array(rows[char], dtype=np.intp),
                       np.array(counts[char], dtype=np.float64)) for char in rows}

    def best(self, written: str) -> str | None:
        short = self._abbreviated(written)
        if short is not None:
            return short
        found = self._best(spelling(written))
        return self.shown[found] if found is not None else None

    def _abbreviated(self, written: str) -> str | None:
        """The name ``written`` abbreviates word by word (``Aisha B.``: 'Aisha Bello'):
        as many words, the first the same, each a prefix of the name's word."""
        words = [w.rstrip(".") for w in normalise_name(written).split()]
        if len(words) < 2 or not all(words):
            return None
        if self._by_first is None:
            self._by_first = {}
            for name in self.shown.values():
                folded = normalise_name(name).split()
                if len(folded) >= 2:
                    self._by_first.setdefault(folded[0], []).append((folded, name))
        for folded, name in self._by_first.get(words[0], [])[:HINT_CANDIDATES]:
            if (len(folded) == len(words) and folded != words
                    and all(f.startswith(w) for f, w in zip(folded, words, strict=True))):
                return name
        return None

    def _best(self, word: str) -> str | None:
        import difflib

        if not word:
            return None
        if len(word) > self.longest and 2.0 * self.longest / (self.longest + len(word)) < self.CUTOFF:
            return None  # longer than any name can match (real_quick_ratio): no need to look
        if len(self.names) <= HINT_CANDIDATES:
            close = difflib.get_close_matches(word, self.names, n=1, cutoff=self.CUTOFF)
            return close[0] if close else None
        import numpy as np

        if self._postings is None:
            self._postings = self._index()
        # the characters each name has in common with the word, counted with repeats
        common = np.zeros(len(self.names), dtype=np.float64)
        for char, count in collections.Counter(word).items():
            posting = self._postings.get(char)
            if posting is not None:
                common[posting[0]] += np.minimum(posting[1], count)
        bound = 2.0 * common / (self._lengths + len(word))  # quick_ratio, as difflib works it
        order = np.flatnonzero(bound >= self.CUTOFF)
        order = order[np.argsort(-bound[order], kind="stable")][:HINT_CANDIDATES]
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)  # as get_close_matches: the name is a, the word b
        best: tuple[float, str] | None = None
        for index in order.tolist():
            if best is not None and bound[index] < best[0]:
                break  # no name left can match as well as the best one
            matcher.set_seq1(self.names[index])
            score = (matcher.ratio(), self.names[index])
            if score[0] >= self.CUTOFF and (best is None or score > best):
                best = score
        return best[1] if best is not None else None


def _roster(doc: CsvDocument, extra: Sequence[str] = ()) -> _Matcher:
    """The known owners: every name and role of the roster that is not a placeholder, and
    the names of ``policy.extra_owners``."""
    display: dict[str, str] = {}
    for column in ("name", "role"):
        for value in doc.column(column):
            if not is_placeholder(value):
                display.setdefault(normalise_name(value), display_name(value))
    known = capacity_people(doc)
    for value in extra:
        if not is_placeholder(value):
            known.add(normalise_name(value))
            display.setdefault(normalise_name(value), display_name(value))
    return _Matcher(known, sorted(display.values()))


def _message(matcher: _Matcher, artifact: str, place: str, value: str) -> str:
    return (f"{place} in {artifact} is '{value.strip()}', which matches no name or role in "
            f"{CAPACITY}; {matcher.hint(value)}write a name or role from {CAPACITY}, or add "
            f"this person to {CAPACITY}")


def check_owners(ctx: Context) -> Iterator[Problem]:
    roster = ctx.doc(CAPACITY, CsvDocument)
    if roster is None:
        return
    matcher = _roster(roster, ctx.policy.extra_owners)

    def unknown(value: object) -> bool:
        return isinstance(value, str) and not is_placeholder(value) and not matcher.matches(
            value.strip())

    for field in ROSTER_FIELDS:
        artifact = field.artifact
        if field.shape == "tree":
            doc = ctx.doc(artifact, TreeDocument)
            if doc is None:
                continue
            for found in tree_values(doc, field):
                if unknown(found.value):
                    yield Problem(artifact, _message(matcher, artifact, found.place,
                                                     str(found.value)),
                                  doc.locate(str(found.where)))
        elif field.shape == "column":
            table = roster if artifact == CAPACITY else ctx.doc(artifact, CsvDocument)
            column = field.where[0]
            if table is None or not table.has_column(column):
                continue
            values = table.column(column)
            bad = {v for v in set(values) if unknown(v)}  # judge each distinct value once
            if not bad:
                continue
            for i, value in enumerate(values):
                if value in bad:
                    yield Problem(artifact, _message(matcher, artifact,
                                                     column_place(table, field, i), value),
                                  table.cell_location(i, column))
        elif field.shape == "table-column":
            markdown = ctx.doc(artifact, MarkdownDocument)
            if markdown is None:
                continue
            for found, location in table_values(markdown, field):
                if unknown(found.value):
                    yield Problem(artifact, _message(matcher, artifact, found.place,
                                                     str(found.value)), location)


SL005 = Rule(
    code="SL005",
    name="unknown-owner",
    gate=None,
    severity=Severity.WARNING,
    summary="An owner-like value matches no name or role in capacity-analysis.csv",
    what="Owner-like values name a person (`name`) or a role (`role`) of "
    "`capacity-analysis.csv`, or a name of `policy.extra_owners` (a rotation alias, a "
    "director who owns a queue), compared after Unicode NFC normalisation, case folding, "
    "trimming and collapsing white space: severity and queue "
    "`owner` and escalation `role` in support-workflow.yaml, runbook `owner`, backlog "
    "`owner`, monitoring item `owner`, tooling `owners`, capacity `remediation_owner`, and "
    "the Facilitator column of review-calendar.md. A value listing several owners "
    "(`Priya Raman, Support Lead`, `A / B`, `A and B`) matches when each of them does, and "
    "the message names the ones that do not; "
    "`Name (Role)` matches when either part does. Contacts, stakeholders and approvers are "
    "not checked. Placeholders (TBD, n/a) are left to the artifact's missing-owner rule "
    "(or SL006), never reported twice. A 'did you mean' names only a close spelling of the "
    "same name (`Priya Ramen`, `Aisha B.`), never another name that shares a word with it "
    "(`VP Engineering` is not `Engineering Manager`). "
    "The finding belongs to the gate of the file where the owner is written; the rule is "
    "silent when capacity-analysis.csv is missing or unreadable.",
    why="Protocol 18's primary guardrail: \"Do not finalize maintenance planning without "
    "defined ownership, response processes, backlog intake, and capacity commitments.\" "
    "An owner who is not in the capacity analysis is either misspelt or someone whose time "
    "nobody planned: ownership on paper only.",
    fix="Write the owner exactly as a `name` or `role` of capacity-analysis.csv, or add the "
    "person (with role, support level and coverage) to capacity-analysis.csv; a name that "
    "owns without a roster row (a rotation alias) goes into `policy.extra_owners`.",
    example=("runbook-index.json:7:131: SL005 [warning] the owner of runbook 'RB-04'"
             " (`runbooks[3].owner`) in runbook-index.json is 'Aisha B.', which matches no"
             " name or role in capacity-analysis.csv; did you mean 'Aisha Bello'? write a name"
             " or role from capacity-analysis.csv, or add this person to"
             " capacity-analysis.csv"),
    check=check_owners,
)

# --- SL006 -----------------------------------------------------------------

_WRITE = {
    "owner": "write the person or role who owns it (a name or role of "
             f"{CAPACITY})",
    "roster-name": "write the person's name; an open position covers nothing and counts for "
                   "no rotation, so leave it out of the roster until it is filled",
}


def _placeholder_message(artifact: str, place: str, value: object, field: OwnerField) -> str:
    text = value.strip() if isinstance(value, str) else ""
    state = f"is '{text}', a placeholder that names nobody" if text else "is empty"
    return f"{place} in {artifact} {state}; {_WRITE.get(field.kind, _WRITE['owner'])}"


def _tree_placeholders(doc: TreeDocument, artifact: str, field: OwnerField) -> Iterator[Problem]:
    for found in tree_values(doc, field):
        value = found.value
        if value is None and str(found.where) not in doc.positions:
            continue  # the key is absent: the schema's required keys speak (SL003)
        if is_placeholder(value):
            yield Problem(artifact, _placeholder_message(artifact, found.place, value, field),
                          doc.locate(str(found.where)))
    if field.where[-1] != ITEM:
        return
    # a list of owners needs at least one: an empty list names nobody
    parent = field._replace(where=field.where[:-1], label=field.label.replace("[{j}]", ""))
    for found in tree_values(doc, parent):
        if isinstance(found.value, list) and not found.value:
            yield Problem(artifact, f"{found.place} in {artifact} is an empty list; "
                          f"{_WRITE['owner']}", doc.locate(str(found.where)))


def check_placeholders(ctx: Context) -> Iterator[Problem]:
    for field in PLACEHOLDER_FIELDS:
        artifact = field.artifact
        if field.shape == "tree":
            doc = ctx.doc(artifact, TreeDocument)
            if doc is not None:
                yield from _tree_placeholders(doc, artifact, field)
        elif field.shape == "front":
            markdown = ctx.doc(artifact, MarkdownDocument)
            if markdown is None or markdown.front_matter is None:
                continue
            found = front_value(markdown, field)
            data = markdown.front_matter.data
            if not isinstance(data, dict) or field.where[0] not in data:
                continue  # absent: the front matter's required keys speak (SL003)
            if is_placeholder(found.value):
                yield Problem(artifact, _placeholder_message(artifact, found.place,
                                                             found.value, field),
                              markdown.front_location(field.where[0]))
        elif field.shape == "column":
            table = ctx.doc(artifact, CsvDocument)
            column = field.where[0]
            if table is None or not table.has_column(column):
                continue
            distinct = table.distinct(column)
            # an empty required cell is SL003's; a written placeholder is this rule's
            bad = [bool(v) and is_placeholder(v) for v in distinct.values]
            if not any(bad):
                continue
            for row, code in enumerate(distinct.codes):
                if bad[code]:
                    yield Problem(artifact, _placeholder_message(
                        artifact, column_place(table, field, row), distinct.values[code], field),
                        table.cell_location(row, column))


SL006 = Rule(
    code="SL006",
    name="owner-placeholder",
    gate=None,
    severity=Severity.ERROR,
    summary="An owner-like value is empty or a placeholder where no artifact rule speaks for it",
    what="The owner-like values no artifact rule judges are names, not placeholders: the "
    "charter's `owner`, each runbook's `owner`, each of a tool's `owners` (and at least one), "
    "each workflow escalation `role`, and each roster `name` of capacity-analysis.csv. A "
    "placeholder is `TBD`, `TBC`, `TBA`, `TODO`, `FIXME`, `XXX`, `n/a`, `none`, `nobody`, "
    "`unassigned`, `unknown`, `pending`, `placeholder`, `changeme`, punctuation alone (`-`, "
    "`—`, `?`, `…`), in any case, in brackets or quotes, with trailing punctuation or a note "
    "after it (`TBD - ask Anna`, `TODO: assign`), or a template word in brackets (`<owner>`, "
    "`[name]`). The other owner-like fields are judged by their artifact's own rule (SL101, "
    "SL103, SL112, SL213, SL214, SL302, SL312, SL322, SL401, SL412, SL421, SL901): each "
    "placeholder is reported once. A key that is absent is the schema's (SL003). The finding "
    "belongs to the gate of the file.",
    why="Protocol 18's primary guardrail: \"Do not finalize maintenance planning without "
    "defined ownership, response processes, backlog intake, and capacity commitments.\" "
    "`owner: TBD` is the absence of an owner written down; a roster row named TBD is an "
    "open position that covers no hour of the rota.",
    fix="Write the person or role who owns it (a name or role of capacity-analysis.csv); "
    "take a roster row of an open position out until someone fills it.",
    example=("runbook-index.json:5:114: SL006 [error] the owner of runbook 'RB-02'"
             " (`runbooks[1].owner`) in runbook-index.json is 'TBD - ask Anna', a placeholder"
             " that names nobody; write the person or role who owns it (a name or role of"
             " capacity-analysis.csv)"),
    check=check_placeholders,
)

RULES = (SL005, SL006)
