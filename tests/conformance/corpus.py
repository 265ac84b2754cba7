"""The conformance corpus: a typed table and expressions over it, each with a reference.

Every case is an expression in Cauce SQL plus a Python function that computes the expected
value of one row with ``decimal``/``datetime`` — independently of the compiler and the
engines. Cases are generated: every arithmetic operator over every pair of numeric columns,
every numeric function over every numeric column, and hand-written string and date cases.

Semantics the references follow (those of DuckDB and PostgreSQL alike):

- NULL in, NULL out (``concat`` skips NULLs);
- ``//`` and ``%`` truncate toward zero (the sign of ``%`` is the dividend's);
- ``/`` divides as double precision, whatever its operands;
- ``round`` and casts of decimals to integers round half away from zero; a double cast to an
  integer rounds half to even.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyarrow as pa

D = Decimal
Row = dict[str, Any]

#: the typed table every case reads (``id`` orders the rows)
TABLE = pa.table(
    {
        "id": pa.array(range(1, 9), pa.int64()),
        "g": pa.array(["a", "b", None, "a", "b", "a", "ü", "b"], pa.string()),
        "i": pa.array([3, -7, 0, None, 46000, 12, -1, 5], pa.int32()),
        "n": pa.array([2, -3, None, 7, 1, -1, 4, 9], pa.int32()),
        "b": pa.array([10**12, -5, None, 42, 7, -(10**10), 3, 0], pa.int64()),
        "p": pa.array(
            [
                D("1234567.89"),
                D("-0.01"),
                None,
                D("0.50"),
                D("99999.99"),
                D("-12345.67"),
                D("3.14"),
                D("0.00"),
            ],
            pa.decimal128(15, 2),
        ),
        "q": pa.array(
            [D("0.05"), D("0.10"), D("0.07"), None, D("-0.02"), D("1.00"), D("0.99"), D("12.34")],
            pa.decimal128(15, 2),
        ),
        "r": pa.array(
            [
                D("1.2345"),
                D("-9999.9999"),
                None,
                D("0.0001"),
                D("123456.7890"),
                D("5.5000"),
                D("-0.5000"),
                D("1.0000"),
            ],
            pa.decimal128(18, 4),
        ),
        "w": pa.array(
            [
                D("12345678901234567890.123456"),
                D("-0.000001"),
                None,
                D("1.5"),
                D("-99999999999999999999.999999"),
                D("0"),
                D("2.25"),
                D("7"),
            ],
            pa.decimal128(28, 6),
        ),
        "f": pa.array([1.5, -2.25, None, 1e10, 3.3333333, -0.001, 0.25, 7.0], pa.float64()),
        "s": pa.array(["abc", "ÁÉÍ ñ", None, "", " pad ", "日本語", "Zoë", "x,y"], pa.string()),
        "d": pa.array(
            [
                dt.date(2024, 2, 29),
                dt.date(1999, 12, 31),
                None,
                dt.date(2000, 1, 1),
                dt.date(2026, 12, 6),
                dt.date(1970, 1, 1),
                dt.date(2024, 3, 1),
                dt.date(1900, 1, 1),
            ],
            pa.date32(),
        ),
        "e": pa.array(
            [
                dt.date(2024, 1, 1),
                None,
                dt.date(2020, 5, 5),
                dt.date(2000, 3, 1),
                dt.date(2026, 12, 6),
                dt.date(1969, 12, 31),
                dt.date(2023, 3, 1),
                dt.date(1900, 2, 1),
            ],
            pa.date32(),
        ),
        "ts": pa.array(
            [
                dt.datetime(2024, 2, 29, 23, 59, 59),
                None,
                dt.datetime(2000, 1, 1, 0, 0, 0, 123456),
                dt.datetime(1999, 12, 31, 12),
                dt.datetime(2026, 12, 6, 21, 30),
                dt.datetime(1970, 1, 1),
                dt.datetime(2024, 3, 1, 1, 2, 3),
                dt.datetime(1900, 1, 1, 6),
            ],
            pa.timestamp("us"),
        ),
    }
)

NUMERIC = ("i", "n", "b", "p", "q", "r", "f")
#: columns without a zero (divisors)
NONZERO = ("n", "q", "r", "f")
INTEGER = ("i", "n", "b")


@dataclass(frozen=True)
class Case:
    """One expression and the reference value of each row."""

    expression: str
    reference: Callable[[Row], Any]

    @property
    def id(self) -> str:
        return self.expression


def _nulls(fn: Callable[..., Any], *names: str) -> Callable[[Row], Any]:
    """``fn`` of the named columns, NULL when any of them is NULL."""

    def ref(row: Row) -> Any:
        values = [row[n] for n in names]
        return None if any(v is None for v in values) else fn(*values)

    return ref


def _num(a: Any, b: Any) -> tuple[Any, Any]:
    """Operands of mixed arithmetic: double when one is a float, exact otherwise."""
    if isinstance(a, float) or isinstance(b, float):
        return float(a), float(b)
    return a, b


def _trunc_div(a: int, b: int) -> int:
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _half_up(value: Any, places: int = 0) -> Any:
    if isinstance(value, float):
        return float(D(repr(value)).quantize(D(1).scaleb(-places), decimal.ROUND_HALF_UP))
    exact = D(value).quantize(D(1).scaleb(-places), decimal.ROUND_HALF_UP)
    return int(exact) if isinstance(value, int) else exact


def _integral(value: Any, rounding: str) -> Any:
    if isinstance(value, float):
        return math.ceil(value) if rounding == decimal.ROUND_CEILING else math.floor(value)
    if isinstance(value, int):
        return value
    return D(value).to_integral_value(rounding)


def _to_int(value: Any) -> int:
    if isinstance(value, float):
        return round(value)  # half to even
    return int(D(value).quantize(D(1), decimal.ROUND_HALF_UP))


def _arithmetic() -> list[Case]:
    ops: dict[str, Callable[[Any, Any], Any]] = {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
    }
    cases = []
    for op, fn in ops.items():
        for a in NUMERIC:
            for b in NUMERIC:
                if op == "*" and a == b and a in ("b", "r"):
                    # 10**24 overflows BIGINT in both engines; DuckDB multiplies two
                    # decimal(18, s) in 64 bits and raises on 123456.789**2 (an error, never
                    # a wrong value; PostgreSQL computes it)
                    continue
                cases.append(
                    Case(f"{a} {op} {b}", _nulls(lambda x, y, fn=fn: fn(*_num(x, y)), a, b))
                )
        for lit, value in (("2", 2), ("0.5", D("0.5"))):
            for a in NUMERIC:
                cases.append(
                    Case(f"{a} {op} {lit}", _nulls(lambda x, fn=fn, v=value: fn(*_num(x, v)), a))
                )
    for a in NUMERIC:
        for b in NONZERO:
            cases.append(Case(f"{a} / {b}", _nulls(lambda x, y: float(x) / float(y), a, b)))
        cases.append(Case(f"100 * {a} / 8", _nulls(lambda x: 100 * float(x) / 8, a)))
    for a in INTEGER:
        cases.append(Case(f"{a} // n", _nulls(_trunc_div, a, "n")))
        cases.append(Case(f"{a} % n", _nulls(lambda x, y: x - y * _trunc_div(x, y), a, "n")))
        cases.append(Case(f"{a} // 2", _nulls(lambda x: _trunc_div(x, 2), a)))
    cases.append(Case("w + w", _nulls(lambda x: x + x, "w")))
    cases.append(Case("w - r", _nulls(lambda x, y: x - y, "w", "r")))
    return cases


def _numeric_functions() -> list[Case]:
    functions: dict[str, Callable[[Any], Any]] = {
        "abs({c})": abs,
        "-{c}": lambda x: -x,
        "round({c})": lambda x: _half_up(x, 0),
        "round({c}, 1)": lambda x: _half_up(x, 1),
        "round({c}, 2)": lambda x: _half_up(x, 2),
        "ceil({c})": lambda x: _integral(x, decimal.ROUND_CEILING),
        "floor({c})": lambda x: _integral(x, decimal.ROUND_FLOOR),
        "cast({c} AS DECIMAL(38, 6))": lambda x: (
            D(repr(x)).quantize(D("0.000001"))
            if isinstance(x, float)
            else D(x).quantize(D("0.000001"))
        ),
        "cast({c} AS DOUBLE)": float,
        "cast({c} AS BIGINT)": _to_int,
    }
    cases = []
    for template, fn in functions.items():
        for c in NUMERIC:
            cases.append(Case(template.format(c=c), _nulls(fn, c)))
    for c in NUMERIC:
        cases.append(Case(f"coalesce({c}, 0)", lambda row, c=c: 0 if row[c] is None else row[c]))
        cases.append(
            Case(
                f"CASE WHEN {c} > 0 THEN {c} ELSE 0 END",
                lambda row, c=c: row[c] if row[c] is not None and row[c] > 0 else 0,
            )
        )
        cases.append(
            Case(
                f"CASE WHEN {c} > 0 THEN {c} END",
                lambda row, c=c: row[c] if row[c] is not None and row[c] > 0 else None,
            )
        )
        cases.append(Case(f"{c} > 1", _nulls(lambda x: x > 1, c)))
    for c in ("p", "q", "r", "w"):
        cases.append(Case(f"round({c} * 1.1, 2)", _nulls(lambda x: _half_up(x * D("1.1"), 2), c)))
    cases.append(Case("round(p * q, 2)", _nulls(lambda x, y: _half_up(x * y, 2), "p", "q")))
    cases.append(Case("round(f / 3, 2)", _nulls(lambda x: _half_up(x / 3, 2), "f")))
    cases.append(Case("coalesce(p, r)", lambda row: row["p"] if row["p"] is not None else row["r"]))
    cases.append(Case("coalesce(i, b)", lambda row: row["i"] if row["i"] is not None else row["b"]))
    return cases


def _strings() -> list[Case]:
    def s(fn: Callable[[str], Any]) -> Callable[[Row], Any]:
        return _nulls(fn, "s")

    def concat(row: Row) -> str:
        return "".join(v for v in (row["s"], "-", row["s"]) if v is not None)

    return [
        Case("upper(s)", s(str.upper)),
        Case("lower(s)", s(str.lower)),
        Case("length(s)", s(len)),
        Case("s || 'x'", s(lambda v: v + "x")),
        Case("concat(s, '-', s)", concat),
        Case("substr(s, 2, 2)", s(lambda v: v[1:3])),
        Case("replace(s, 'a', 'b')", s(lambda v: v.replace("a", "b"))),
        Case("trim(s)", s(lambda v: v.strip(" "))),
        Case("left(s, 2)", s(lambda v: v[:2])),
        Case("right(s, 2)", s(lambda v: v[-2:] if len(v) >= 2 else v)),
        Case("lpad(s, 6, '*')", s(lambda v: ("*" * 6 + v)[-6:] if len(v) < 6 else v[:6])),
        Case("strpos(s, 'b')", s(lambda v: v.find("b") + 1)),
        Case("s LIKE '%a%'", s(lambda v: "a" in v)),
        Case("coalesce(s, '?')", lambda row: "?" if row["s"] is None else row["s"]),
        Case("nullif(s, '')", lambda row: None if row["s"] in (None, "") else row["s"]),
        Case("length(trim(s))", s(lambda v: len(v.strip(" ")))),
        Case("s || g", _nulls(lambda a, b: a + b, "s", "g")),
        Case("cast(i AS VARCHAR)", _nulls(str, "i")),
        Case("cast(p AS VARCHAR)", _nulls(str, "p")),
        Case("upper(g) = 'Ü'", _nulls(lambda v: v.upper() == "Ü", "g")),
    ]


def _dates() -> list[Case]:
    day = dt.timedelta(days=1)

    def at_midnight(d: dt.date) -> dt.datetime:
        return dt.datetime(d.year, d.month, d.day)

    return [
        Case("d + 1", _nulls(lambda d: d + day, "d")),
        Case("d - 1", _nulls(lambda d: d - day, "d")),
        Case("d - e", _nulls(lambda d, e: (d - e).days, "d", "e")),
        Case("year(d)", _nulls(lambda d: d.year, "d")),
        Case("month(d)", _nulls(lambda d: d.month, "d")),
        Case("day(d)", _nulls(lambda d: d.day, "d")),
        Case("year(d) * 100 + month(d)", _nulls(lambda d: d.year * 100 + d.month, "d")),
        Case("d + INTERVAL 1 DAY", _nulls(lambda d: at_midnight(d) + day, "d")),
        Case("ts + INTERVAL 2 HOUR", _nulls(lambda t: t + dt.timedelta(hours=2), "ts")),
        Case(
            "date_trunc('month', d)",
            _nulls(  # a timestamp in DuckDB, whatever its input
                lambda d: dt.datetime(d.year, d.month, 1), "d"
            ),
        ),
        Case("date_trunc('month', ts)", _nulls(lambda t: dt.datetime(t.year, t.month, 1), "ts")),
        Case("d > e", _nulls(lambda d, e: d > e, "d", "e")),
        Case("cast(d AS VARCHAR)", _nulls(lambda d: d.isoformat(), "d")),
        Case("cast(ts AS DATE)", _nulls(lambda t: t.date(), "ts")),
        Case("extract(hour FROM ts)", _nulls(lambda t: t.hour, "ts")),
        Case("strftime(d, '%Y-%m')", _nulls(lambda d: d.strftime("%Y-%m"), "d")),
        Case("coalesce(d, e)", lambda row: row["d"] if row["d"] is not None else row["e"]),
        Case(
            "greatest(d, e)",
            lambda row: max((v for v in (row["d"], row["e"]) if v is not None), default=None),
        ),
    ]


def _nested() -> list[Case]:
    """Functions of functions, mixed types: where one engine's rules leak into the next."""

    def first(*names: str) -> Callable[[Row], Any]:
        return lambda row: next((row[n] for n in names if row[n] is not None), None)

    return [
        Case("round(p / q, 2)", _nulls(lambda a, b: _half_up(float(a) / float(b), 2), "p", "q")),
        Case("p * q * r", _nulls(lambda a, b, c: a * b * c, "p", "q", "r")),
        Case(
            "CASE WHEN i > 0 THEN p ELSE r END",
            lambda row: row["p"] if row["i"] is not None and row["i"] > 0 else row["r"],
        ),
        Case("abs(i - b)", _nulls(lambda a, b: abs(a - b), "i", "b")),
        Case("i / n * 100", _nulls(lambda a, b: a / b * 100, "i", "n")),
        Case(
            "cast(p AS INTEGER) % 3",
            _nulls(lambda a: (lambda v: v - 3 * _trunc_div(v, 3))(_to_int(a)), "p"),
        ),
        Case("length(s) + i", _nulls(lambda a, b: len(a) + b, "s", "i")),
        Case("d + n", _nulls(lambda d, k: d + dt.timedelta(days=k), "d", "n")),
        Case("year(d) - i", _nulls(lambda d, k: d.year - k, "d", "i")),
        Case("nullif(i, 0)", lambda row: None if row["i"] in (None, 0) else row["i"]),
        Case(
            "greatest(p, q)",
            lambda row: max((v for v in (row["p"], row["q"]) if v is not None), default=None),
        ),
        Case(
            "least(i, b)",
            lambda row: min((v for v in (row["i"], row["b"]) if v is not None), default=None),
        ),
        Case("coalesce(p, q, r)", first("p", "q", "r")),
        Case("lower(s) || upper(g)", _nulls(lambda a, b: a.lower() + b.upper(), "s", "g")),
        Case(
            "concat_ws('-', s, g)",
            lambda row: "-".join(v for v in (row["s"], row["g"]) if v is not None),
        ),
        Case("round(r * q / 3, 4)", _nulls(lambda a, b: _half_up(float(a * b) / 3, 4), "r", "q")),
        Case("(p + q) * 2 - r", _nulls(lambda a, b, c: (a + b) * 2 - c, "p", "q", "r")),
        Case(
            "CASE WHEN s IS NULL THEN 'none' WHEN length(s) > 3 THEN 'long' ELSE 'short' END",
            lambda row: "none" if row["s"] is None else "long" if len(row["s"]) > 3 else "short",
        ),
        Case("f * 2 + i", _nulls(lambda a, b: a * 2 + b, "f", "i")),
        Case("b // 7 * 7 + b % 7", _nulls(lambda v: v, "b")),
        Case("strftime(ts, '%H:%M')", _nulls(lambda t: t.strftime("%H:%M"), "ts")),
        Case("date_diff('day', e, d)", _nulls(lambda d, e: (d - e).days, "d", "e")),
        Case("cast(ts AS DATE) - e", _nulls(lambda t, e: (t.date() - e).days, "ts", "e")),
    ]


def expression_cases() -> list[Case]:
    """Every generated expression case."""
    return [*_arithmetic(), *_numeric_functions(), *_strings(), *_dates(), *_nested()]


def rows() -> list[Row]:
    return TABLE.to_pylist()
