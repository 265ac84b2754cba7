"""Parse errors of user expressions, told in the user's own words.

sqlglot's messages name its classes ("Required keyword: 'expression' missing for <class
'…BitwiseRightShift'>"). :func:`describe_parse_error` says what is wrong in plain words and
shows where, under the user's text:

>>> import sqlglot
>>> try:
...     sqlglot.parse_one("total >> 2 >", read="duckdb")
... except sqlglot.errors.ParseError as err:
...     print(describe_parse_error("total >> 2 >", err))
something is missing after '>' (position 12):
  total >> 2 >
             ^
"""

from __future__ import annotations

from sqlglot.errors import ParseError, SqlglotError

from app.i18n import _

__all__ = ["describe_parse_error"]

#: characters of the expression shown on each side of the error
WINDOW = 30


def describe_parse_error(text: str, err: SqlglotError) -> str:
    """A message naming the problem and pointing at it in ``text`` with a caret."""
    info = err.errors[0] if isinstance(err, ParseError) and err.errors else None
    if info is None:
        return _("a quote or bracket is not closed, or a character is not allowed")
    token = str(info.get("highlight") or "")
    offset = _offset(text, int(info.get("line") or 1), int(info.get("col") or len(text)))
    start = max(0, offset - len(token) + 1)
    reason = _reason(str(info.get("description") or ""), token)
    where = _("{reason} (position {position})").format(reason=reason, position=start + 1)
    return f"{where}:\n{_excerpt(text, start)}"


def _reason(description: str, token: str) -> str:
    if description.startswith("Required keyword") or description.startswith("Expected expression"):
        return _("something is missing after {token!r}").format(token=token)
    if description.startswith("Expecting )"):
        return _("a closing parenthesis ')' is missing")
    if description.startswith("Expected END after CASE"):
        return _("CASE needs an END")
    if "Unexpected token" in description or "Invalid expression" in description:
        return _("unexpected {token!r}").format(token=token)
    if "<class" in description:
        return _("the expression is incomplete near {token!r}").format(token=token)
    return description


def _offset(text: str, line: int, col: int) -> int:
    """The 0-based index in ``text`` of sqlglot's 1-based (line, column) of a token's end."""
    lines = text.split("\n")
    before = sum(len(x) + 1 for x in lines[: max(0, line - 1)])
    return min(len(text) - 1, before + max(0, col - 1)) if text else 0


def _excerpt(text: str, start: int) -> str:
    """Two indented lines: the text around ``start`` (one line, clipped) and a caret."""
    flat = text.replace("\n", " ").replace("\t", " ")
    left = max(0, start - WINDOW)
    right = min(len(flat), start + WINDOW)
    prefix = "…" if left else ""
    shown = prefix + flat[left:right] + ("…" if right < len(flat) else "")
    caret = " " * (len(prefix) + start - left) + "^"
    return f"  {shown}\n  {caret}"
