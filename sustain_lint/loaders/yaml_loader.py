"""YAML: parsed from libyaml's event stream (never PyYAML's constructor), so
no tag is ever constructed, nesting depth and alias expansion are bounded,
duplicate keys are found, and every value keeps its line and column."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

import yaml

from sustain_lint.documents import LineIndex, PositionTree, TreeDocument
from sustain_lint.limits import shorten
from sustain_lint.loaders import Loaded
from sustain_lint.loaders.reading import text_of
from sustain_lint.model import Location, Problem

MAX_DEPTH = 200
MAX_NODES = 100_000  # nodes after expanding aliases
MAX_NUMBER_CHARS = 1000  # a longer int/float scalar stays text

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_CONSTRUCTORS = {
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
}
_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:timestamp",
}


class _Fail(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _pos(mark: Any, first_line: int) -> tuple[int, int]:
    return mark.line + first_line, mark.column + 1


def _show(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _scalar(event: Any) -> Any:
    tag = event.tag
    if tag in (None, "!"):
        implicit = event.implicit
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, implicit)  # type: ignore[no-untyped-call]
    if tag not in _SAFE_TAGS:
        raise _Fail(f"uses the YAML tag {_show(tag)}, which is not allowed; remove the tag",
                    event.start_mark)
    if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
        return event.value  # dates stay ISO strings, as in JSON
    if len(event.value) > MAX_NUMBER_CHARS:
        # no evidence value is a number this long: keep it as text (the schema then says
        # what is wrong). Converting it could take quadratic time (1:2:3... base-60
        # integers) or make an int too long to print (sys.get_int_max_str_digits).
        return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    try:
        return _CONSTRUCTORS[tag](node)
    except (ValueError, yaml.YAMLError):
        return event.value


class _Frame:
    __slots__ = ("container", "node", "key", "key_mark", "size", "anchor")

    def __init__(self, container: Any, node: int, anchor: str | None) -> None:
        self.container = container
        self.node = node  # its node in the position tree
        self.key: Any = None  # pending mapping key (a sentinel when none)
        self.key_mark: Any = None
        self.size = 1
        self.anchor = anchor


_NO_KEY = object()
_COLUMNS = 1 << 32  # a position is kept as one int: line * _COLUMNS + column


def _packed(mark: Any, first_line: int) -> int:
    return int((mark.line + first_line) * _COLUMNS + mark.column + 1)


def _unpacked(where: int) -> tuple[int, int]:
    return divmod(where, _COLUMNS)


class _Composer:
    """Builds one document from libyaml's events: the containers being filled (a
    stack of frames), the anchors, every value's position (a ``PositionTree``: a
    pointer string per value added up to depth times size, 2 GB for 20 MB of long
    keys nested 190 deep) and the problems found."""

    __slots__ = ("artifact", "first_line", "positions", "problems", "anchors", "stack", "root",
                 "have_root", "documents", "total")

    def __init__(self, artifact: str, first_line: int) -> None:
        self.artifact = artifact
        self.first_line = first_line
        self.positions = PositionTree(0, _unpacked)
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.have_root = False
        self.documents = 0
        self.total = 0

    def attach(self, value: Any, size: int, mark: Any, count: int | None = None) -> None:
        """Attach a value of expanded ``size`` nodes; ``count`` of them are new."""
        self.total = total = self.total + (size if count is None else count)
        if total > MAX_NODES:
            raise _Fail(
                f"expands to more than {MAX_NODES:,} values (an alias bomb?); remove the aliases",
                mark,
            )
        stack = self.stack
        if not stack:
            self.root, self.have_root = value, True
            return
        top = stack[-1]
        top.size += size
        if isinstance(top.container, list):
            top.container.append(value)
            return
        if top.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise _Fail("uses a mapping or sequence as a key; use a plain key", mark)
            key = "" if value is None else str(value) if not isinstance(value, bool) else str(value).lower()
            top.key, top.key_mark = key, mark
            return
        key = top.key
        if key in top.container:
            line, col = _pos(top.key_mark, self.first_line)
            node = self.positions.member(top.node, key, 0, first=True)
            self.problems.append(
                Problem(
                    self.artifact,
                    f"duplicate key '{key}' (first at line {self.positions.position(node)[0]}); "
                    "keep one of them",
                    Location(line, col, shorten(self.positions.pointer(node))),
                    code="SL004",
                )
            )
        else:  # (a mapping or list value has its node since it opened: the same one)
            self.positions.member(top.node, key, _packed(top.key_mark, self.first_line))
        top.container[key] = value
        top.key = _NO_KEY

    @staticmethod
    def check_tag(event: Any, expected: str) -> None:
        """Refuse a collection's explicit tag other than its own."""
        if event.tag not in (None, "!", expected):
            raise _Fail(f"uses the YAML tag {_show(event.tag)}, which is not allowed; remove the tag",
                        event.start_mark)

    def compose(self, events: Iterable[Any]) -> None:
        """Consume the events; raises ``_Fail`` or libyaml's errors."""
        positions, stack, anchors, first_line = (self.positions, self.stack, self.anchors,
                                                 self.first_line)
        attach = self.attach
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise _Fail("holds more than one YAML document; keep one (remove the extra ---)",
                                event.start_mark)
            elif isinstance(event, yaml.ScalarEvent):
                # a mapping value's position is its key's (set in attach); a key has none
                if not stack:
                    positions.root(_packed(event.start_mark, first_line))
                elif isinstance(stack[-1].container, list):
                    positions.leaf(stack[-1].node, len(stack[-1].container),
                                   _packed(event.start_mark, first_line))
                value = _scalar(event)
                if event.anchor:
                    anchors[event.anchor] = (value, 1)
                attach(value, 1, event.start_mark)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                is_map = isinstance(event, yaml.MappingStartEvent)
                self.check_tag(event, "tag:yaml.org,2002:map" if is_map else "tag:yaml.org,2002:seq")
                if stack and stack[-1].key is _NO_KEY and isinstance(stack[-1].container, dict):
                    raise _Fail("uses a mapping or sequence as a key; use a plain key",
                                event.start_mark)
                if len(stack) >= MAX_DEPTH:
                    raise _Fail(f"nests deeper than {MAX_DEPTH} levels; flatten it", event.start_mark)
                if not stack:
                    node = 0
                    positions.root(_packed(event.start_mark, first_line))
                elif isinstance(stack[-1].container, list):
                    node = positions.item(stack[-1].node, len(stack[-1].container),
                                          _packed(event.start_mark, first_line))
                else:  # the value of a pending key: the member's node, at the key
                    top = stack[-1]
                    node = positions.member(top.node, top.key, _packed(top.key_mark, first_line),
                                            first=top.key in top.container)
                frame = _Frame({} if is_map else [], node, event.anchor)
                if is_map:
                    frame.key = _NO_KEY
                stack.append(frame)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame.anchor:
                    anchors[frame.anchor] = (frame.container, frame.size)
                # its children were counted as they attached: count the container itself
                attach(frame.container, frame.size, event.start_mark, count=1)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise _Fail(f"refers to an undefined anchor *{event.anchor}", event.start_mark)
                value, size = anchors[event.anchor]
                if stack and isinstance(stack[-1].container, list):
                    positions.leaf(stack[-1].node, len(stack[-1].container),
                                   _packed(event.start_mark, first_line))
                attach(value, size, event.start_mark)

    def result(self) -> Loaded:
        """The document composed (its root None when there was none) and the problems."""
        return Loaded(TreeDocument(self.root if self.have_root else None, self.positions),
                      self.problems)


def parse_yaml(text: str, artifact: str, first_line: int = 1) -> Loaded:
    """Parse one YAML document. ``first_line`` shifts every line (front matter)."""
    composer = _Composer(artifact, first_line)
    try:
        composer.compose(yaml.parse(text, Loader=_Loader))
    except _Fail as fail:
        line, col = _pos(fail.mark, first_line)
        return Loaded(None, [Problem(artifact, fail.message, Location(line, col), code="SL002")])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        unclosed = exc.context and ("flow" in exc.context or "quoted" in exc.context)
        if unclosed and exc.context_mark is not None:
            mark = exc.context_mark  # where the unclosed bracket or quote was opened
        loc = Location(*_pos(mark, first_line)) if mark is not None else Location(first_line, 1)
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        return Loaded(None, [Problem(artifact, f"is not valid YAML: {what}", loc, code="SL002")])
    except yaml.YAMLError as exc:
        msg = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        return Loaded(None, [Problem(artifact, f"is not valid YAML: {msg}",
                                     Location(first_line, 1), code="SL002")])
    except RecursionError:
        return Loaded(None, [Problem(artifact, "nests too deeply to be read; flatten it",
                                     Location(first_line, 1), code="SL002")])
    return composer.result()


def load_yaml(text: str | None, artifact: str, *, data: bytes | None = None,
              columns: Collection[str] | None = None) -> Loaded:
    return parse_yaml(text_of(text, data), artifact)


__all__ = ["LineIndex", "load_yaml", "parse_yaml"]
