"""A data subject's keys: how a value is compared, hashed, and found in a table.

A subject is identified by keys, each a tag and a value (``pii.email=ana@example.com``,
``id.customer=17``). A key matches the columns carrying its tag. Values are compared after
:func:`normalise`: surrounding spaces dropped, e-mails (tags ending in ``email``) lower-cased,
and an integral number written without its fraction (``17.00`` is ``17``), so the SQL that
finds a subject in a database and the keyed hash that suppresses it agree.

The keyed hash (:func:`key_digest`) is HMAC-SHA256 over ``tag NUL value``: the tag keeps
``id.customer=17`` and ``id.employee=17`` apart.

>>> normalise("pii.email", "  Ana@Example.COM ")
'ana@example.com'
>>> normalise("id.customer", "17.000")
'17'
>>> key_digest(bytes(32), "id.customer", "17") == key_digest(bytes(32), "id.customer", " 17")
True
>>> sql = match_condition([("Email", pa.string(), "pii.email", ["ana@example.com"])])
>>> sql.sql("postgres")
'LOWER(TRIM("Email")) IN (\\'ana@example.com\\')'
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyarrow as pa
from sqlglot import exp

__all__ = [
    "MatchColumn",
    "SubjectKey",
    "count_query",
    "delete_statement",
    "key_digest",
    "match_condition",
    "normalise",
    "rows_query",
    "update_statement",
]

_INTEGRAL = re.compile(r"^(-?\d+)\.0*$")
_INTEGER = re.compile(r"^-?\d+$")


@dataclass(frozen=True)
class SubjectKey:
    """One key of a subject: the tag of the columns it matches, and its value."""

    tag: str
    value: str

    def normalised(self) -> str:
        return normalise(self.tag, self.value)


#: a column of a table that holds a subject's key: name, type, the key's tag, the values
#: (normalised) to look for
MatchColumn = tuple[str, pa.DataType, str, Sequence[str]]


def case_blind(tag: str) -> bool:
    """Whether values of ``tag`` compare ignoring case (e-mail addresses)."""
    return tag.rsplit(".", 1)[-1].endswith("email")


def normalise(tag: str, value: str) -> str:
    """``value`` as compared and hashed: trimmed of spaces, lower-cased for e-mails, an
    integral number without its fraction."""
    text = value.strip(" ")
    if case_blind(tag):
        text = text.lower()
    whole = _INTEGRAL.match(text)
    return whole.group(1) if whole else text


def key_digest(key: bytes, tag: str, value: str) -> str:
    """The keyed hash of one key (hex HMAC-SHA256 of ``tag NUL normalised value``)."""
    message = tag.encode() + b"\0" + normalise(tag, value).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _column(name: str) -> exp.Column:
    return exp.column(exp.to_identifier(name, quoted=True))


def _one(name: str, type_: pa.DataType, values: Iterable[str], lower: bool) -> exp.Expr | None:
    """The condition that column ``name`` holds one of ``values`` (None: it cannot)."""
    wanted = sorted(set(values))
    if not wanted:
        return None
    col = _column(name)
    if pa.types.is_integer(type_):
        numbers = sorted({int(v) for v in wanted if _INTEGER.match(v)})
        if not numbers:
            return None
        return col.isin(*[exp.Literal.number(n) for n in numbers])
    if pa.types.is_string(type_) or pa.types.is_large_string(type_):
        probe: exp.Expr = exp.Trim(this=col)
    else:
        probe = exp.Trim(this=exp.cast(col, exp.DataType.build("text")))
    if lower:
        probe = exp.Lower(this=probe)
    return probe.isin(*[exp.Literal.string(v) for v in wanted])  # type: ignore[attr-defined]


def match_condition(columns: Sequence[MatchColumn]) -> exp.Expr:
    """The rows of a subject: any of ``columns`` holding one of its values (normalised).

    Raises:
        ValueError: no column can hold any of the values (nothing can match).
    """
    parts = [
        found
        for name, type_, tag, values in columns
        if (found := _one(name, type_, values, case_blind(tag))) is not None
    ]
    if not parts:
        raise ValueError("no column can hold the subject's keys")
    return exp.or_(*parts) if len(parts) > 1 else parts[0]


def _table(name: str, dialect: str) -> exp.Table:
    table = exp.to_table(name, dialect=dialect)
    for part in table.find_all(exp.Identifier):
        part.set("quoted", True)
    return table


def count_query(table: str, condition: exp.Expr, dialect: str) -> str:
    """``SELECT COUNT(*) AS n FROM table WHERE condition`` in ``dialect``."""
    query = (
        exp.select(exp.func("count", exp.Star()).as_("n"))
        .from_(_table(table, dialect))
        .where(condition.copy())
    )
    return query.sql(dialect)


def rows_query(table: str, condition: exp.Expr, dialect: str) -> str:
    """``SELECT * FROM table WHERE condition`` in ``dialect``."""
    return exp.select(exp.Star()).from_(_table(table, dialect)).where(condition.copy()).sql(dialect)


def delete_statement(table: str, condition: exp.Expr, dialect: str) -> str:
    """``DELETE FROM table WHERE condition`` in ``dialect``."""
    return exp.delete(_table(table, dialect), where=condition.copy()).sql(dialect)


def update_statement(table: str, columns: Sequence[str], condition: exp.Expr, dialect: str) -> str:
    """``UPDATE table SET c = NULL, … WHERE condition`` in ``dialect`` (anonymise)."""
    update = exp.Update(
        this=_table(table, dialect),
        expressions=[exp.EQ(this=_column(c), expression=exp.Null()) for c in columns],
        where=exp.Where(this=condition.copy()),
    )
    return update.sql(dialect)
