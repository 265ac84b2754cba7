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
>>> explain_tags("Email", ["ana@example.com", "n/a"])
[TagEvidence(tag='pii.email', name_words='email', recogniser='', share=0.0)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.engine.profile.recognisers import NATIONAL_IDS, recognise
from app.i18n import _

__all__ = ["PII_TAGS", "TagEvidence", "check_tag", "explain_tags", "suggest_tags"]

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


def suggest_tags(name: str, sample: Iterable[object]) -> set[str]:
    """Tags a column named ``name`` holding ``sample`` probably deserves."""
    return {e.tag for e in explain_tags(name, sample)}


@dataclass(frozen=True)
class TagEvidence:
    """Why a tag is suggested: the words of the column's name that gave it (``""``: none),
    the recogniser that matched its sample (``""``: none) and the share of the non-empty
    sample that recogniser matched (0 when it did not decide)."""

    tag: str
    name_words: str
    recogniser: str
    share: float

    @property
    def confidence(self) -> float:
        """1.0 when the name and the values agree; the share of the sample matched when only
        the values decided; 0.7 when only the name did (a name can mislead)."""
        if self.name_words and self.recogniser:
            return 1.0
        return self.share if self.recogniser else 0.7


def _name_evidence(name: str) -> dict[str, str]:
    words = _words(name)
    found: dict[str, str] = {}
    for tag, phrases in _NAME_WORDS.items():
        for phrase in phrases:
            if _has(words, phrase):
                found[tag] = " ".join(phrase)
                break
    if "pii.name" in found and "pii.email" in found:
        del found["pii.name"]  # "email name" is an e-mail
    return found


def _value_evidence(values: Iterable[object]) -> dict[str, tuple[str, float]]:
    texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not texts:
        return {}
    counts: dict[tuple[str, str], int] = {}
    for text in texts:
        for name in recognise(text):
            if name in _VALUE_TAGS:
                key = (_VALUE_TAGS[name], name)
                counts[key] = counts.get(key, 0) + 1
    found: dict[str, tuple[str, float]] = {}
    for (tag, name), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        share = n / len(texts)
        if share >= THRESHOLD and tag not in found:
            found[tag] = (name, share)
    return found


def explain_tags(name: str, sample: Iterable[object]) -> list[TagEvidence]:
    """The tags :func:`suggest_tags` gives, each with its evidence, sorted by tag."""
    by_name, by_values = _name_evidence(name), _value_evidence(sample)
    out = []
    for tag in sorted(set(by_name) | set(by_values)):
        recogniser, share = by_values.get(tag, ("", 0.0))
        out.append(TagEvidence(tag, by_name.get(tag, ""), recogniser, share))
    return out
