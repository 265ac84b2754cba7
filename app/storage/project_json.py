"""The JSON of project files as bytes: canonical writing, strict and bounded reading.

Every reader here is strict: the bytes must be UTF-8 JSON objects without duplicate keys or
``NaN``, within the size and nesting limits (``docs/security.md``). Every writer is canonical
(sorted keys, two-space indent, trailing newline), so saving twice gives the same bytes. Errors
are :class:`~app.storage.project_layout.ProjectError` naming the file.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from app.i18n import _
from app.storage.project_layout import MAX_FILE_BYTES, MAX_PROJECT_JSON_BYTES, ProjectError

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "MAX_PROJECT_JSON_BYTES",
    "check_depth",
    "check_size",
    "describe_validation_error",
    "dumps_canonical",
    "load_json_object",
]


def dumps_canonical(data: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, two-space indent, UTF-8, trailing newline.

    >>> dumps_canonical({"b": 1, "a": "é"})
    b'{\\n  "a": "\\xc3\\xa9",\\n  "b": 1\\n}\\n'
    """
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(_("the key {key!r} appears twice").format(key=key))
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(_("{name} is not valid JSON").format(name=name))


#: nesting of objects and arrays (a pipeline needs about eight)
MAX_DEPTH = 64
#: nodes in one pipeline
MAX_NODES = 2_000

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def check_depth(raw: bytes, path: str, limit: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than ``limit`` before any parser recurses into it.

    >>> check_depth(b'{"a": [1, {"b": "[[[["}]}', "x.json", limit=3)
    >>> check_depth(b"[" * 5000, "x.json")
    Traceback (most recent call last):
    ...
    app.storage.project_layout.ProjectError: x.json: nested deeper than 64 levels
    """
    depth = 0
    for m in _BRACKET.finditer(_STRING.sub(b"", raw)):
        depth += 1 if m.group() in b"[{" else -1
        if depth > limit:
            raise ProjectError(path, _("nested deeper than {limit} levels").format(limit=limit))


def check_size(size: int, path: str, limit: int = MAX_FILE_BYTES) -> None:
    if size > limit:
        raise ProjectError(
            path, _("{size} bytes, more than the limit of {limit}").format(size=size, limit=limit)
        )


def load_json_object(raw: bytes, path: str) -> dict[str, Any]:
    """Decode strict UTF-8 JSON holding one object; :class:`ProjectError` naming ``path``.

    Files larger than :data:`MAX_FILE_BYTES` or nested deeper than :data:`MAX_DEPTH` are
    refused before parsing.
    """
    check_size(len(raw), path)
    check_depth(raw, path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ProjectError(
            path,
            _("not UTF-8 text ({reason} at byte {offset})").format(
                reason=err.reason, offset=err.start
            ),
        ) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise ProjectError(
            path,
            _("invalid JSON: {error} at line {line} column {column}").format(
                error=err.msg, line=err.lineno, column=err.colno
            ),
        ) from None
    except RecursionError:  # belt and braces: check_depth should have refused it
        raise ProjectError(path, _("nested too deeply")) from None
    except ValueError as err:
        raise ProjectError(path, _("invalid JSON: {error}").format(error=err)) from None
    if not isinstance(data, dict):
        raise ProjectError(path, _("expected a JSON object"))
    return data


def describe_validation_error(err: ValidationError) -> str:
    """One readable line per problem: ``nodes.0.name: a node name cannot be blank``."""
    lines = []
    for e in err.errors(include_url=False):
        where = ".".join(str(p) for p in e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {msg}" if where else msg)
    return "; ".join(lines)
