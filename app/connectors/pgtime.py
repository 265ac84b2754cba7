"""PostgreSQL's infinite and BC dates and timestamps in Arrow, exactly, with vectorised work only.

Arrow has no infinity: like DuckDB, Cauce stores ``infinity`` as the type's largest value and
``-infinity`` as its negation (``date32``: ±(2³¹−1) days; ``timestamp[us]``: ±(2⁶³−1) µs).
DuckDB imports those values from Arrow as its own ``infinity``/``-infinity`` and exports its
infinities as them, so the representation round-trips through DuckDB unchanged. Dates before
year 1 are ordinary negative ``date32``/``timestamp`` values (PostgreSQL's ``0044-03-15 BC`` is
the proleptic Gregorian year −43, as in DuckDB).

pyarrow parses and prints only years 0001–9999, so BC values are moved forward by whole
400-year Gregorian cycles (146097 days: the calendar repeats exactly), parsed or printed there,
and moved back; the year is rewritten as arithmetic on the string's first field.
(-735160 is what PostgreSQL answers for ``date '0044-03-15 BC' - date '1970-01-01'``.)

>>> import pyarrow as pa
>>> dates = parse(pa.array(["0044-03-15 BC", "infinity", None, "2024-02-29"]), pa.date32())
>>> dates.slice(2).to_pylist()
[None, datetime.date(2024, 2, 29)]
>>> days = parse(pa.array(["0044-03-15 BC", "-infinity", "0001-01-01"]), pa.date32())
>>> days.cast(pa.int32()).to_pylist()
[-735160, -2147483647, -719162]
>>> pg_text(days).to_pylist()
['0044-03-15 BC', '-infinity', '0001-01-01']
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from app.i18n import _

__all__ = [
    "DATE_INFINITY",
    "TIMESTAMP_INFINITY",
    "far_reason",
    "far_value",
    "handles",
    "parse",
    "pg_text",
    "refuse_far",
]

DATE_INFINITY = 2**31 - 1
TIMESTAMP_INFINITY = 2**63 - 1
_CYCLE_DAYS = 146097  # days in 400 Gregorian years
_DAY_US = 86_400_000_000
_YEAR_ONE_DAYS = -719162  # 0001-01-01 in days since 1970-01-01


def _plan(dtype: pa.DataType) -> tuple[pa.DataType, int, int, int] | None:
    """(integer type, infinity, one cycle, 0001-01-01) in ``dtype``'s units, or None."""
    if pa.types.is_date32(dtype):
        return pa.int32(), DATE_INFINITY, _CYCLE_DAYS, _YEAR_ONE_DAYS
    if pa.types.is_timestamp(dtype) and dtype.unit == "us":
        return pa.int64(), TIMESTAMP_INFINITY, _CYCLE_DAYS * _DAY_US, _YEAR_ONE_DAYS * _DAY_US
    return None


def handles(dtype: pa.DataType) -> bool:
    """True for the types this module reads and writes (``date32``, ``timestamp[us]``)."""
    return _plan(dtype) is not None


def _split_year(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    parts = pc.split_pattern(text, "-", max_splits=1)
    return (
        pc.list_element(parts, 0).cast(pa.int64()),
        pc.binary_join_element_wise("-", pc.list_element(parts, 1), ""),
    )


def _with_year(year: pa.Array, rest: pa.Array) -> pa.Array:
    return pc.binary_join_element_wise(pc.utf8_lpad(year.cast(pa.string()), 4, "0"), rest, "")


def parse(text: pa.Array, dtype: pa.DataType) -> pa.Array:
    """PostgreSQL's ISO text of dates or timestamps (``DateStyle=ISO``, ``TimeZone=UTC``) as
    ``dtype`` values, ``infinity``, ``-infinity`` and ``… BC`` included."""
    plan = _plan(dtype)
    if plan is None:
        return text.cast(dtype)
    try:  # the common case: pyarrow's parser refuses every ``infinity`` and ``… BC`` text
        return text.cast(dtype)
    except pa.ArrowInvalid:
        pass
    ints, infinity, cycle, _first = plan
    pos = pc.fill_null(pc.equal(text, "infinity"), False)
    neg = pc.fill_null(pc.equal(text, "-infinity"), False)
    bc = pc.fill_null(pc.ends_with(text, " BC"), False)
    placeholder = (
        "1970-01-01"
        if pa.types.is_date(dtype)
        else "1970-01-01 00:00:00" + ("+00" if dtype.tz else "")
    )
    body = pc.if_else(pc.or_(pos, neg), placeholder, text)
    body = pc.if_else(bc, pc.utf8_slice_codeunits(body, 0, -3), body)
    year, rest = _split_year(pc.if_else(bc, body, "2000-01-01"))
    # BC year Y is astronomical year 1 - Y; k cycles later it is 1 - Y + 400k, in 2..401
    k = pc.if_else(bc, pc.add(pc.divide(year, 400), 1), 0)
    shifted = _with_year(pc.add(pc.subtract(1, year), pc.multiply(k, 400)), rest)
    body = pc.if_else(bc, shifted, body)
    values = pc.subtract_checked(
        body.cast(dtype).cast(ints), pc.multiply_checked(k, cycle).cast(ints)
    )
    values = pc.if_else(pos, pa.scalar(infinity, ints), values)
    values = pc.if_else(neg, pa.scalar(-infinity, ints), values)
    return values.cast(dtype)


def _masks(values: pa.Array, dtype: pa.DataType) -> tuple[pa.Array, pa.Array, pa.Array]:
    plan = _plan(dtype)
    assert plan is not None
    ints, infinity, _cycle, first = plan
    numbers = values.cast(ints)
    return (
        pc.fill_null(pc.equal(numbers, infinity), False),
        pc.fill_null(pc.equal(numbers, -infinity), False),
        pc.fill_null(pc.less(numbers, first), False),
    )


def pg_text(values: pa.Array) -> pa.Array | None:
    """``values`` (dates or µs timestamps) as text PostgreSQL parses back exactly, when any is
    infinite or before year 1; None when none is (the caller keeps the typed column)."""
    dtype = values.type
    plan = _plan(dtype)
    if plan is None or len(values) == 0:
        return None
    ints, _infinity, cycle, first = plan
    naive = pa.timestamp("us") if pa.types.is_timestamp(dtype) else dtype
    pos, neg, bc = _masks(values, dtype)
    if not (pc.any(pos).as_py() or pc.any(neg).as_py() or pc.any(bc).as_py()):
        return None
    numbers = pc.if_else(pc.or_(pos, neg), pa.scalar(0, ints), values.cast(ints))
    gap = pc.subtract(pa.scalar(first, pa.int64()), numbers.cast(pa.int64()))
    k = pc.if_else(bc, pc.add(pc.divide(gap, cycle), 1), 0)
    moved = pc.add_checked(numbers.cast(pa.int64()), pc.multiply_checked(k, cycle))
    plain = numbers.cast(naive).cast(pa.string())
    year, rest = _split_year(
        pc.if_else(bc, moved.cast(ints).cast(naive).cast(pa.string()), "2000-01-01")
    )
    # astronomical year (year - 400k) is BC year 400k + 1 - year
    bc_text = pc.binary_join_element_wise(
        _with_year(pc.subtract(pc.add(pc.multiply(k, 400), 1), year), rest), " BC", ""
    )
    out = pc.if_else(bc, bc_text, plain)
    out = pc.if_else(pos, "infinity", out)
    return pc.if_else(neg, "-infinity", out)


def far_value(values: pa.Array | pa.ChunkedArray) -> tuple[int, str] | None:
    """(index, PostgreSQL text) of the first infinite or BC value, or None."""
    if _plan(values.type) is None or len(values) == 0:
        return None
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    pos, neg, bc = _masks(values, values.type)
    index = pc.index(pc.or_(pc.or_(pos, neg), bc), True).as_py()
    if index < 0:
        return None
    text = pg_text(values.slice(index, 1))
    assert text is not None
    return index, text[0].as_py()


def far_reason(text: str, destination: str) -> str:
    """Why a far value (``far_value``'s text) is refused by ``destination``."""
    return _(
        "{value!r}, and {destination} holds no infinite dates or timestamps nor dates "
        "before year 1 (PostgreSQL and DuckDB do)"
    ).format(value=text, destination=destination)


def refuse_far(batch: pa.RecordBatch, keys: list[str] | None, done: int, destination: str) -> None:
    """Raise ``ValueError`` naming the row (its key when known, else its number counting
    ``done`` rows before the batch), the column and the value, for the first infinite or BC
    value in ``batch``; a destination that cannot store them calls this before writing."""
    for name, col in zip(batch.schema.names, batch.columns, strict=True):
        found = far_value(col)
        if found is None:
            continue
        index, text = found
        known = [k for k in keys or [] if k in batch.schema.names]
        if known:
            key = ", ".join(f"{k}={batch.column(k)[index].as_py()!r}" for k in known)
            where = _("the row with {key}").format(key=key)
        else:
            where = _("row {number}").format(number=done + index + 1)
        raise ValueError(
            _(
                "{row}: column {column!r} holds {reason}; store it as text, or in "
                "another destination"
            ).format(row=where, column=name, reason=far_reason(text, destination))
        )
