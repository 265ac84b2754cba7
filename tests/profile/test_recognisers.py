"""Shapes, recognisers and semantic guesses on valid and invalid samples."""

from __future__ import annotations

import pytest

from app.engine.profile.recognisers import (
    guess_semantic_type,
    iban_ok,
    luhn_ok,
    recognise,
    shape,
)

VALID = {
    "email": [
        "ana@example.com",
        "j.o'neil+tag@mail.co.uk",
        "x_y@sub.domain.org",
        "stanisław.wójcik@wp.pl",
    ],
    "url": ["https://example.com", "http://a.b/c?d=e#f", "ftp://files.example.org/x"],
    "uuid": ["123e4567-e89b-12d3-a456-426614174000", "6F9619FF-8B86-D011-B42D-00C04FC964FF"],
    "ip": ["192.168.0.1", "10.0.0.255", "::1", "2001:db8::ff00:42:8329"],
    "iso_date": ["2024-02-29", "2024-01-02T10:20:30Z", "2024-01-02 10:20:30.123+01:00"],
    "iban": ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "ES9121000418450200051332"],
    "credit_card": ["4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005"],
    "phone": ["+34 912 345 678", "+1 (415) 555-2671", "020 7946 0958 1"],
    "es_dni": ["12345678Z", "00000000T", "12345678-Z"],
    "es_nie": ["X1234567L", "Y-1234567-X"],
    "us_ssn": ["536-90-4399"],
    "br_cpf": ["390.533.447-05", "39053344705"],
    "fr_nir": ["2 95 10 99 126 111 93", "295109912611193"],
    "it_codice_fiscale": ["RCCMNL83S18D969H"],
    "mx_curp": ["HEGG560427MVZRRL04"],
}
INVALID = {
    "email": [
        "ana@",
        "@example.com",
        "ana example.com",
        "ana@example",
        "a@b@c.com",
        "ana@-example.com",
        "ana@exa_mple.com",
    ],
    "url": ["example.com", "http//x.com", "https://", "mailto:ana@example.com"],
    "uuid": [
        "123e4567-e89b-12d3-a456-42661417400",
        "123e4567e89b12d3a456426614174000",
        "zzze4567-e89b-12d3-a456-426614174000",
    ],
    "ip": ["256.1.1.1", "1.2.3", "1.2.3.4.5", "::g"],
    "iso_date": ["2024-02-30", "2023-02-29", "24-01-02", "2024/01/02", "2024-13-01"],
    "iban": ["GB82 WEST 1234 5698 7654 33", "DE8937040044053201300", "XX00", "1234567890123456"],
    "credit_card": ["4111 1111 1111 1112", "1234 5678 9012 3456", "4111", "411111111111111a"],
    "phone": ["12345", "2024-01-02", "+12", "hello"],
    "es_dni": ["12345678A", "1234567Z", "X1234567L"],  # wrong letter, too short, a NIE
    "es_nie": ["X1234567A", "A1234567L"],
    # the Woolworth wallet's number, area 000, and an undashed number (any 9 digits would do)
    "us_ssn": ["078-05-1120", "000-12-3456", "536904399"],
    "br_cpf": ["390.533.447-06", "390.533.447"],
    "fr_nir": ["295109912611194", "395109912611193"],
    "it_codice_fiscale": ["RCCMNL83S18D969A", "RCCMNL83S18D96"],
    "mx_curp": ["HEGG560427MVZRRL05", "HEGG560427"],
}


@pytest.mark.parametrize("kind", sorted(VALID))
def test_recogniser_accepts_valid(kind: str) -> None:
    for value in VALID[kind]:
        assert kind in recognise(value), value


@pytest.mark.parametrize("kind", sorted(INVALID))
def test_recogniser_refuses_invalid(kind: str) -> None:
    for value in INVALID[kind]:
        assert kind not in recognise(value), value


def test_luhn_against_a_direct_computation() -> None:
    """Every single-digit change of a valid number breaks the check (a property of Luhn)."""
    number = "79927398713"
    assert luhn_ok(number)
    for i in range(len(number)):
        for d in "0123456789":
            if d != number[i]:
                assert not luhn_ok(number[:i] + d + number[i + 1 :]), (i, d)


def test_iban_check_digits() -> None:
    body = "WEST12345698765432"
    good = [f"GB{cd:02d}{body}" for cd in range(100) if iban_ok(f"GB{cd:02d}{body}")]
    assert good == ["GB82" + body]


def test_shapes() -> None:
    assert shape("AB-1234") == "A-9"
    assert shape("john.smith@x.com") == "a.a@a.a"
    assert shape("Ñandú 7") == "Aa 9"
    assert shape("") == ""


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([("1", 10), ("22", 5), ("-3", 1)], "integer"),
        ([("1.5", 10), ("2", 5), ("-3e2", 1)], "decimal"),
        ([("2024-01-02", 9), ("2024-03-04", 1)], "date"),
        ([("2024-01-02 10:00:00", 9), ("2024-03-04", 1)], "timestamp"),
        ([("yes", 5), ("no", 5)], "boolean"),
        ([("1", 5), ("abc", 5)], None),
        ([("Madrid", 10)], None),
        ([], None),
    ],
)
def test_semantic_type(values: list[tuple[str, int]], expected: str | None) -> None:
    assert guess_semantic_type(values) == expected


def test_spanish_dni_letter_against_a_direct_computation() -> None:
    """Of the 23 check letters, exactly the one the mod-23 table gives is accepted."""
    letters = "TRWAGMYFPDXBNJZSQVHLCKE"
    for number in (0, 12345678, 99999999, 31415926, 27182818):
        digits = f"{number:08d}"
        good = [c for c in letters if "es_dni" in recognise(digits + c)]
        assert good == [letters[number % 23]], digits
