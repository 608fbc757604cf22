"""YAML: parsed from libyaml's event stream (never PyYAML's constructor), so
no tag is ever constructed, nesting depth and alias expansion are bounded,
duplicate keys are found, and every value keeps its line and column.

What a document means is what ``yaml.safe_load`` makes of it, with the deliberate
differences listed in ``tests/conformance/yaml-test-suite/SOURCES.md``: a core tag
converts its value as safe_load does, or the file is refused (SL002) where safe_load
raises; merge keys (``<<: *base``, ``<<: [*a, *b]``) merge as in safe_load; dates
stay text; tags beyond the core schema, several documents, a collection as a key
and alias expansion past ``MAX_NODES`` are refused. Lines are counted at ``\n``
only (libyaml also breaks lines at U+0085, U+2028 and U+2029, which would shift the
lines of every later finding)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any

import yaml

from sustain_lint.documents import LineIndex, PositionTree, TreeDocument
from sustain_lint.limits import shorten
from sustain_lint.loaders import Loaded
from sustain_lint.loaders.reading import text_of
from sustain_lint.model import Location, Problem

MAX_DEPTH = 200
MAX_NODES = 100_000  # values that aliases add (a document's own values are not counted)
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
_MERGE_TAG = "tag:yaml.org,2002:merge"
_TIMESTAMP = re.compile(_RESOLVER.yaml_implicit_resolvers["2"][0][1].pattern)
# characters libyaml takes for line breaks besides \n: lines are counted from offsets
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")
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


def _show(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


_MERGE = object()  # a mapping's merge key (a plain ``<<``), pending its value
_KINDS = {"tag:yaml.org,2002:int": "a whole number", "tag:yaml.org,2002:float": "a number",
          "tag:yaml.org,2002:bool": "true or false", "tag:yaml.org,2002:timestamp": "a date",
          "tag:yaml.org,2002:map": "a mapping", "tag:yaml.org,2002:seq": "a list"}


def _scalar(event: Any) -> Any:
    tag = event.tag
    explicit = tag not in (None, "!")
    if not explicit:
        implicit = event.implicit
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, implicit)  # type: ignore[no-untyped-call]
        if tag == _MERGE_TAG:
            return _MERGE
    if tag not in _SAFE_TAGS:
        raise _Fail(f"uses the YAML tag {_show(tag)}, which is not allowed; remove the tag",
                    event.start_mark)
    if tag == "tag:yaml.org,2002:str":
        return event.value
    if tag == "tag:yaml.org,2002:timestamp":
        # dates stay ISO strings, as in JSON; an explicit tag on what safe_load cannot
        # read as a date is refused, as safe_load refuses it
        if explicit and not _is_timestamp(event.value):
            raise _cannot_convert(event, tag)
        return event.value
    if tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):  # (only explicit)
        raise _cannot_convert(event, tag)
    if len(event.value) > MAX_NUMBER_CHARS:
        # no evidence value is a number this long: keep it as text (the schema then says
        # what is wrong). Converting it could take quadratic time (1:2:3... base-60
        # integers) or make an int too long to print (sys.get_int_max_str_digits).
        return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    try:
        return _CONSTRUCTORS[tag](node)
    except (ValueError, LookupError, yaml.YAMLError) as exc:  # (!!int '': an IndexError)
        if explicit:  # safe_load raises for these: so does this reading
            raise _cannot_convert(event, tag) from exc
        return event.value


def _is_timestamp(text: str) -> bool:
    m = _TIMESTAMP.match(text)
    if m is None:
        return False
    node = yaml.ScalarNode("tag:yaml.org,2002:timestamp", text)
    try:
        _CONSTRUCTOR.construct_yaml_timestamp(node)
    except (ValueError, LookupError, OverflowError):
        return False
    return True


def _cannot_convert(event: Any, tag: str) -> _Fail:
    shown = repr(event.value) if event.value else "an empty value"
    return _Fail(f"tags {shown} as {_show(tag)}, but it is not {_KINDS.get(tag, tag)}; "
                 f"remove the tag {_show(tag)} or write {_KINDS.get(tag, 'a value of that type')}",
                 event.start_mark)


class _Frame:
    __slots__ = ("container", "node", "key", "key_mark", "size", "anchor", "merges")

    def __init__(self, container: Any, node: int, anchor: str | None) -> None:
        self.container = container
        self.node = node  # its node in the position tree
        self.key: Any = None  # pending mapping key (a sentinel when none)
        self.key_mark: Any = None
        self.size = 1
        self.anchor = anchor
        self.merges: list[tuple[Any, Any]] | None = None  # (merged value, mark of its <<)


_NO_KEY = object()
_COLUMNS = 1 << 32  # a position is kept as one int: line * _COLUMNS + column


def _packer(text: str, first_line: int) -> Any:
    """mark -> its position packed in one int: from libyaml's line and column, or,
    when the text holds a character libyaml also breaks lines at (U+0085, U+2028,
    U+2029), from the mark's character offset and the text's own \n."""
    if _OTHER_BREAKS.search(text) is None:
        def packed(mark: Any) -> int:
            return int((mark.line + first_line) * _COLUMNS + mark.column + 1)
        return packed
    lines = LineIndex(text, first_line)

    def packed_by_offset(mark: Any) -> int:
        line, column = lines.position(mark.index)
        return line * _COLUMNS + column
    return packed_by_offset


def _unpacked(where: int) -> tuple[int, int]:
    return divmod(where, _COLUMNS)


class _Composer:
    """Builds one document from libyaml's events: the containers being filled (a
    stack of frames), the anchors, every value's position (a ``PositionTree``: a
    pointer string per value added up to depth times size, 2 GB for 20 MB of long
    keys nested 190 deep) and the problems found."""

    __slots__ = ("artifact", "first_line", "positions", "problems", "anchors", "stack", "root",
                 "have_root", "documents", "total", "pack")

    def __init__(self, artifact: str, first_line: int, text: str = "") -> None:
        self.artifact = artifact
        self.first_line = first_line
        self.pack = _packer(text, first_line)
        self.positions = PositionTree(0, _unpacked)
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.have_root = False
        self.documents = 0
        self.total = 0

    def where(self, mark: Any) -> tuple[int, int]:
        return _unpacked(self.pack(mark))

    def attach(self, value: Any, size: int, mark: Any, aliased: bool = False) -> None:
        """Attach a value of expanded ``size`` nodes (``aliased``: through an alias,
        so that these are repeated values, which count towards ``MAX_NODES``)."""
        if aliased:
            self.total = total = self.total + size
            if total > MAX_NODES:
                raise _Fail(
                    f"expands to more than {MAX_NODES:,} values through its aliases (an alias "
                    "bomb?); remove the aliases", mark)
        stack = self.stack
        if value is _MERGE and not (stack and stack[-1].key is _NO_KEY):
            raise _Fail("uses `<<` (a merge key) as a value; quote it ('<<') or use it as a key "
                        "before an alias (<<: *base)", mark)
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
            key = ("" if value is None else _MERGE if value is _MERGE
                   else str(value) if not isinstance(value, bool) else str(value).lower())
            top.key, top.key_mark = key, mark
            return
        key = top.key
        if key is _MERGE:  # merged when the mapping ends, as safe_load merges
            self.merge_value(top, value, top.key_mark)
            top.key = _NO_KEY
            return
        if key in top.container:
            line, col = self.where(top.key_mark)
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
            self.positions.member(top.node, key, self.pack(top.key_mark))
        top.container[key] = value
        top.key = _NO_KEY

    @staticmethod
    def merge_value(top: _Frame, value: Any, mark: Any) -> None:
        """Keep the value of a merge key: a mapping, or a list of mappings."""
        if isinstance(value, list):
            for item in value:
                if not isinstance(item, dict):
                    raise _Fail("merges (<<) a list that holds something other than mappings; "
                                "list only aliases of mappings: <<: [*a, *b]", mark)
        elif not isinstance(value, dict):
            raise _Fail("merges (<<) a value that is not a mapping; write <<: *base, where "
                        "&base names a mapping, or a list of such aliases", mark)
        if top.merges is None:
            top.merges = []
        top.merges.append((value, top.key_mark))

    def merged(self, frame: _Frame) -> dict[str, Any]:
        """A mapping with its merge keys applied, as ``yaml.safe_load`` applies them:
        the merged mappings in order (of a list, the first one wins), then the
        mapping's own keys, which win over every merged one. A merged key is
        located at its ``<<``."""
        assert frame.merges is not None
        result: dict[str, Any] = {}
        where: dict[str, Any] = {}
        for value, mark in frame.merges:
            for mapping in ([value] if isinstance(value, dict) else reversed(value)):
                for key in mapping:
                    where[key] = mark
                result.update(mapping)
        own = frame.container
        for key, value in own.items():
            result[key] = value
        for key, mark in where.items():
            if key not in own:
                self.positions.member(frame.node, key, self.pack(mark))
        return result

    @staticmethod
    def check_tag(event: Any, expected: str) -> None:
        """Refuse a collection's explicit tag other than its own."""
        if event.tag not in (None, "!", expected):
            raise _Fail(f"uses the YAML tag {_show(event.tag)}, which is not allowed; remove the tag",
                        event.start_mark)

    def compose(self, events: Iterable[Any]) -> None:
        """Consume the events; raises ``_Fail`` or libyaml's errors."""
        positions, stack, anchors, pack = self.positions, self.stack, self.anchors, self.pack
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
                    positions.root(pack(event.start_mark))
                elif isinstance(stack[-1].container, list):
                    positions.leaf(stack[-1].node, len(stack[-1].container),
                                   pack(event.start_mark))
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
                    positions.root(pack(event.start_mark))
                elif isinstance(stack[-1].container, list):
                    node = positions.item(stack[-1].node, len(stack[-1].container),
                                          pack(event.start_mark))
                else:  # the value of a pending key: the member's node, at the key
                    top = stack[-1]
                    key = "<<" if top.key is _MERGE else top.key  # (a merged value's own)
                    node = positions.member(top.node, key, pack(top.key_mark),
                                            first=key in top.container)
                frame = _Frame({} if is_map else [], node, event.anchor)
                if is_map:
                    frame.key = _NO_KEY
                stack.append(frame)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                if frame.merges is not None:
                    frame.container = self.merged(frame)
                if frame.anchor:
                    anchors[frame.anchor] = (frame.container, frame.size)
                attach(frame.container, frame.size, event.start_mark)
            elif isinstance(event, yaml.AliasEvent):
                if event.anchor not in anchors:
                    raise _Fail(f"refers to an undefined anchor *{event.anchor}", event.start_mark)
                value, size = anchors[event.anchor]
                if stack and isinstance(stack[-1].container, list):
                    positions.leaf(stack[-1].node, len(stack[-1].container),
                                   pack(event.start_mark))
                attach(value, size, event.start_mark, aliased=True)

    def result(self) -> Loaded:
        """The document composed (its root None when there was none) and the problems."""
        return Loaded(TreeDocument(self.root if self.have_root else None, self.positions),
                      self.problems)


def parse_yaml(text: str, artifact: str, first_line: int = 1) -> Loaded:
    """Parse one YAML document. ``first_line`` shifts every line (front matter)."""
    composer = _Composer(artifact, first_line, text)
    try:
        composer.compose(yaml.parse(text, Loader=_Loader))
    except _Fail as fail:
        line, col = composer.where(fail.mark)
        return Loaded(None, [Problem(artifact, fail.message, Location(line, col), code="SL002")])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        unclosed = exc.context and ("flow" in exc.context or "quoted" in exc.context)
        if unclosed and exc.context_mark is not None:
            mark = exc.context_mark  # where the unclosed bracket or quote was opened
        loc = Location(*composer.where(mark)) if mark is not None else Location(first_line, 1)
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
