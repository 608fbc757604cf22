"""The JSON Schemas of the JSON/YAML artifacts and front matter, and the
column shapes of the CSV artifacts (``*.csv.json``). Shipped as package data."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def schema_text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
