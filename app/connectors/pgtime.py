"""PostgreSQL's infinite, BC and after-9999 dates and timestamps in Arrow, exactly, vectorised.

Arrow has no infinity: like DuckDB, Cauce stores ``infinity`` as the type's largest value and
``-infinity`` as its negation (``date32``: ±(2³¹−1) days; ``timestamp[us]``: ±(2⁶³−1) µs).
DuckDB imports those values from Arrow as its own ``infinity``/``-infinity`` and exports its
infinities as them, so the representation round-trips through DuckDB unchanged. Dates before
year 1 are ordinary negative ``date32``/``timestamp`` values (PostgreSQL's ``0044-03-15 BC`` is
the proleptic Gregorian year −43, as in DuckDB).

pyarrow parses and prints only years 0001–9999, so BC values are moved forward, and values
after 9999 back, by whole 400-year Gregorian cycles (146097 days: the calendar repeats exactly),
parsed or printed there, and moved back; the year is rewritten as arithmetic on the string's
first field. Only a column that pyarrow refuses takes this path, with compute kernels on the
whole column, never a Python loop. (-735160 is what PostgreSQL answers for
``date '0044-03-15 BC' - date '1970-01-01'``; 3789548 for ``date '12345-06-07' - …``.)

>>> import pyarrow as pa
>>> dates = parse(pa.array(["0044-03-15 BC", "infinity", None, "2024-02-29"]), pa.date32())
>>> dates.slice(2).to_pylist()
[None, datetime.date(2024, 2, 29)]
>>> days = parse(pa.array(["0044-03-15 BC", "-infinity", "0001-01-01"]), pa.date32())
>>> days.cast(pa.int32()).to_pylist()
[-735160, -2147483647, -719162]
>>> pg_text(days).to_pylist()
['0044-03-15 BC', '-infinity', '0001-01-01']
>>> late = parse(pa.array(["12345-06-07", "9999-12-31"]), pa.date32())
>>> late.cast(pa.int32()).to_pylist(), pg_text(late).to_pylist()
([3789548, 2932896], ['12345-06-07', '9999-12-31'])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pyarrow as pa

from app.i18n import _

__all__ = [
    "DATE_INFINITY",
    "TIMESTAMP_INFINITY",
    "far_reason",
    "far_value",
    "infinite_reason",
    "handles",
    "parse",
    "pg_text",
    "refuse_far",
    "refuse_infinite",
]

DATE_INFINITY = 2**31 - 1
TIMESTAMP_INFINITY = 2**63 - 1
_CYCLE_DAYS = 146097  # days in 400 Gregorian years
_DAY_US = 86_400_000_000
_YEAR_ONE_DAYS = -719162  # 0001-01-01 in days since 1970-01-01
_YEAR_10000_DAYS = 2932897  # 10000-01-01


class _Plan(NamedTuple):
    """A type's integer form and its bounds, in its own units (days or µs)."""

    ints: pa.DataType
    infinity: int
    cycle: int  # 400 years
    first: int  # 0001-01-01, the first value pyarrow reads and prints
    end: int  # 10000-01-01, the first it does not


def _plan(dtype: pa.DataType) -> _Plan | None:
    if pa.types.is_date32(dtype):
        return _Plan(pa.int32(), DATE_INFINITY, _CYCLE_DAYS, _YEAR_ONE_DAYS, _YEAR_10000_DAYS)
    if pa.types.is_timestamp(dtype) and dtype.unit == "us":
        return _Plan(
            pa.int64(),
            TIMESTAMP_INFINITY,
            _CYCLE_DAYS * _DAY_US,
            _YEAR_ONE_DAYS * _DAY_US,
            _YEAR_10000_DAYS * _DAY_US,
        )
    return None


def handles(dtype: pa.DataType) -> bool:
    """True for the types this module reads and writes (``date32``, ``timestamp[us]``)."""
    return _plan(dtype) is not None


def _split_year(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    import pyarrow.compute as pc

    parts = pc.split_pattern(text, "-", max_splits=1)
    return (
        pc.list_element(parts, 0).cast(pa.int64()),
        pc.binary_join_element_wise("-", pc.list_element(parts, 1), ""),
    )


def _with_year(year: pa.Array, rest: pa.Array) -> pa.Array:
    import pyarrow.compute as pc

    return pc.binary_join_element_wise(pc.utf8_lpad(year.cast(pa.string()), 4, "0"), rest, "")


def _cycles(below: pa.Array, above: pa.Array, period: int) -> pa.Array:
    """Whole 400-year cycles that bring a value into years 1-9999: ``below`` (how far before
    year 1, or <= 0) moves it forward, ``above`` (how far from year 10000, or < 0) back."""
    import pyarrow.compute as pc

    forward = pc.add(pc.divide(below, period), 1)
    back = pc.negate(pc.add(pc.divide(above, period), 1))
    k = pc.if_else(pc.greater(below, 0), forward, pc.if_else(pc.greater_equal(above, 0), back, 0))
    return pc.fill_null(k, 0)


def parse(text: pa.Array, dtype: pa.DataType) -> pa.Array:
    """PostgreSQL's ISO text of dates or timestamps (``DateStyle=ISO``, ``TimeZone=UTC``) as
    ``dtype`` values, ``infinity``, ``-infinity``, ``… BC`` and years after 9999 included.

    A timestamp too late for 64-bit microseconds (PostgreSQL goes to year 294276, Arrow and
    DuckDB to 294247) raises ``ArrowInvalid`` naming it.
    """
    import pyarrow.compute as pc

    plan = _plan(dtype)
    if plan is None:
        return text.cast(dtype)
    try:  # the common case: pyarrow's parser refuses every ``infinity``, ``… BC`` and year 10000+
        return text.cast(dtype)
    except pa.ArrowInvalid:
        pass
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
    year, rest = _split_year(body)
    year = pc.if_else(bc, pc.subtract(1, year), year)  # astronomical: 1 BC is year 0
    k = _cycles(pc.subtract(1, year), pc.subtract(year, 10000), 400)
    moved = pc.fill_null(pc.not_equal(k, 0), False)
    body = pc.if_else(moved, _with_year(pc.add(year, pc.multiply(k, 400)), rest), body)
    near = body.cast(dtype).cast(plan.ints).cast(pa.int64())
    shift = pc.multiply(k, plan.cycle)  # within ±2^63: at most ~15000 cycles of days
    limit = pc.add(pc.if_else(pc.less(k, 0), shift, 0), plan.infinity - 1)
    late = pc.fill_null(pc.greater(near, limit), False)
    if pc.any(late).as_py():
        raise pa.ArrowInvalid(
            _("{value!r} is later than any {type} Arrow and DuckDB can hold").format(
                value=text[pc.index(late, True).as_py()].as_py(), type=dtype
            )
        )
    values = pc.subtract(near, shift)
    values = pc.if_else(pos, plan.infinity, values)
    values = pc.if_else(neg, -plan.infinity, values)
    return values.cast(plan.ints).cast(dtype)


def _masks(values: pa.Array, dtype: pa.DataType) -> tuple[pa.Array, pa.Array, pa.Array]:
    """(infinity, -infinity, a finite value outside years 1-9999) of ``values``."""
    import pyarrow.compute as pc

    plan = _plan(dtype)
    assert plan is not None
    numbers = values.cast(plan.ints)
    pos = pc.fill_null(pc.equal(numbers, plan.infinity), False)
    neg = pc.fill_null(pc.equal(numbers, -plan.infinity), False)
    outside = pc.or_(pc.less(numbers, plan.first), pc.greater_equal(numbers, plan.end))
    outside = pc.and_not(pc.fill_null(outside, False), pc.or_(pos, neg))
    return pos, neg, outside


def pg_text(values: pa.Array) -> pa.Array | None:
    """``values`` (dates or µs timestamps) as text PostgreSQL parses back exactly, when any is
    infinite, before year 1 or after 9999; None when none is (the caller keeps the typed
    column)."""
    import pyarrow.compute as pc

    dtype = values.type
    plan = _plan(dtype)
    if plan is None or len(values) == 0:
        return None
    naive = pa.timestamp("us") if pa.types.is_timestamp(dtype) else dtype
    pos, neg, outside = _masks(values, dtype)
    if not (pc.any(pos).as_py() or pc.any(neg).as_py() or pc.any(outside).as_py()):
        return None
    numbers = pc.if_else(pc.or_(pos, neg), 0, values.cast(plan.ints).cast(pa.int64()))
    # each difference only where it is the one that counts (elsewhere it could wrap)
    below = pc.if_else(pc.less(numbers, plan.first), pc.subtract(plan.first, numbers), 0)
    above = pc.if_else(pc.greater_equal(numbers, plan.end), pc.subtract(numbers, plan.end), -1)
    k = _cycles(below, above, plan.cycle)
    moved = pc.add(numbers, pc.multiply(k, plan.cycle))
    plain = moved.cast(plan.ints).cast(naive).cast(pa.string())
    year, rest = _split_year(pc.if_else(outside, plain, "2000-01-01"))
    year = pc.subtract(year, pc.multiply(k, 400))  # astronomical; year 0 is 1 BC
    bc = pc.fill_null(pc.less(year, 1), False)
    far_text = pc.if_else(
        bc,
        pc.binary_join_element_wise(_with_year(pc.subtract(1, year), rest), " BC", ""),
        _with_year(year, rest),
    )
    out = pc.if_else(outside, far_text, plain)
    out = pc.if_else(pos, "infinity", out)
    return pc.if_else(neg, "-infinity", out)


def _first(values: pa.Array | pa.ChunkedArray, *, infinite_only: bool) -> tuple[int, str] | None:
    import pyarrow.compute as pc

    if _plan(values.type) is None or len(values) == 0:
        return None
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    pos, neg, outside = _masks(values, values.type)
    found = pc.or_(pos, neg) if infinite_only else pc.or_(pc.or_(pos, neg), outside)
    index = pc.index(found, True).as_py()
    if index < 0:
        return None
    text = pg_text(values.slice(index, 1))
    assert text is not None
    return index, text[0].as_py()


def far_value(values: pa.Array | pa.ChunkedArray) -> tuple[int, str] | None:
    """(index, PostgreSQL text) of the first value that is infinite, before year 1 or after
    9999, or None."""
    return _first(values, infinite_only=False)


def far_reason(text: str, destination: str) -> str:
    """Why a far value (``far_value``'s text) is refused by ``destination``."""
    return _(
        "{value!r}, and {destination} holds no infinite dates or timestamps nor dates "
        "before year 1 or after year 9999 (PostgreSQL and DuckDB do)"
    ).format(value=text, destination=destination)


def _refuse(
    batch: pa.RecordBatch,
    keys: list[str] | None,
    done: int,
    find: Callable[[pa.Array], tuple[int, str] | None],
    reason: Callable[[str], str],
) -> None:
    for name, col in zip(batch.schema.names, batch.columns, strict=True):
        found = find(col)
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
            ).format(row=where, column=name, reason=reason(text))
        )


def refuse_far(batch: pa.RecordBatch, keys: list[str] | None, done: int, destination: str) -> None:
    """Raise ``ValueError`` naming the row (its key when known, else its number counting
    ``done`` rows before the batch), the column and the value, for the first infinite, BC or
    after-9999 value in ``batch``; a destination that cannot store them calls this before
    writing."""
    _refuse(batch, keys, done, far_value, lambda text: far_reason(text, destination))


def refuse_infinite(
    batch: pa.RecordBatch, keys: list[str] | None, done: int, destination: str
) -> None:
    """As :func:`refuse_far`, for ``infinity``/``-infinity`` only: for a format that stores
    any date or instant but has no infinity (Arrow's extreme values would be read back as
    real, very distant dates)."""

    def reason(text: str) -> str:
        return infinite_reason(text, destination)

    _refuse(batch, keys, done, lambda values: _first(values, infinite_only=True), reason)


def infinite_reason(text: str, destination: str) -> str:
    """Why ``text`` (``infinity`` or ``-infinity``) cannot be written to ``destination``."""
    return _(
        "{value!r}, and {destination} has no infinite dates or timestamps (other readers "
        "would take Cauce's stand-in, the type's largest value, for a real date)"
    ).format(value=text, destination=destination)
