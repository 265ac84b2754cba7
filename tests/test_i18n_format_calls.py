"""Every translated message formatted in place gets all of its placeholders.

``_("… {name} …").format(...)`` is how the core words its messages (``self.tr("… {0} …")``
and ``ngettext`` in the interface). A placeholder left out of the ``.format`` call raises
``KeyError`` or ``IndexError`` exactly when the message is needed — mostly on error paths
that few tests reach — so this checks every such call in ``app/`` statically (the core,
the connectors and the interface).
"""

from __future__ import annotations

import ast
import string
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GETTEXT = {"_", "gettext", "N_"}  # message first
PLURAL = {"ngettext"}  # singular and plural first
QT = {"tr": 0, "translate": 1}  # self.tr(message), QCoreApplication.translate(context, message)


def _placeholders(text: str) -> tuple[set[str], int]:
    """The named placeholders, and how many positional arguments the text needs."""
    named, numbered, automatic = set(), set(), 0
    for _literal, field, _spec, _conversion in string.Formatter().parse(text):
        if field is None:
            continue
        head = field.split(".", 1)[0].split("[", 1)[0]
        if head == "":
            automatic += 1
        elif head.isdigit():
            numbered.add(int(head))
        else:
            named.add(head)
    return named, max(automatic, max(numbered, default=-1) + 1)


def _messages(call: ast.Call) -> list[str]:
    """The literal message(s) a gettext-like call translates ([] for anything else)."""
    func = call.func
    name = (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )
    if name in GETTEXT and not isinstance(func, ast.Attribute):
        positions = [0]
    elif name in PLURAL:
        positions = [0, 1]
    elif name in QT:
        positions = [QT[name]]
    else:
        return []
    return [
        a.value
        for a in (call.args[i] for i in positions if i < len(call.args))
        if isinstance(a, ast.Constant) and isinstance(a.value, str)
    ]


def _format_calls(tree: ast.AST) -> list[tuple[int, str, ast.Call]]:
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Call)
        ):
            found += [(node.lineno, m, node) for m in _messages(node.func.value)]
    return found


def test_format_calls_give_every_placeholder() -> None:
    problems, checked = [], 0
    checked_in: Counter[str] = Counter()  # per package of app/
    for path in sorted((ROOT / "app").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, message, call in _format_calls(tree):
            checked += 1
            checked_in[path.relative_to(ROOT / "app").parts[0]] += 1
            if any(k.arg is None for k in call.keywords) or any(
                isinstance(a, ast.Starred) for a in call.args
            ):
                continue  # **kwargs / *args: not checkable statically
            named, positional = _placeholders(message)
            given = {k.arg for k in call.keywords}
            missing = sorted(named - given)
            if missing or positional > len(call.args):
                where = f"{path.relative_to(ROOT)}:{line}"
                problems.append(f"{where}: {message!r} lacks {missing or 'positional args'}")
    assert checked > 200, checked  # the scan does find the core's and the interface's
    assert checked_in["connectors"] > 100, checked_in  # and the connectors' messages
    assert problems == []
