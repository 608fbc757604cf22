"""A yes/no schema check compiled into plain Python closures, for the keywords
our schemas use. It answers exactly what ``not any(validator.iter_errors(x))``
answers, far faster: jsonschema builds a validator object for every value it
descends into, which made SL003 a quarter of the time of a set. Valid documents,
nearly all of them, are then done; an invalid one goes to jsonschema for the
errors and their messages, so findings never change.

``compile_check`` refuses (returns None) a schema holding any keyword, or any
keyword value, it does not implement exactly; such a schema is always validated
by jsonschema. Type tests ask the validator's own type checker (with a table for
the Python types whose answer cannot depend on the value), and ``format`` asks its
own format checker. ``tests/test_schema_check.py`` compares both answers on
generated documents for every shipped schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# keywords that never make a document invalid
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description",
                          "examples", "default", "deprecated", "readOnly", "writeOnly"})
# Python values whose JSON type never depends on the value (unlike float: 1.0 is an
# integer): the type checker is asked once, when compiling, for each of these samples
_SAMPLES: tuple[Any, ...] = ("", {}, [], True, None, 0)


class _Unsupported(Exception):
    pass


def compile_check(schema: Any, validator: Any) -> Check | None:
    """``schema``'s yes/no check judged as ``validator`` (a jsonschema
    validator of that schema) judges, or None if it cannot be compiled exactly."""
    try:
        return _Compiler(validator).node(schema)
    except _Unsupported:
        return None


class _Compiler:
    def __init__(self, validator: Any) -> None:
        self.is_type: Callable[[Any, str], bool] = validator.is_type
        self.format_checker = validator.format_checker
        self.known: dict[str, dict[type, bool]] = {}

    def type_test(self, name: str) -> Check:
        """``validator.is_type(x, name)``, without the call for the usual types."""
        if name not in self.known:
            try:
                self.known[name] = {type(s): bool(self.is_type(s, name)) for s in _SAMPLES}
            except Exception as exc:  # an unknown type name: jsonschema raises for it
                raise _Unsupported(name) from exc
        known, is_type = self.known[name], self.is_type

        def test(x: Any) -> bool:
            answer = known.get(type(x))
            return is_type(x, name) if answer is None else answer
        return test

    def node(self, schema: Any) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise _Unsupported(repr(schema))
        checks = []
        for key, value in schema.items():
            if key in _ANNOTATIONS:
                continue
            make = getattr(self, "kw_" + key, None)
            if make is None:
                raise _Unsupported(key)
            checks.append(make(value, schema))
        return _all(checks)

    # --- one method per keyword: returns the check for that keyword alone ---

    def kw_type(self, value: Any, schema: dict[str, Any]) -> Check:
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise _Unsupported("type")
        tests = [self.type_test(n) for n in names]
        if len(tests) == 1:
            return tests[0]
        return lambda x: any(t(x) for t in tests)

    def kw_properties(self, value: Any, schema: dict[str, Any]) -> Check:
        if not isinstance(value, dict):
            raise _Unsupported("properties")
        is_object = self.type_test("object")
        subs = [(name, self.node(sub)) for name, sub in value.items()]

        return lambda x: not is_object(x) or all(sub(x[name]) for name, sub in subs if name in x)

    def kw_required(self, value: Any, schema: dict[str, Any]) -> Check:
        if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
            raise _Unsupported("required")
        is_object = self.type_test("object")
        names = tuple(value)
        return lambda x: not is_object(x) or all(name in x for name in names)

    def kw_items(self, value: Any, schema: dict[str, Any]) -> Check:
        if "prefixItems" in schema:
            raise _Unsupported("prefixItems")
        is_array = self.type_test("array")
        sub = self.node(value)
        return lambda x: not is_array(x) or all(sub(item) for item in x)

    def kw_enum(self, value: Any, schema: dict[str, Any]) -> Check:
        # jsonschema's equality, for strings: a string equals only an equal string
        if not isinstance(value, list) or not all(type(v) is str for v in value):
            raise _Unsupported("enum")
        allowed = frozenset(value)
        return lambda x: isinstance(x, str) and x in allowed

    def kw_const(self, value: Any, schema: dict[str, Any]) -> Check:
        if type(value) is not str:
            raise _Unsupported("const")
        return lambda x: isinstance(x, str) and x == value

    def kw_pattern(self, value: Any, schema: dict[str, Any]) -> Check:
        if not isinstance(value, str):
            raise _Unsupported("pattern")
        is_string = self.type_test("string")
        search = re.compile(value).search  # jsonschema: re.search(pattern, x)
        return lambda x: not is_string(x) or search(x) is not None

    def kw_minLength(self, value: Any, schema: dict[str, Any]) -> Check:
        if type(value) is not int:
            raise _Unsupported("minLength")
        is_string = self.type_test("string")
        return lambda x: not is_string(x) or len(x) >= value

    def kw_format(self, value: Any, schema: dict[str, Any]) -> Check:
        if not isinstance(value, str):
            raise _Unsupported("format")
        checker = self.format_checker
        if checker is None:
            return _always
        return lambda x: bool(checker.conforms(x, value))

    def kw_anyOf(self, value: Any, schema: dict[str, Any]) -> Check:
        subs = self.branches(value)
        return lambda x: any(sub(x) for sub in subs)

    def kw_oneOf(self, value: Any, schema: dict[str, Any]) -> Check:
        subs = self.branches(value)
        return lambda x: sum(1 for sub in subs if sub(x)) == 1

    def branches(self, value: Any) -> list[Check]:
        if not isinstance(value, list) or not value:
            raise _Unsupported("anyOf/oneOf")
        return [self.node(sub) for sub in value]

    def kw_propertyNames(self, value: Any, schema: dict[str, Any]) -> Check:
        is_object = self.type_test("object")
        sub = self.node(value)
        return lambda x: not is_object(x) or all(sub(key) for key in x)

    def kw_additionalProperties(self, value: Any, schema: dict[str, Any]) -> Check:
        if "patternProperties" in schema:
            raise _Unsupported("patternProperties")
        declared = schema.get("properties", {})
        if not isinstance(declared, dict):
            raise _Unsupported("properties")
        is_object = self.type_test("object")
        sub = self.node(value)
        return lambda x: not is_object(x) or all(
            sub(x[key]) for key in x if key not in declared)


def _always(x: Any) -> bool:
    return True


def _never(x: Any) -> bool:
    return False


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda x: first(x) and second(x)
    return lambda x: all(check(x) for check in checks)
