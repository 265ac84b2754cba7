"""The tag vocabulary and tag suggestions for columns.

A tag is a dotted name: ``pii.email``, ``pii.name``, ``pii.phone``, ``pii.national_id``,
``pii.card``, ``pii.address``, ``pii.birthdate``, ``sensitive.<anything>``, or a custom
``<word>.<word>``. Suggestions come from a column's name (English and Spanish words) and from
a sample of its values (the profiler's recognisers: e-mail, phone, card with Luhn, IBAN,
national IDs). A value rule wins only when most of the sample matches.

>>> suggest_tags("Email", [])
{'pii.email'}
>>> suggest_tags("apellidos", [])
{'pii.name'}
>>> sorted(suggest_tags("contact", ["ana@example.com", "luis@example.org"]))
['pii.email']
>>> suggest_tags("UnitPrice", ["0.99"])
set()
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.engine.profile.recognisers import NATIONAL_IDS, recognise
from app.i18n import _

__all__ = ["PII_TAGS", "check_tag", "suggest_tags"]

PII_TAGS = (
    "pii.email",
    "pii.name",
    "pii.phone",
    "pii.national_id",
    "pii.card",
    "pii.address",
    "pii.birthdate",
)
_TAG = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")

#: tag -> words of column names (English and Spanish, no accents), matched on the name's
#: words (``billing_address`` -> billing, address; ``FirstName`` -> first, name)
_NAME_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "pii.email": (("email",), ("e", "mail"), ("mail",), ("correo",)),
    "pii.name": (
        ("first", "name"),
        ("last", "name"),
        ("full", "name"),
        ("surname",),
        ("firstname",),
        ("lastname",),
        ("nombre",),
        ("apellido",),
        ("apellidos",),
    ),
    "pii.phone": (("phone",), ("telephone",), ("mobile",), ("fax",), ("telefono",), ("movil",)),
    "pii.national_id": (
        ("ssn",),
        ("dni",),
        ("nie",),
        ("nif",),
        ("passport",),
        ("national", "id"),
        ("pasaporte",),
    ),
    "pii.card": (("card", "number"), ("credit", "card"), ("tarjeta",)),
    "pii.address": (
        ("address",),
        ("street",),
        ("postal", "code"),
        ("postalcode",),
        ("zip",),
        ("direccion",),
        ("calle",),
        ("domicilio",),
    ),
    "pii.birthdate": (
        ("birth", "date"),
        ("birthdate",),
        ("birthday",),
        ("dob",),
        ("fecha", "nacimiento"),
        ("nacimiento",),
    ),
}
#: recogniser -> tag
_VALUE_TAGS: dict[str, str] = {
    "email": "pii.email",
    "phone": "pii.phone",
    "credit_card": "pii.card",
    "iban": "sensitive.iban",
    **{name: "pii.national_id" for name in NATIONAL_IDS},
}
#: share of the non-empty sample a recogniser must match
THRESHOLD = 0.8
_ACCENTS = str.maketrans("áéíóúüñ", "aeiouun")


def check_tag(tag: str) -> str:
    """``tag`` in lower case, or ``ValueError`` when it is not a dotted name."""
    text = tag.strip().lower()
    if not _TAG.match(text):
        raise ValueError(
            _(
                "invalid tag {tag!r}: use a dotted name such as pii.email or sensitive.salary"
            ).format(tag=tag)
        )
    return text


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower().translate(_ACCENTS)) if w]


def _has(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i : i + n]) == phrase for i in range(len(words) - n + 1))


def _by_name(name: str) -> set[str]:
    words = _words(name)
    found = {tag for tag, phrases in _NAME_WORDS.items() if any(_has(words, p) for p in phrases)}
    if "pii.name" in found and "pii.email" in found:
        found.discard("pii.name")  # "email name" is an e-mail
    return found


def _by_values(values: Iterable[object]) -> set[str]:
    texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not texts:
        return set()
    counts: dict[str, int] = {}
    for text in texts:
        for name in recognise(text):
            if name in _VALUE_TAGS:
                counts[_VALUE_TAGS[name]] = counts.get(_VALUE_TAGS[name], 0) + 1
    return {tag for tag, n in counts.items() if n / len(texts) >= THRESHOLD}


def suggest_tags(name: str, sample: Iterable[object]) -> set[str]:
    """Tags a column named ``name`` holding ``sample`` probably deserves."""
    return _by_name(name) | _by_values(sample)
