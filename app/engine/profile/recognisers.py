"""Value shapes and recognisers, applied to a column's most frequent distinct values.

A *shape* maps every upper-case letter to ``A``, lower-case to ``a``, digit to ``9`` and keeps
other characters, collapsing runs of one class:

>>> shape("Ana-42 x")
'Aa-9 a'
>>> luhn_ok("4111 1111 1111 1111"), luhn_ok("4111 1111 1111 1112")
(True, False)
>>> iban_ok("GB82 WEST 1234 5698 7654 32"), iban_ok("GB82 WEST 1234 5698 7654 33")
(True, False)
"""

from __future__ import annotations

import datetime as dt
import importlib
import ipaddress
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

__all__ = [
    "NATIONAL_IDS",
    "RECOGNISERS",
    "guess_semantic_type",
    "iban_ok",
    "luhn_ok",
    "recognise",
    "shape",
]

#: internationalised addresses (RFC 6531) allowed: ``\w`` matches any letter
_LABEL = r"[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?"
_EMAIL = re.compile(rf"^[\w.!#$%&'*+/=?^`{{|}}~-]+@{_LABEL}(?:\.{_LABEL})+$")
_URL = re.compile(r"^(?:https?|ftp)://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{6,18}[0-9]$")
_CARD_CHARS = re.compile(r"^[0-9][0-9 -]{11,22}[0-9]$")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)?$"
)


def shape(value: str) -> str:
    """The value's shape: classes ``A`` ``a`` ``9``, other characters kept, runs collapsed."""
    out: list[str] = []
    for ch in value:
        c = "A" if ch.isupper() else "a" if ch.isalpha() else "9" if ch.isdigit() else ch
        if not out or out[-1] != c or c not in "Aa9":
            out.append(c)
    return "".join(out)


def luhn_ok(value: str) -> bool:
    """Whether ``value`` (digits, spaces and dashes allowed) passes the Luhn check."""
    from stdnum import luhn

    digits = "".join(c for c in value if c.isdigit())
    return len(digits) >= 2 and luhn.is_valid(digits)


def iban_ok(value: str) -> bool:
    """Whether ``value`` is an IBAN: its country's length and format (the IBAN registry, as
    python-stdnum keeps it) and the mod-97 check."""
    from stdnum import iban

    return bool(_IBAN.match(value.replace(" ", "").upper())) and iban.is_valid(value)


def _card(value: str) -> bool:
    if not _CARD_CHARS.match(value):
        return False
    digits = sum(c.isdigit() for c in value)
    return 13 <= digits <= 19 and luhn_ok(value)


def _ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _iso_date(value: str) -> bool:
    if not _ISO_DATE.match(value):
        return False
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _phone(value: str) -> bool:
    """International (``+`` and 8-15 digits) or national with separators (10-15 digits)."""
    if not _PHONE.match(value) or _ISO_DATE.match(value):
        return False
    digits = sum(c.isdigit() for c in value)
    return 8 <= digits <= 15 if value.startswith("+") else 10 <= digits <= 15


def _national(module: str, pattern: str) -> Callable[[str], bool]:
    """A national-ID recogniser: the value has ``pattern``'s form and passes the check
    python-stdnum's ``module`` makes (check digits or letters, valid ranges and dates)."""
    form = re.compile(pattern)

    def test(value: str) -> bool:
        if not form.match(value):
            return False
        return bool(importlib.import_module(f"stdnum.{module}").is_valid(value))

    return test


#: national identity numbers, each in its usual written forms; only those with a check digit or
#: letter (or, for the US SSN, its dashed form), so that a column of plain numbers is not taken
#: for one (a 9-digit number passes the SSN's range rules and 9 % of them the Dutch BSN's check)
NATIONAL_IDS: dict[str, Callable[[str], bool]] = {
    "es_dni": _national("es.dni", r"^\d{8}-?[A-Za-z]$"),
    "es_nie": _national("es.nie", r"^[XYZxyz]-?\d{7}-?[A-Za-z]$"),
    "us_ssn": _national("us.ssn", r"^\d{3}-\d{2}-\d{4}$"),
    "br_cpf": _national("br.cpf", r"^(\d{3}\.\d{3}\.\d{3}-\d{2}|\d{11})$"),
    "fr_nir": _national("fr.nir", r"^[12] ?\d{2} ?\d{2} ?(\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}$"),
    "it_codice_fiscale": _national(
        "it.codicefiscale",
        r"^[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}"
        r"[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z]"
        r"[0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]$",
    ),
    "mx_curp": _national("mx.curp", r"^[A-Za-z]{4}\d{6}[HMXhmx][A-Za-z]{5}[0-9A-Za-z]\d$"),
}

#: recogniser name -> predicate on a text value (order: most specific first)
RECOGNISERS: dict[str, Callable[[str], bool]] = {
    "email": lambda v: bool(_EMAIL.match(v)),
    "url": lambda v: bool(_URL.match(v)),
    "uuid": lambda v: bool(_UUID.match(v)),
    "ip": _ip,
    "iso_date": _iso_date,
    "iban": iban_ok,
    "credit_card": _card,
    "phone": _phone,
    **NATIONAL_IDS,
}


def recognise(value: str) -> list[str]:
    """Names of the recognisers ``value`` satisfies.

    >>> recognise("ana@example.com"), recognise("2024-02-30")
    (['email'], [])
    """
    text = value.strip()
    return [name for name, test in RECOGNISERS.items() if test(text)]


def _parses(value: str, kind: str) -> bool:
    text = value.strip()
    if kind == "integer":
        return bool(re.fullmatch(r"[+-]?\d+", text))
    if kind == "decimal":
        try:
            Decimal(text)
        except InvalidOperation:
            return False
        return bool(re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text))
    if kind == "boolean":
        return text.lower() in {"true", "false", "t", "f", "yes", "no", "y", "n"}
    if kind == "timestamp":
        return _iso_date(text) and len(text) > 10
    if kind == "date":
        return _iso_date(text) and len(text) == 10
    raise ValueError(kind)


def guess_semantic_type(
    values: Iterable[tuple[str, int]], *, threshold: float = 0.95
) -> str | None:
    """What text values really are (``integer``, ``decimal``, ``date``, ``timestamp``,
    ``boolean``) when at least ``threshold`` of the rows they weigh parse as it; else None.

    >>> guess_semantic_type([("12", 5), ("7", 3), ("n/a", 1)], threshold=0.8)
    'integer'
    >>> guess_semantic_type([("2024-01-02", 4), ("2024-01-03 10:00:00", 1)])
    'timestamp'
    """
    pairs = [(v, n) for v, n in values if v is not None and v.strip()]
    total = sum(n for _, n in pairs)
    if not total:
        return None
    share = {
        kind: sum(n for v, n in pairs if _parses(v, kind)) / total
        for kind in ("integer", "decimal", "boolean", "date", "timestamp")
    }
    if share["integer"] >= threshold and not share["boolean"] >= threshold:
        return "integer"
    if share["decimal"] >= threshold:
        return "decimal"
    if share["boolean"] >= threshold:
        return "boolean"
    if share["date"] >= threshold:
        return "date"
    if share["date"] + share["timestamp"] >= threshold:
        return "timestamp"
    return None
