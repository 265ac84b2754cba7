"""Format-preserving tokenization (FF3-1) as a mask: checked against NIST's ACVP vectors,
compiled to a call of the local session's function, never pushed down, and run on a real
Chinook project (the canary e-mail never reaches the destination)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from sqlglot.errors import UnsupportedError

from app.engine.privacy.keys import install_functions, using_mask_key
from app.engine.privacy.methods import rules_pushable
from app.engine.privacy.tokenize import Tokenizer, derive_keys
from app.services.masking import MissingMaskKey, create_mask_key, mask_key
from app.services.runs import run_project
from app.services.workspace import Workspace
from tests.nodes.support import build
from tests.privacy.test_runs_masked import CANARY, _emails, _pipeline, _save

KEY = bytes(range(32))
PEOPLE = pa.table(
    {
        "id": pa.array([1, 2, 3, 4, 5], pa.int64()),
        "email": pa.array(["Ana.Perez@example.com", "luis@example.org", None, "zoé@ex.es", "x"]),
        "card": pa.array(["4111-1111-1111-1111", "5500 0000 0000 0004", "12", None, "7"]),
    }
)


def _shape(value: str) -> str:
    return "".join(
        "9" if c.isdigit() else ("A" if c.isupper() else "a") if c.isascii() and c.isalpha() else c
        for c in value
    )


@pytest.mark.parametrize(
    ("key", "tweak", "plain", "cipher"),
    [  # NIST ACVP FF3-1 vectors (56-bit tweaks), as the ff3 library's tests give them
        ("2DE79D232DF5585D68CE47882AE256D6", "CBD09280979564", "399-252-0240", "890-180-1106"),
        ("718385E6542534604419E83CE387A437", "B6F35084FA90E1", "wfmwl.rorcd", "ywowe.hycyd"),
        (
            "49CCB8F62D941E5684599ECA0300937B5C766D053E109777",
            "0BFCF75CDC2FC1",
            "JaxlrChjjx",
            "KjdbfQyahd",
        ),
    ],
)
def test_tokens_are_nists_ff3_1_with_the_format_kept(
    key: str, tweak: str, plain: str, cipher: str
) -> None:
    t = Tokenizer(bytes.fromhex(key), bytes.fromhex(tweak))
    assert t.tokenize(plain) == cipher
    assert t.detokenize(cipher) == plain


def test_digits_stay_digits_letters_letters_and_the_same_value_the_same_token() -> None:
    t = Tokenizer(*derive_keys(KEY))
    for value in [
        "Ana.Perez@example.com",
        "+34 600 123 456",
        "ES91 2100 0418 4502 0005 1332",
        "a" * 100 + "1" * 130,
        "zoé@ex.es",
        "x",
        "12",
    ]:
        token = t.tokenize(value)
        assert len(token) == len(value) and _shape(token) == _shape(value)
        assert t.tokenize(value) == token
    long = "ab12" * 40
    assert t.tokenize(long) != long and t.detokenize(t.tokenize(long)) == long
    assert Tokenizer(*derive_keys(bytes(32))).tokenize("Ana.Perez") != t.tokenize("Ana.Perez")
    key, tweak = derive_keys(KEY)
    assert len(key) == 32 and len(tweak) == 7 and KEY not in (key, tweak)


def _run(sql: str, key: bytes | None) -> pa.Table:
    with duckdb.connect() as con:
        install_functions(con, key)
        con.register("people", PEOPLE)
        return con.sql(sql).to_arrow_table()


def test_the_mask_calls_the_sessions_function_and_keeps_the_key_out_of_sql() -> None:
    built = build(
        "mask",
        {
            "rules": [
                {"column": "email", "method": "tokenize"},
                {"column": "card", "method": "tokenize"},
            ]
        },
        {"in": [("people", PEOPLE)]},
    )
    sql = built.sql("duckdb")
    assert "cauce_tokenize" in sql.lower() and KEY.hex() not in sql
    got = _run(sql, KEY)
    t = Tokenizer(*derive_keys(KEY))
    for column in ("email", "card"):
        expected = [None if v is None else t.tokenize(v) for v in PEOPLE.column(column).to_pylist()]
        assert got.column(column).to_pylist() == expected
    with pytest.raises(duckdb.Error, match="no masking key"):
        _run(sql, None)


@pytest.mark.parametrize("dialect", ["postgres", "tsql", "snowflake"])
def test_no_database_runs_tokenization_it_stays_on_the_local_engine(dialect: str) -> None:
    built = build(
        "mask", {"rules": [{"column": "email", "method": "tokenize"}]}, {"in": [("people", PEOPLE)]}
    )
    with pytest.raises(UnsupportedError, match="local engine"):
        built.sql(dialect)
    assert not rules_pushable([{"column": "email", "method": "tokenize"}], dialect)
    assert not rules_pushable([{"column": "email", "method": "tokenize"}], "duckdb")


def test_tokenizing_a_number_is_a_problem_on_the_rule() -> None:
    built = build(
        "mask", {"rules": [{"column": "id", "method": "tokenize"}]}, {"in": [("people", PEOPLE)]}
    )
    assert "text column" in built.error() and built.param() == "rules.0.method"


def test_a_run_tokenizes_by_tag_with_the_projects_key(
    project: Path, ws: Workspace, tmp_path: Path
) -> None:
    _save(project, _pipeline("tokenize"))
    with pytest.raises(MissingMaskKey):
        run_project(project, workspace=ws)
    create_mask_key("chinook", resolver=ws.secrets)
    key = mask_key("chinook", ws.secrets)
    result = run_project(project, workspace=ws)
    assert result.ok, result.summary()
    emails = _emails(tmp_path)
    assert CANARY not in emails
    assert emails[0] == Tokenizer(*derive_keys(key)).tokenize(CANARY)
    assert _shape(emails[0]) == _shape(CANARY)
    assert key.hex() not in str(result.to_dict())


def test_using_mask_key_gives_the_tokenizer_to_local_sessions(tmp_path: Path) -> None:
    from app.engine.local import LocalSession
    from app.engine.provider import ConnectorProvider

    provider = ConnectorProvider({}, lambda c: None, project_dir=tmp_path)  # type: ignore[arg-type, return-value]
    with using_mask_key(KEY), LocalSession(provider) as session:
        [(got,)] = session.con.sql("SELECT cauce_tokenize('4111-1111-1111-1111')").fetchall()
    assert got == Tokenizer(*derive_keys(KEY)).tokenize("4111-1111-1111-1111")
