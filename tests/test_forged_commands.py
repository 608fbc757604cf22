"""No output of any format, on any stream, holds a line that GitHub's runner would
read as a workflow command, unless sustain-lint wrote that command itself.

The runner's two parsers are re-implemented here from ``actions/runner``
(``src/Runner.Common/ActionCommand.cs``: ``TryParseV2`` and ``TryParse``;
``src/Runner.Worker/ActionCommandManager.cs``: ``TryProcessCommand`` with its
``stop-commands`` state and the registered command names), and run over the stdout
and stderr of the real CLI in all five formats, on a repository whose artifacts,
file names and folder names carry forged commands in every field a message quotes.

Two readings of every output:
- ``Runner``: the runner as it is (v2 first, legacy only when v2 fails; registered
  names only, case-insensitive; stopped until the resume token; lines split at CR
  and LF, like .NET's stream reader);
- ``strict``: any command name, no stop-commands, lines split at every break
  ``str.splitlines`` knows: the neutralisation alone must hold, without the
  stop-commands wrapper and for any command GitHub may add.

Also here: the step summary (no autolink by markdown-it-py's linkify nor by a model
of GitHub's autolink, mention and reference rules; within 1 MiB), the annotation
``file=`` value, and the neutralising functions themselves (hypothesis).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sustain_lint.reporters import FORMATS
from sustain_lint.reporters.neutral import (
    BREAKS,
    LEADING,
    neutral_json,
    neutral_log,
    neutral_xml,
    stop_token,
)
from tests.helpers import SET, TODAY, Result, copy_example, run_cli

# -- the runner's parsers ----------------------------------------------------------------

# ActionCommandManager: "stop-commands" plus every command extension's name
REGISTERED = frozenset({
    "stop-commands", "set-env", "set-output", "save-state", "add-mask", "add-path",
    "add-matcher", "remove-matcher", "debug", "warning", "error", "notice", "group",
    "endgroup", "echo"})
ANNOTATIONS = frozenset({"error", "warning", "notice"})
# .NET char.IsWhiteSpace: what String.TrimStart() removes
DOTNET_WHITE = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
                + "".join(map(chr, range(0x2000, 0x200B))))


def _unescape(text: str, mapping: tuple[tuple[str, str], ...]) -> str:
    for token, replacement in mapping:
        text = text.replace(replacement, token)
    return text


_DATA = (("\r", "%0D"), ("\n", "%0A"), ("%", "%25"))
_PROPERTY = (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25"))
_LEGACY_ESC = ((";", "%3B"), ("\r", "%0D"), ("\n", "%0A"), ("]", "%5D"), ("%", "%25"))


@dataclass
class Command:
    name: str
    props: dict[str, str]
    data: str
    line: str
    form: str  # "v2" or "legacy"


def _known(name: str, registered: frozenset[str] | None) -> bool:
    return bool(name) and (registered is None or name.lower() in registered)


def try_parse_v2(message: str, registered: frozenset[str] | None) -> Command | None:
    """``ActionCommand.TryParseV2``; ``registered=None`` accepts any name."""
    if not message:
        return None
    message = message.lstrip(DOTNET_WHITE)
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if not _known(name, registered):
        return None
    props: dict[str, str] = {}
    if space > 0:
        for prop in info[space + 1:].strip().split(","):
            key, _, value = prop.partition("=")
            if prop and key and value:
                props[key] = _unescape(value, _PROPERTY)
    return Command(name, props, _unescape(message[end + 2:], _DATA), message, "v2")


def try_parse_legacy(message: str, registered: frozenset[str] | None) -> Command | None:
    """``ActionCommand.TryParse``: the first ``##[`` anywhere in the line."""
    if not message:
        return None
    start = message.find("##[")
    if start < 0:
        return None
    close = message.find("]", start)
    if close < 0:
        return None
    info = message[start + 3:close]
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if not _known(name, registered):
        return None
    props: dict[str, str] = {}
    if space > 0:
        for prop in info[space + 1:].split(";"):
            key, _, value = prop.partition("=")
            if prop and key and value:
                props[key] = _unescape(value, _LEGACY_ESC)
    return Command(name, props, _unescape(message[close + 1:], _LEGACY_ESC), message, "legacy")


def runner_lines(stream: str) -> list[str]:
    """How the runner's process reader splits a stream: at CR LF, CR and LF."""
    return re.split(r"\r\n|\r|\n", stream)


@dataclass
class Runner:
    """``ActionCommandManager.TryProcessCommand``: the commands it would carry out."""

    registered: set[str] = field(default_factory=lambda: set(REGISTERED))
    stop_token: str | None = None
    done: list[Command] = field(default_factory=list)

    def feed(self, stream: str) -> list[Command]:
        for line in runner_lines(stream):
            if "##[" not in line and "::" not in line:  # OutputManager's pre-check
                continue
            names = frozenset(self.registered)
            cmd = try_parse_v2(line, names) or try_parse_legacy(line, names)
            if cmd is None:
                continue
            if self.stop_token is not None:
                if cmd.name.lower() == self.stop_token.lower():
                    self.registered.discard(self.stop_token.lower())
                    self.stop_token = None
                    self.done.append(cmd)
                continue  # stopped: not carried out
            if cmd.name.lower() == "stop-commands":
                self.stop_token = cmd.data
                self.registered.add(cmd.data.lower())
            self.done.append(cmd)
        return self.done


def strict_commands(stream: str) -> list[Command]:
    """Every line, split at any line break Python knows, read by both parsers with
    any command name and no stop-commands: what the neutralisation alone allows."""
    found = []
    for line in stream.splitlines():
        cmd = try_parse_v2(line, None)
        if cmd is None:
            cmd = try_parse_legacy(line, None)
        if cmd is not None:
            found.append(cmd)
    return found


def test_the_parsers_read_the_attack() -> None:
    """The parsers above do see the forged commands in the raw payloads (else the
    tests below prove nothing)."""
    legacy = try_parse_legacy("x ##[error title=FORGED;file=README.md;line=1]All gates passed",
                              REGISTERED)
    assert legacy and legacy.name == "error" and legacy.props["title"] == "FORGED"
    assert legacy.data == "All gates passed"
    v2 = try_parse_v2("\u3000 ::warning title=FORGED::x", REGISTERED)
    assert v2 and v2.name == "warning" and v2.data == "x"
    assert try_parse_v2("::pwned::", REGISTERED) is None
    runner = Runner()
    runner.feed("::stop-commands::tok\n::error::hidden\n##[tok]\n::add-mask::s\n")
    assert [c.name for c in runner.done] == ["stop-commands", "tok", "add-mask"]
    assert [c.name for c in strict_commands("a\u2028::x::y\n##[z]w")] == ["x", "z"]


# -- a repository with forged commands in every quoted field -------------------------------

LEGACY = "##[error title=FORGED;file=README.md;line=1]All gates passed"


def payload(key: str, breaks: bool = True) -> str:
    """Forged commands around a marker: v2 at the start, legacy in the middle and,
    with ``breaks``, after every kind of line break, stop-commands and add-mask."""
    text = f"::warning title=FORGED::{key} {LEGACY} %{key}%"
    if breaks:
        text += (f"\n::stop-commands::pwned\r::add-mask::{key}\r\n  ::error::{key}"
                 f"\u2028::notice::{key}\x85::set-output name=x::{key}\n\u3000::pwned::"
                 f"\n##[group]{key}")
    return text


def _yq(text: str) -> str:
    return json.dumps(text)  # a YAML double-quoted scalar holding text exactly


def _cq(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'  # a quoted CSV cell


# A folder name that starts the text report's set header and every finding's path
FOLDER = f"::warning title=FORGED::x {LEGACY}"
MARKERS = ("queue-owner", "severity-owner", "channel-id", "yaml-key", "runbook-id",
           "runbook-type", "runbook-location", "runbook-owner", "json-key", "backlog-id",
           "backlog-owner", "csv-header", "role", "facilitator", "charter-heading")


def hostile_repo(root: Path) -> Path:
    repo = copy_example(root)
    s = repo / SET
    wf = s / "support-workflow.yaml"
    text = wf.read_text()
    text = text.replace("{id: oncall, owner: L2 On-call Engineer}",
                        f"{{id: oncall, owner: {_yq(payload('queue-owner'))}}}")
    text = text.replace("P3: {name: Medium, response: 4h, resolution: 72h, owner: L1 Support}",
                        "P3: {name: Medium, response: 4h, resolution: 72h, owner: "
                        f"{_yq(payload('severity-owner'))}}}")
    text = text.replace("  - id: ideas\n", f"  - id: {_yq(payload('channel-id'))}\n")
    # the roster's role (below) misspelt as an owner: SL005's "did you mean" quotes it
    text = text.replace("role: Head of Operations, after: 2h",
                        f"role: {_yq(payload('role').replace('FORGED', 'FORGEED', 1))}, after: 2h")
    key = _yq(payload("yaml-key"))
    wf.write_text(text + f"{key}: 1\n{key}: 2\n")

    index = json.loads((s / "runbook-index.json").read_text())
    index["runbooks"][0]["id"] = index["runbooks"][1]["id"] = payload("runbook-id")
    index["runbooks"][2]["location"] = "docs/" + payload("runbook-location") + ".md"
    index["runbooks"][2]["title"] = payload("runbook-title")
    index["runbooks"][3]["owner"] = payload("runbook-owner")
    index["runbooks"][3]["type"] = payload("runbook-type")
    raw = json.dumps(index, indent=2)
    key = json.dumps(payload("json-key"))
    raw = raw.replace('"update_cadence"', f'{key}: 1, {key}: 2, "update_cadence"', 1)
    (s / "runbook-index.json").write_text(raw)

    backlog = (s / "backlog-register.csv").read_text().splitlines()
    header = payload("csv-header")
    backlog[0] += f",{_cq(header)},{_cq(header)}"
    backlog[1:] = [line + ",," for line in backlog[1:]]
    csv_text = "\n".join(backlog) + "\n"
    csv_text = csv_text.replace("BL-101,", _cq(payload("backlog-id")) + ",")
    csv_text = csv_text.replace("BL-102,", _cq(payload("backlog-id")) + ",")
    csv_text = csv_text.replace("Priya Raman,open", _cq(payload("backlog-owner")) + ",open")
    (s / "backlog-register.csv").write_text(csv_text)

    capacity = s / "capacity-analysis.csv"
    capacity.write_text(capacity.read_text().replace(
        "Sam Patel,L1 Support,", f"Sam Patel,{_cq(payload('role'))},", 1))

    calendar = s / "review-calendar.md"
    calendar.write_text(calendar.read_text().replace(
        "| Support Lead |", f"| {payload('facilitator', breaks=False)} |"))

    charter = s / "maintenance-charter.md"
    lines = charter.read_text().split("\n")
    at = lines.index("## Objectives")
    end = next(i for i in range(at + 1, len(lines)) if lines[i].startswith("## "))
    lines[at:end] = [f"## Objectives {payload('charter-heading', breaks=False)}", ""]
    charter.write_text("\n".join(lines))

    # autolink bait for the step summary: URLs, www., e-mail, mentions, references
    bait = ("https://forged.example/login www.forged.example mail@forged.example "
            "@forged-team org/repo#4242 GH-4242 deadbeefcafe1234 (@forged-team), "
            "<https://forged.example> ![x](https://forged.example/i.png) `code` a|b")
    backlog_file = s / "backlog-register.csv"
    backlog_file.write_text(backlog_file.read_text().replace(
        "Diego Alvarez,open", _cq(bait) + ",open", 1))

    # a second set under a folder whose name is a forged command
    evil = copy_example(repo / FOLDER)
    (evil / SET / "feedback-loop-map.json").write_text("{")
    return repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_repo(tmp_path_factory.mktemp("forged") / "repo")


@pytest.fixture(scope="module")
def reports(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """Every format's stdout and stderr (github with a step summary)."""
    summary = tmp_path_factory.mktemp("summary") / "summary.md"
    out: dict[str, Result] = {}
    old = os.environ.pop("GITHUB_STEP_SUMMARY", None)
    try:
        for fmt in FORMATS:
            if fmt == "github":
                os.environ["GITHUB_STEP_SUMMARY"] = str(summary)
            for color in ("never", "always") if fmt == "text" else ("never",):
                out[fmt if color == "never" else "text-color"] = run_cli(
                    ["--today", TODAY, "--format", fmt, "--color", color, "."], repo)
            os.environ.pop("GITHUB_STEP_SUMMARY", None)
    finally:
        if old is not None:
            os.environ["GITHUB_STEP_SUMMARY"] = old
    out["summary"] = Result(0, summary.read_text(encoding="utf-8"), "")
    return out


def test_every_payload_reaches_a_message(reports: dict[str, Result]) -> None:
    data = json.loads(reports["json"].out)
    quoted = "\n".join(f["message"] + f["path"] + (f["logical_location"] or "")
                       for s in data["sets"] for f in s["findings"])
    for marker in MARKERS:
        assert f"%{marker}%" in quoted, marker
    assert FOLDER in {s["path"].split("/")[0] for s in data["sets"]}
    # and the decoded JSON holds the artifact text unchanged: forged commands included
    assert f"::warning title=FORGED::queue-owner {LEGACY}" in quoted
    assert "\n::stop-commands::pwned\r::add-mask::queue-owner\r\n" in quoted
    assert all(r.code == 1 for k, r in reports.items() if k != "summary")


def _expected_annotations(data: Any) -> int:
    findings = [f for s in data["sets"] for f in s["findings"] if not f["suppressed"]]
    errors = sum(f["severity"] == "error" for f in findings)
    warnings = len(findings) - errors
    return min(errors, 10) + min(warnings, 10) + (errors > 10 or warnings > 10)


@pytest.mark.parametrize("fmt", [*FORMATS, "text-color"])
def test_no_forged_command_on_stdout_or_stderr(fmt: str, reports: dict[str, Result]) -> None:
    result = reports[fmt]
    assert result.err == ""
    for stream in (result.out, result.err):
        strict = strict_commands(stream)
        ran = Runner().feed(stream)
        if fmt != "github" or stream is result.err:
            assert strict == [] and ran == [], [c.line[:120] for c in strict + ran]
            continue
        lines = stream.split("\n")
        token = stop_token(lines[1:lines.index(f"::{ran[0].data}::")])
        assert [(c.name, c.data) for c in ran[:2]] == [("stop-commands", token), (token, "")]
        annotations = ran[2:]
        assert [c.line for c in strict] == [c.line for c in ran]
        expected = _expected_annotations(json.loads(reports["json"].out))
        assert len(annotations) == expected and expected > 10
        for c in annotations:
            assert c.name in ANNOTATIONS and c.form == "v2"
            assert set(c.props) <= {"file", "line", "col", "title"}, c.props
            assert re.fullmatch(r"SL\d{3}|sustain-lint", c.props["title"])
            assert all(c.props.get(k, "1").isdigit() for k in ("line", "col"))
            assert "FORGED" not in c.props["title"]


def test_github_log_is_wrapped_in_stop_commands(reports: dict[str, Result], repo: Path) -> None:
    lines = reports["github"].out.split("\n")
    assert lines[0].startswith("::stop-commands::")
    token = lines[0].removeprefix("::stop-commands::")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    resume = lines.index(f"::{token}::")
    plain = lines[1:resume]
    assert token == hashlib.sha256("".join(f"{x}\n" for x in plain).encode()).hexdigest()[:32]
    assert lines.count(f"::{token}::") == 1 and token not in "\n".join(plain)
    # inside: the plain log (every finding, artifact text neutralised); outside: commands
    assert any("[GATE 1 FAILED]" in x for x in plain)
    assert any("##\\[error title=FORGED" in x for x in plain)
    assert all(x.startswith(("::error ", "::warning ", "::notice ")) for x in lines[resume + 1:-1])
    assert lines[-1] == ""
    # deterministic: the same input, the same bytes (and so the same token)
    os.environ.pop("GITHUB_STEP_SUMMARY", None)
    again = run_cli(["--today", TODAY, "--format", "github", "."], repo)
    assert again.out == reports["github"].out


def test_text_report_shows_the_break(reports: dict[str, Result]) -> None:
    out = reports["text"].out
    headers = [x for x in out.split("\n") if x.endswith(SET) and "FORGED" in x]
    assert headers == [f"\\{FOLDER.replace('##[', '##' + chr(92) + '[')}/{SET}"]
    assert "  \\::warning title=FORGED::x ##\\[error" in out  # the folder in a finding's path
    assert "##[" not in out and "##[" not in reports["text-color"].out


def test_json_sarif_junit_decode_to_the_artifact_text(reports: dict[str, Result]) -> None:
    for fmt in ("json", "sarif"):
        assert "##[" not in reports[fmt].out and "##\\u005b" in reports[fmt].out
    sarif = json.loads(reports["sarif"].out)
    messages = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert any(f"::warning title=FORGED::runbook-owner {LEGACY}" in m for m in messages)
    junit = reports["junit"].out
    assert "##[" not in junit and "##&#91;" in junit
    root = ET.fromstring(junit.encode())
    texts = "\n".join((e.text or "") + " ".join(e.attrib.values()) for e in root.iter())
    assert "\n::stop-commands::pwned\r::add-mask::queue-owner\r\n" in texts
    assert f"{FOLDER}/{SET}" in texts


# -- stderr: configuration errors ---------------------------------------------------------

@pytest.mark.parametrize("config", [
    f'"{payload("config-key", breaks=False)}" = 1\n',
    '"x\\n::error::forged-key\\r##[warning]forged" = 1\n',
    f'select = ["{payload("config-code", breaks=False)}"]\n',
    '[severity]\n"::add-mask::x\\n##[error]forged" = "off"\n',
])
def test_config_errors_on_stderr_are_neutral(config: str, tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    (repo / ".sustain-lint.toml").write_text(config)
    for fmt in FORMATS:
        result = run_cli(["--format", fmt, "."], repo)
        assert result.code == 2 and result.out == ""
        assert "FORGED" in result.err or "forged" in result.err or "add-mask" in result.err
        assert strict_commands(result.err) == [] and Runner().feed(result.err) == []
        assert result.err.count("\n") == 1, result.err


def test_usage_errors_on_stderr_are_neutral(tmp_path: Path) -> None:
    for args in (["--config", "x\n::error::forged"], [f"{FOLDER}\n::notice::x"],
                 ["--select", "::add-mask::x"]):
        result = run_cli(args, tmp_path)
        assert result.code == 2
        assert strict_commands(result.err) == [] and Runner().feed(result.err) == [], result.err


# -- the step summary ---------------------------------------------------------------------

def _markdown() -> Any:
    pytest.importorskip("linkify_it")
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like")


# GitHub's own autolinking, on text outside code: cmark-gfm's autolink extension (URL,
# www., e-mail) and GitHub's references (mentions, issues, commits)
GITHUB_AUTOLINK = {
    "url": re.compile(r"(?i)(?:https?|ftp)://[\w-]"),
    "www": re.compile(r"(?i)(?<![\w.-])www\.[\w-]"),
    "email": re.compile(r"[\w.+-]@[\w-]+\.[\w-]"),
    "mention": re.compile(r"(?<![\w`])@[A-Za-z0-9]"),
    "issue": re.compile(r"(?<![\w&])#\d|(?i:\bgh-\d)"),
    "commit": re.compile(r"(?i)\b[0-9a-f]{7,40}\b"),
}


def _inline_tokens(md: Any, text: str) -> Iterator[Any]:
    for token in md.parse(text):
        yield token
        yield from token.children or ()


def test_summary_has_no_autolink(reports: dict[str, Result]) -> None:
    md = _markdown()
    summary = reports["summary"].out
    for marker in ("forged.example", "@forged-team", "#4242"):
        assert marker in summary, marker  # the bait of hostile_repo reached the summary
    md.linkify.set({"fuzzy_link": False})  # GitHub links no bare domain
    tokens = list(_inline_tokens(md, summary))
    assert not [t for t in tokens if t.type in ("link_open", "image", "html_inline",
                                                "html_block")]
    # linkify's fuzzy mode also links bare domains ("review-calendar.md" in our own
    # text, "README.md" in the payload), which GitHub never does: those are all it finds
    md.linkify.set({"fuzzy_link": True})
    hrefs = [str(t.attrs["href"]) for t in _inline_tokens(md, summary) if t.type == "link_open"]
    assert hrefs and all(re.fullmatch(r"http://[\w.=-]+", h) and "www." not in h
                         and "forged" not in h for h in hrefs), hrefs
    for t in tokens:
        if t.type == "text":
            for kind, pattern in GITHUB_AUTOLINK.items():
                assert not pattern.search(t.content), (kind, t.content[:200])
    assert summary.count("`") > 20  # the triggering words went into code spans
    rows = [x for x in summary.split("\n") if x.startswith("| ") and "SL" in x]
    assert len(rows) == sum(len(s["findings"]) for s in json.loads(reports["json"].out)["sets"])


@pytest.mark.slow
def test_summary_is_cut_within_one_mebibyte(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    index = repo / SET / "runbook-index.json"
    data = json.loads(index.read_text())
    for i, runbook in enumerate(data["runbooks"]):
        runbook["owner"] = f"{i} " + "@x www.y " * 33_000  # 300 KB each, in code spans
    index.write_text(json.dumps(data))
    summary = tmp_path / "summary.md"
    os.environ["GITHUB_STEP_SUMMARY"] = str(summary)
    try:
        result = run_cli(["--today", TODAY, "--format", "github", "."], repo)
        findings = json.loads(run_cli(["--today", TODAY, "--format", "json", "."],
                                      repo).out)["sets"][0]["findings"]
        assert result.code == 0 and result.err == ""  # SL005 on a runbook owner warns
        text = summary.read_text(encoding="utf-8")
        assert len(text.encode()) <= 1024 * 1024
        rows = [x for x in text.split("\n") if x.startswith("| ") and " | SL" in x[:12]]
        shown = len(rows)
        left = re.search(r"\*\*(\d+) more findings? not shown here\*\*", text)
        assert left and shown + int(left.group(1)) == len(findings) and shown < len(findings)
        assert text.rstrip().endswith("judged).")
        # what earlier commands of the step wrote counts too
        summary.write_text("x" * (1024 * 1024 - 3000))
        run_cli(["--today", TODAY, "--format", "github", "."], repo)
        assert len(summary.read_bytes()) <= 1024 * 1024
        assert "more finding" in summary.read_text()
        summary.write_text("x" * (1024 * 1024 - 100))
        result = run_cli(["--today", TODAY, "--format", "github", "."], repo)
        assert len(summary.read_bytes()) == 1024 * 1024 - 100
        assert "no room left" in result.err and Runner().feed(result.err) == []
    finally:
        os.environ.pop("GITHUB_STEP_SUMMARY", None)


def test_annotation_file_has_no_terminal_escape(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    evil = copy_example(repo / "svc\x1b]0;pwned\x07\x1b[2J")
    (evil / SET / "feedback-loop-map.json").write_text("{")
    os.environ.pop("GITHUB_STEP_SUMMARY", None)
    result = run_cli(["--today", TODAY, "--format", "github", "."], repo)
    assert result.code == 1
    files = [c.props["file"] for c in Runner().feed(result.out) if "file" in c.props]
    assert files and all(f.isprintable() for f in files), files
    assert all(line.isprintable() for line in result.out.split("\n"))
    assert any(f.startswith("svc\\x1b]0;pwned\\x07\\x1b[2J/") for f in files)


# -- the functions themselves -------------------------------------------------------------

def _reference_log(text: str) -> str:
    """The rule, written plainly: line by line (every break of str.splitlines), a
    backslash before a line-leading "::" and inside every "##["."""
    out = []
    for line in text.splitlines(keepends=True):
        body = line.replace("##[", "##\\[")
        rest = body.lstrip("".join(LEADING))
        if rest.startswith("::"):
            cut = len(body) - len(rest)
            body = body[:cut] + "\\" + body[cut:]
        out.append(body)
    return "".join(out)


_ALPHABET = st.sampled_from([":", ":", "::", "#", "##", "[", "]", " ", "\t", "\u3000", "\u200b",
                             "\n", "\r", "\r\n", "\u2028", "\x85", "\x0b", "a", "error", "\\"])
_TEXTS = st.lists(_ALPHABET, max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_neutral_log_follows_the_rule(text: str) -> None:
    assert neutral_log(text) == _reference_log(text)
    assert strict_commands(neutral_log(text)) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXTS, max_size=4))
def test_neutral_json_and_xml_keep_the_data(values: list[str]) -> None:
    for indent in (None, 0, 2):
        raw = json.dumps({"v": values}, indent=indent, ensure_ascii=False)
        safe = neutral_json(raw)
        assert json.loads(safe) == {"v": values}
        assert strict_commands(safe) == []
    values = [v.replace("\x0b", "") for v in values]  # not in XML 1.0 (junit escapes it)
    root = ET.Element("r", a="".join(values))
    for v in values:
        ET.SubElement(root, "c").text = v
    xml_text = neutral_xml(ET.tostring(root, encoding="unicode"))
    back = ET.fromstring(xml_text)
    assert back.get("a") == "".join(values) and [c.text or "" for c in back] == values
    assert strict_commands(xml_text) == [] and Runner().feed(xml_text) == []


def test_neutral_sets_cover_dotnet_white_space() -> None:
    assert set(DOTNET_WHITE) <= set(LEADING) | set(BREAKS)
    assert {c for c in map(chr, range(0x3001)) if c.isspace()} <= set(LEADING) | set(BREAKS)


def test_json_without_hostile_text_is_what_json_dumps_writes(tmp_path: Path) -> None:
    """The escapes cost nothing where there is nothing to break."""
    repo = copy_example(tmp_path / "repo")
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    assert result.out == json.dumps(result.json, indent=2, ensure_ascii=False) + "\n"


def test_the_html_file_is_the_page_on_stdout(reports: dict[str, Result], repo: Path,
                                             tmp_path: Path) -> None:
    """The page written to a file is made of the sets' sections as they were encoded
    where the sets were judged (``html.encoded_html``), each through ``neutral_html``
    alone: it is, byte for byte, the page on stdout, which no runner reads a command in."""
    page = tmp_path / "page.html"
    result = run_cli(["--today", TODAY, "--format", "html", "--output", str(page), "."], repo)
    assert result.code == 1 and result.err == ""
    assert page.read_bytes() == reports["html"].out.encode("utf-8")
    assert "::warning title=FORGED::queue-owner" in html.unescape(reports["html"].out)
