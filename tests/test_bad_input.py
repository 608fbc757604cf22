"""Bad and hostile input gets a finding, never a crash (product.md, "Quality bars").

Every case starts from a copy of the bundled example (which passes with zero findings),
breaks one artifact in one way, and ALSO breaks a second, unrelated artifact (the
"companion"), so each case proves that the rest of the set is still judged. Each case
asserts: exactly the expected findings (rule, file, line), exit code 1, nothing on stderr
(no traceback), and no file written into the case repository."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from sustain_lint.artifacts import SCHEDULES
from tests.helpers import SET, TODAY, Result, copy_example, run_cli

ROOT = Path(__file__).resolve().parent.parent

# The companion breakage: a truncated feedback-loop-map.json (its own SL002 at line 3).
COMPANION = "feedback-loop-map.json"
COMPANION_TEXT = '{\n  "loops": [\n    {"name": "Support ticket themes", "source": '
COMPANION_FINDING = ("SL002", COMPANION, 3)
# used when a case breaks the companion file itself
OTHER_COMPANION = "tooling-access-checklist.json"
OTHER_COMPANION_FINDING = ("SL002", OTHER_COMPANION, 3)

ANY_LINE = object()  # the finding has some line (not asserted precisely)
NO_LINE: None = None  # a finding about the whole file: no line


class Case(NamedTuple):
    id: str
    setup: Callable[[Path], None]  # receives the set folder
    expected: list[tuple[str, str, Any]]  # (rule, artifact, line | None | ANY_LINE)


def art(folder: Path, name: str) -> Path:
    return folder / name


def write_bytes(name: str, data: bytes) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / name).write_bytes(data)

    return setup


def transform(name: str, fn: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        path = folder / name
        path.write_bytes(fn(path.read_bytes()))

    return setup


def replace_line(name: str, line: int, new: str) -> Callable[[Path], None]:
    def fn(data: bytes) -> bytes:
        lines = data.decode("utf-8").split("\n")
        lines[line - 1] = new
        return "\n".join(lines).encode("utf-8")

    return transform(name, fn)


def all_files(fn: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        for path in sorted(folder.iterdir()):
            if path.name != COMPANION:
                path.write_bytes(fn(path.read_bytes()))

    return setup


def utf16(bom: bool) -> Callable[[bytes], bytes]:
    def fn(data: bytes) -> bytes:
        text = data.decode("utf-8")
        return text.encode("utf-16") if bom else text.encode("utf-16-le")

    return fn


def make_dir(name: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()
        (folder / name / "inside.txt").write_text("a file in a folder\n")

    return setup


SECRET = "SECRET-OUTSIDE-THE-REPOSITORY"


def symlink_out(name: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        repo = folder.parent.parent
        outside = repo.parent / "outside"
        outside.mkdir(exist_ok=True)
        target = outside / name
        # valid JSON, so following the link would pass silently and leak the secret
        target.write_text('{"update_cadence": "90d", "runbooks": [], "note": "' + SECRET + '"}\n')
        (folder / name).unlink()
        os.symlink(target, folder / name)

    return setup


def symlink_inside(name: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        repo = folder.parent.parent
        moved = repo / "docs" / name
        (folder / name).rename(moved)
        os.symlink(os.path.relpath(moved, folder), folder / name)

    return setup


def symlink_broken(name: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / name).unlink()
        os.symlink("does-not-exist.csv", folder / name)

    return setup


def symlink_loop(name: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        (folder / name).unlink()
        os.symlink(name, folder / name)

    return setup


def size_limit(name: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        repo = folder.parent.parent
        # 0.01 MB = 10,485 bytes: every example file is smaller, the padded one is larger
        # (the example's on-call export, a half-year of shifts, is left out)
        for export in folder.glob(SCHEDULES):
            export.unlink()
        (repo / ".sustain-lint.toml").write_text("max_file_mb = 0.01\n")
        path = folder / name
        path.write_bytes(path.read_bytes() + b" " * 20_000 + b"\n")

    return setup


def deep_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def deep_yaml_flow(depth: int) -> bytes:
    return b"channels: " + b"[" * depth + b"]" * depth + b"\n"


def deep_yaml_block(depth: int) -> bytes:
    return b"channels:\n" + b"- " * depth + b"x\n"


def deep_yaml_block_lines(depth: int) -> bytes:
    # a block sequence indented one more space per level, one line each (in a 1,000-deep
    # version: 100,000 deep would be a 5 GB file), then the front-matter flavour below
    lines = ["channels:"] + [" " * i + "-" for i in range(depth)]
    return ("\n".join(lines) + " x\n").encode()


def front_matter(name: str, yaml_text: str) -> Callable[[Path], None]:
    def setup(folder: Path) -> None:
        path = folder / name
        text = path.read_text()
        end = text.index("\n---\n", 4)
        path.write_text("---\n" + yaml_text + text[end + 1:])

    return setup


CASES = [
    # --- encodings -------------------------------------------------------------------------
    Case("invalid-utf8-csv", transform("capacity-analysis.csv",
                                       lambda b: b.replace(b"Lena", b"L\xe9na")),
         [("SL002", "capacity-analysis.csv", 3)]),
    Case("invalid-utf8-markdown", transform("release-policy.md",
                                            lambda b: b.replace(b"Quality gates", b"Qualit\xff")),
         [("SL002", "release-policy.md", 16)]),
    Case("utf16-bom-json", transform("runbook-index.json", utf16(bom=True)),
         [("SL002", "runbook-index.json", 1)]),
    Case("utf16-no-bom-yaml", transform("support-workflow.yaml", utf16(bom=False)),
         [("SL002", "support-workflow.yaml", 1)]),
    Case("utf32-bom-csv", transform("backlog-register.csv",
                                    lambda b: b.decode().encode("utf-32")),
         [("SL002", "backlog-register.csv", 1)]),
    Case("utf8-bom-tolerated", all_files(lambda b: codecs.BOM_UTF8 + b), []),
    Case("crlf-tolerated", all_files(lambda b: b.replace(b"\n", b"\r\n")), []),
    Case("cr-only-tolerated", all_files(lambda b: b.replace(b"\n", b"\r")), []),
    Case("bom-and-crlf-tolerated",
         all_files(lambda b: codecs.BOM_UTF8 + b.replace(b"\n", b"\r\n")), []),
    # --- empty and binary ------------------------------------------------------------------
    Case("empty-csv", write_bytes("backlog-register.csv", b""),
         [("SL002", "backlog-register.csv", 1)]),
    Case("empty-json", write_bytes("monitoring-activation.json", b""),
         [("SL002", "monitoring-activation.json", 1)]),
    Case("empty-yaml", write_bytes("support-workflow.yaml", b""),
         [("SL002", "support-workflow.yaml", 1)]),
    Case("empty-markdown", write_bytes("maintenance-charter.md", b""),
         [("SL002", "maintenance-charter.md", 1)]),
    Case("whitespace-only-yaml", write_bytes("support-workflow.yaml", b"  \n\n\t\n"),
         [("SL002", "support-workflow.yaml", 1)]),
    Case("binary-json", write_bytes("monitoring-activation.json", bytes(range(256)) * 4),
         [("SL002", "monitoring-activation.json", 1)]),
    Case("binary-no-nul-markdown", write_bytes("review-calendar.md",
                                               b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256))),
         [("SL002", "review-calendar.md", 1)]),
    # --- syntax ----------------------------------------------------------------------------
    Case("truncated-json", transform("runbook-index.json", lambda b: b[: len(b) // 2]),
         [("SL002", "runbook-index.json", 5)]),
    Case("json-trailing-garbage", transform("monitoring-activation.json",
                                            lambda b: b + b"}\n"),
         [("SL002", "monitoring-activation.json", 9)]),
    Case("yaml-syntax-error", replace_line("support-workflow.yaml", 16,
                                           "  P2: {name: High, response: 1h"),
         [("SL002", "support-workflow.yaml", 16)]),
    Case("yaml-bad-indentation", replace_line("support-workflow.yaml", 5,
                                              "      source: GitHub Issues"),
         [("SL002", "support-workflow.yaml", 5)]),
    Case("yaml-undefined-alias", replace_line("support-workflow.yaml", 5, "    source: *nowhere"),
         [("SL002", "support-workflow.yaml", 5)]),
    Case("yaml-two-documents", transform("support-workflow.yaml",
                                         lambda b: b + b"---\nchannels: []\n"),
         [("SL002", "support-workflow.yaml", 34)]),
    Case("json-huge-integer", transform("monitoring-activation.json", lambda b: b.replace(
        b'"notified": true}', b'"notified": ' + b"9" * 5000 + b"}", 1)),
         [("SL002", "monitoring-activation.json", 3)]),
    Case("json-lone-surrogate", replace_line("runbook-index.json", 2,
                                             '  "\\ud800": 1, "update_cadence": "90d",'),
         [("SL002", "runbook-index.json", 2)]),
    Case("json-surrogate-pair-tolerated", replace_line(
        "runbook-index.json", 2, '  "note": "\\ud83d\\ude00", "update_cadence": "90d",'), []),
    # too long for int(): kept as text, so the schema says it is not a whole number
    Case("yaml-huge-integer", transform("support-workflow.yaml", lambda b: b.replace(
        b"level: 3,", b"level: " + b"9" * 5000 + b",")), [("SL003", "support-workflow.yaml", 33)]),
    # an int too long to print (hex: no digit limit when parsed), where text is expected
    Case("yaml-huge-hex-integer", replace_line("support-workflow.yaml", 5,
                                               "    source: 0x" + "f" * 5000), []),
    # YAML 1.1 base-60 integers cost quadratic time to convert: kept as text, quickly
    Case("yaml-huge-base60-integer", replace_line("support-workflow.yaml", 5,
                                                  "    source: " + "1:" * 400_000 + "1"), []),
    Case("yaml-huge-base60-integer-typed", transform("support-workflow.yaml", lambda b: b.replace(
        b"level: 3,", b"level: " + b"1:" * 400_000 + b"1,")), [("SL003", "support-workflow.yaml", 33)]),
    # dates at the end of the calendar: handoff + 30 days does not exist (was exit 3);
    # the reviews are then not after the handoff: SL422 on each row
    Case("handoff-date-9999-12-31", front_matter("review-calendar.md", "handoff_date: 9999-12-31\n"),
         [("SL422", "review-calendar.md", 8), ("SL422", "review-calendar.md", 9),
          ("SL422", "review-calendar.md", 10)]),
    # --- YAML tags: never constructed ------------------------------------------------------
    # (the /tmp file named in the tag is checked in test_yaml_tags_never_constructed)
    Case("yaml-tag-scalar", replace_line("support-workflow.yaml", 5,
                                         "    source: !!python/name:os.system"),
         [("SL002", "support-workflow.yaml", 5)]),
    Case("yaml-tag-custom", replace_line("support-workflow.yaml", 5, "    source: !vault abc"),
         [("SL002", "support-workflow.yaml", 5)]),
    Case("yaml-tag-front-matter", front_matter(
        "maintenance-charter.md", "owner: !!python/object/new:os.getcwd []\n"),
         [("SL002", "maintenance-charter.md", 2)]),
    # --- nesting ---------------------------------------------------------------------------
    Case("deep-json-100k", write_bytes("runbook-index.json", deep_json(100_000)),
         [("SL002", "runbook-index.json", 1)]),
    Case("deep-json-100k-objects", write_bytes("tooling-access-checklist.json",
                                               b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
         [("SL002", "tooling-access-checklist.json", 1)]),
    Case("deep-yaml-flow-100k", write_bytes("support-workflow.yaml", deep_yaml_flow(100_000)),
         [("SL002", "support-workflow.yaml", 1)]),
    Case("deep-yaml-block-100k", write_bytes("support-workflow.yaml", deep_yaml_block(100_000)),
         [("SL002", "support-workflow.yaml", 2)]),
    Case("deep-yaml-block-indented", write_bytes("support-workflow.yaml",
                                                 deep_yaml_block_lines(1_000)),
         [("SL002", "support-workflow.yaml", ANY_LINE)]),
    Case("deep-front-matter-100k", front_matter(
        "review-calendar.md", "handoff_date: " + "[" * 100_000 + "]" * 100_000 + "\n"),
         [("SL002", "review-calendar.md", 2)]),
    # --- files that are not regular files --------------------------------------------------
    Case("over-size-limit", size_limit("runbook-index.json"),
         [("SL002", "runbook-index.json", NO_LINE)]),
    Case("symlink-leaving-repository", symlink_out("runbook-index.json"),
         [("SL002", "runbook-index.json", NO_LINE)]),
    Case("symlink-inside-repository-tolerated", symlink_inside("capacity-analysis.csv"), []),
    Case("symlink-broken", symlink_broken("capacity-analysis.csv"),
         [("SL002", "capacity-analysis.csv", NO_LINE)]),
    Case("symlink-loop", symlink_loop("capacity-analysis.csv"),
         [("SL002", "capacity-analysis.csv", NO_LINE)]),
    Case("directory-instead-of-file", make_dir("capacity-analysis.csv"),
         [("SL002", "capacity-analysis.csv", NO_LINE)]),
    # --- CSV -------------------------------------------------------------------------------
    Case("ragged-csv-extra-cell", replace_line("backlog-register.csv", 3,
                                               "BL-102,Alert,retrospective,P2,Priya,open,2027-01-10,"
                                               "2026-11-12,extra"),
         [("SL002", "backlog-register.csv", 3)]),
    Case("ragged-csv-missing-cells", replace_line("readiness-approval-log.csv", 4,
                                                  "Rui Costa,product"),
         [("SL002", "readiness-approval-log.csv", 4)]),
    Case("csv-nul", transform("backlog-register.csv",
                              lambda b: b.replace(b"BL-103", b"BL-1\x0003")),
         [("SL002", "backlog-register.csv", 4)]),
    Case("csv-unclosed-quote", replace_line("backlog-register.csv", 4,
                                            'BL-103,"Runbook: rotate,audit,P2,Diego,open,2027-01-31,'
                                            "2026-11-12"),
         [("SL002", "backlog-register.csv", 4)]),
    # a cell longer than the csv module's default field limit (131,072) is read (product.md)
    Case("csv-huge-cell", replace_line("backlog-register.csv", 5,
                                       "BL-104," + "x" * 200_000 + ",analytics,P3,Aisha Bello,open,"
                                       "2027-02-28,2026-11-15"),
         []),
    # --- Markdown front matter -------------------------------------------------------------
    Case("front-matter-unclosed", transform("maintenance-charter.md",
                                            lambda b: b.replace(b"\n---\n", b"\n\n", 1)),
         [("SL002", "maintenance-charter.md", 1)]),
    Case("front-matter-yaml-error", replace_line("release-policy.md", 3,
                                                 "approved_by: [Head of Operations"),
         [("SL002", "release-policy.md", 3)]),
    Case("front-matter-not-a-mapping", front_matter("review-calendar.md", "- a\n- b\n"),
         [("SL003", "review-calendar.md", 2)]),
]


def _line_matches(expected: Any, actual: Any) -> bool:
    if expected is ANY_LINE:
        return isinstance(actual, int)
    return bool(expected == actual)


def _check(result: Result, expected: list[tuple[str, str, Any]]) -> None:
    assert result.code == 1, (result.code, result.err, result.out[:2000])
    assert result.err == "", result.err
    assert "Traceback" not in result.out
    findings = [(f["rule"], f["path"].rsplit("/", 1)[-1], f["line"])
                for s in result.json["sets"] for f in s["findings"]]
    assert len(findings) == len(expected), findings
    for want in expected:
        assert any(f[0] == want[0] and f[1] == want[1] and _line_matches(want[2], f[2])
                   for f in findings), (want, findings)


def _snapshot(repo: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(repo):
        for n in dirnames + filenames:
            p = os.path.join(dirpath, n)
            st = os.lstat(p)
            out[os.path.relpath(p, repo)] = (st.st_mode, st.st_mtime_ns)
    return out


def _prepare(tmp_path: Path, setup: Callable[[Path], None],
             expected: list[tuple[str, str, Any]]) -> tuple[Path, list[tuple[str, str, Any]]]:
    repo = copy_example(tmp_path / "repo")
    folder = repo / SET
    setup(folder)
    broken = {e[1] for e in expected}
    if COMPANION in broken:
        (folder / OTHER_COMPANION).write_text(COMPANION_TEXT.replace("loops", "tools"))
        return repo, [*expected, OTHER_COMPANION_FINDING]
    (folder / COMPANION).write_text(COMPANION_TEXT)
    return repo, [*expected, COMPANION_FINDING]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    repo, expected = _prepare(tmp_path, case.setup, case.expected)
    before = _snapshot(repo)
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    _check(result, expected)
    assert _snapshot(repo) == before, "linting changed the case repository"
    assert SECRET not in result.out
    # the text report of the same input is fine too (escaping, no crash)
    text = run_cli(["--today", TODAY, "."], repo)
    assert text.code == 1 and text.err == ""
    assert SECRET not in text.out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_folder_name_that_is_not_utf8(fmt: str, tmp_path: Path) -> None:
    """A set below a folder whose name is not UTF-8: every report can still be written
    (the bytes are shown as \\xNN), to stdout and to a file."""
    if sys.platform == "darwin" or os.supports_bytes_environ is False:
        pytest.skip("the file system does not allow non-UTF-8 names")
    repo = tmp_path / "repo"
    repo.mkdir()
    try:
        evil = Path(os.fsdecode(os.fsencode(str(repo)) + b"/svc\xff\xfe"))
        copy_example(evil)
    except (OSError, UnicodeError):
        pytest.skip("the file system does not allow non-UTF-8 names")
    (evil / SET / COMPANION).write_text(COMPANION_TEXT)
    result = run_cli(["--today", TODAY, "--format", fmt, "--output", str(tmp_path / "out"), "."],
                     repo)
    assert result.code == 1 and result.err == "", result.err
    text = (tmp_path / "out").read_text(encoding="utf-8")
    assert "svc" in text
    if fmt in ("text", "json"):
        assert "\\xff\\xfe" in text.replace("\\\\", "\\")


def test_yaml_tags_never_constructed(tmp_path: Path) -> None:
    """`!!python/object/apply:os.system` is rejected as a tag, never executed."""
    marker = Path("/tmp") / f"sustain-lint-pwned-{uuid.uuid4().hex}"
    payloads = {
        "support-workflow.yaml": f'channels: !!python/object/apply:os.system ["touch {marker}"]\n',
        "waivers.yaml": f'- rule: !!python/object/apply:os.system ["touch {marker}"]\n',
    }
    repo = copy_example(tmp_path / "repo")
    folder = repo / SET
    for name, text in payloads.items():
        (folder / name).write_text(text)
    fm = front_matter("release-policy.md",
                      f'status: !!python/object/apply:subprocess.call [["touch", "{marker}"]]\n')
    fm(folder)
    try:
        result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
        assert not marker.exists(), "a YAML tag was constructed"
        _check(result, [("SL002", "support-workflow.yaml", 1), ("SL002", "waivers.yaml", 1),
                        ("SL002", "release-policy.md", 2)])
        messages = [f["message"] for s in result.json["sets"] for f in s["findings"]]
        assert all("tag" in m for m in messages), messages
    finally:
        if marker.exists():
            marker.unlink()


def test_unreadable_file(tmp_path: Path) -> None:
    """A file its reader may not open: SL002 'permission denied'. Root reads any file
    (CAP_DAC_OVERRIDE), so as root the lint runs with those capabilities dropped
    (util-linux `setpriv`), which makes chmod 000 bite as it would for a user."""
    import json
    import shutil

    repo = copy_example(tmp_path / "repo")
    path = repo / SET / "capacity-analysis.csv"
    path.chmod(0)
    cmd = [sys.executable, "-m", "sustain_lint", "--today", TODAY, "--format", "json", "."]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without util-linux setpriv to drop CAP_DAC_OVERRIDE")
        caps = "-dac_override,-dac_read_search"
        cmd = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", *cmd]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=repo,
                              timeout=120)
    finally:
        path.chmod(0o644)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    findings = [f for s in json.loads(proc.stdout)["sets"] for f in s["findings"]]
    assert [(f["rule"], f["path"].rsplit("/", 1)[1], f["line"]) for f in findings] == [
        ("SL002", "capacity-analysis.csv", None)]
    assert "permission denied" in findings[0]["message"]


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same case where chmod cannot build it (root): open() is refused with EACCES."""
    import errno

    repo, expected = _prepare(tmp_path, lambda folder: None,
                              [("SL002", "capacity-analysis.csv", NO_LINE)])
    real_open = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> int:
        if os.fsdecode(path).endswith("capacity-analysis.csv"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    monkeypatch.undo()
    _check(result, expected)
    assert "permission denied" in result.out


# --- runbook locations that leave the repository ----------------------------------------

def _sl202_registered() -> bool:
    from sustain_lint.rules import REGISTRY

    rule = REGISTRY.get("SL202")
    return rule is not None and rule.check is not None


@pytest.mark.parametrize("location", ["../../etc/passwd", "/etc/passwd", "../outside/secret.md",
                                      "docs/../../outside/secret.md", "~/.ssh/id_rsa",
                                      "file:///etc/passwd", "\\\\server\\share\\x.md",
                                      # no such file can exist: os would raise on these
                                      "docs/runbooks/deploy.md\x00x", "docs/" + "a" * 5000,
                                      "docs/" + "a/" * 3000 + "x.md"],
                         ids=lambda v: v[:30])
def test_runbook_location_outside(location: str, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Judged lexically: nothing outside the repository is stat()ed or opened. SL202 is
    asserted when the gate-2 rule is registered; before that, only no crash and no access."""
    import json

    repo, expected = _prepare(tmp_path, lambda folder: None, [])
    outside = repo.parent / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(SECRET)
    index = repo / SET / "runbook-index.json"
    data = json.loads(index.read_text())
    data["runbooks"][0]["location"] = location
    lines = ["{", '  "update_cadence": "90d",', '  "runbooks": [']
    lines += ["    " + json.dumps(rb) + ("," if i < 3 else "") for i, rb in enumerate(data["runbooks"])]
    lines += ["  ]", "}", ""]
    index.write_text("\n".join(lines))

    touched: list[str] = []
    forbidden = (str(outside), "/etc", os.path.expanduser("~/.ssh"), "\\\\server")

    def spy(real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(path: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(path, (str, bytes, os.PathLike)):
                p = os.fsdecode(path)
                if any(p.startswith(f) for f in forbidden):
                    touched.append(p)
            return real(path, *args, **kwargs)

        return wrapper

    for name in ("stat", "lstat", "open", "access", "listdir", "scandir", "readlink"):
        monkeypatch.setattr(os, name, spy(getattr(os, name)))
    result = run_cli(["--today", TODAY, "--format", "json", "."], repo)
    monkeypatch.undo()
    assert touched == [], f"touched paths outside the repository: {touched}"
    assert SECRET not in result.out
    if _sl202_registered():
        expected = [*expected, ("SL202", "runbook-index.json", 4)]
    _check(result, expected)


# --- never blocks: FIFOs, alias bombs (subprocess with a timeout) -------------------------

def _run_subprocess(repo: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sustain_lint", "--today", TODAY, "--format", "json", *args, "."],
        cwd=repo, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("how", ["fifo", pytest.param("symlink-to-fifo", marks=pytest.mark.slow)])
def test_fifo_never_blocks(how: str, tmp_path: Path) -> None:
    repo, expected = _prepare(tmp_path, lambda folder: None,
                              [("SL002", "capacity-analysis.csv", NO_LINE)])
    path = repo / SET / "capacity-analysis.csv"
    path.unlink()
    if how == "fifo":
        os.mkfifo(path)
    else:
        os.mkfifo(repo / "docs" / "pipe")
        os.symlink("../../docs/pipe", path)
    try:
        proc = _run_subprocess(repo, timeout=60)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure being guarded against
        pytest.fail("sustain-lint blocked on a FIFO")
    _check(Result(proc.returncode, proc.stdout, proc.stderr), expected)


BOMB_PROBE = textwrap.dedent("""
    import contextlib, io, json, os, resource, sys, time, tracemalloc
    from sustain_lint.cli import main
    repo, bomb, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.chdir(repo)
    def lint():
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(args)
        return code, out.getvalue()
    # warm up on the same repository with the bomb set aside: imports, schemas, pandas
    os.rename(bomb, bomb + ".aside")
    lint()
    os.rename(bomb + ".aside", bomb)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    code, out = lint()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Python-level allocations of a second, traced run (the C parser's own are in maxrss)
    tracemalloc.start()
    lint()
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(json.dumps({"code": code, "seconds": elapsed, "cpu_seconds": cpu, "extra_kb": peak - base,
                      "traced_bytes": traced, "report": json.loads(out)}))
""")


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['lol0: &l0 "lol"']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*l{i - 1}"] * width)
        lines.append(f"lol{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"


@pytest.mark.skipif(sys.platform == "win32", reason="resource is POSIX-only")
@pytest.mark.parametrize("where", [  # (a fresh interpreter each: one in the fast run)
    "support-workflow.yaml", pytest.param("waivers.yaml", marks=pytest.mark.slow),
    pytest.param("maintenance-charter.md", marks=pytest.mark.slow)])
def test_alias_bomb(where: str, tmp_path: Path) -> None:
    """The billion-laughs pattern: rejected within 1 s and under 100 MB of extra memory."""
    repo, expected = _prepare(tmp_path, lambda folder: None, [("SL002", where, ANY_LINE)])
    bomb = billion_laughs()
    path = repo / SET / where
    if where.endswith(".md"):
        front_matter(where, bomb)(repo / SET)
    else:
        path.write_text(bomb)
    probe = tmp_path / "probe.py"
    probe.write_text(BOMB_PROBE)
    args = ["--today", TODAY, "--format", "json", "."]
    proc = subprocess.run([sys.executable, str(probe), str(repo), f"{SET}/{where}", *args],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    import json

    report = json.loads(proc.stdout)
    # CPU time, so that other processes on a busy CI machine cannot make it flaky;
    # the wall clock only gets a loose sanity bound
    assert report["cpu_seconds"] < 1.0, report
    assert report["seconds"] < 5.0, report
    kb = report["extra_kb"] if sys.platform != "darwin" else report["extra_kb"] / 1024
    assert kb < 100 * 1024, f"{kb} KB extra peak memory (maxrss)"
    assert report["traced_bytes"] < 100 * 1024 * 1024, report["traced_bytes"]
    out = json.dumps(report["report"])
    _check(Result(report["code"], out, ""), expected)
    messages = [f["message"] for s in report["report"]["sets"] for f in s["findings"]
                if f["path"].endswith(where)]
    assert any("alias" in m for m in messages), messages
