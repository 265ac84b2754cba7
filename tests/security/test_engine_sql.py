"""Attacks through SQL and paths in a project: each refused, naming the node, and nothing leaked.

Every test is one way in found in issue #11. A refusal is checked where the user sees it (the
compile problem names the node and the function) and where the data would have gone (the
destination holds no table).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from app.engine.compiler import CompileError
from app.engine.executor import run_pipeline
from app.engine.local import LocalSession
from app.engine.sql_policy import locked_duckdb
from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.services.connections import project_provider


def _provider(tmp_path: Path, chinook: Path, **extra: Connection):  # type: ignore[no-untyped-def]
    connections = {
        "warehouse": Connection(
            name="warehouse", type="duckdb", params={"path": str(tmp_path / "out" / "wh.duckdb")}
        ),
        "chinook": Connection(name="chinook", type="sqlite", params={"path": str(chinook)}),
        **extra,
    }
    return project_provider(
        connections, project_dir=tmp_path / "project", secrets=lambda c, f, **_: None
    )


def _to_warehouse(p: Pipeline, upstream_id: str) -> Pipeline:
    dst = p.add_node(
        "destination",
        name="dst",
        params={"connection": "warehouse", "table": "stolen", "mode": "replace"},
    )
    p.connect(upstream_id, "out", dst.id, "in")
    return p


def _custom_sql(sql: str) -> Pipeline:
    p = Pipeline(name="attack")
    src = p.add_node("source", name="genres", params={"connection": "chinook", "table": "Genre"})
    sql_node = p.add_node("custom_sql", name="exfiltrate", params={"sql": sql})
    p.connect(src.id, "out", sql_node.id, "in")
    return _to_warehouse(p, sql_node.id)


def _nothing_written(tmp_path: Path) -> None:
    db = tmp_path / "out" / "wh.duckdb"
    if db.exists():
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.sql(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'stolen'"
            ).fetchall() == [(0,)]


def _refused(
    tmp_path: Path, chinook: Path, pipeline: Pipeline, node: str, *words: str, **extra: Connection
) -> None:
    with _provider(tmp_path, chinook, **extra) as prov, pytest.raises(CompileError) as info:
        run_pipeline(pipeline, prov)
    problems = [p for p in info.value.problems if p.node_name == node]
    assert problems, str(info.value)
    for word in words:
        assert word in str(problems[0]), str(info.value)
    _nothing_written(tmp_path)


def test_lateral_read_text_of_the_environment_is_refused(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    os.environ["CAUCE_TEST_CANARY"] = "canary-a8f3"
    try:
        _refused(
            tmp_path,
            chinook_sqlite,
            _custom_sql(
                "SELECT l.content FROM input1 i, LATERAL read_text('/proc/self/environ') l"
            ),
            "exfiltrate",
            "read_text",
        )
    finally:
        del os.environ["CAUCE_TEST_CANARY"]


@pytest.mark.parametrize(
    ("sql", "word"),
    [
        ("SELECT * FROM read_text('/etc/passwd')", "read_text"),
        ("SELECT g.Name, f.file FROM input1 g, glob('/etc/*') f", "glob"),
        (
            "SELECT * FROM input1 WHERE Name IN (SELECT column0 FROM "
            "read_csv('http://127.0.0.1:9/x.csv'))",
            "read_csv",
        ),
        (
            "SELECT (SELECT count(*) FROM read_csv_auto('/etc/passwd')) AS n FROM input1",
            "read_csv_auto",
        ),
        ("SELECT * FROM '/etc/passwd'", "/etc/passwd"),
        ("SELECT getenv('CAUCE_MASTER_KEY') AS k FROM input1", "getenv"),
        ("SELECT current_setting('allowed_directories') AS s FROM input1", "current_setting"),
    ],
)
def test_table_functions_and_files_in_custom_sql_are_refused(
    tmp_path: Path, chinook_sqlite: Path, sql: str, word: str
) -> None:
    _refused(tmp_path, chinook_sqlite, _custom_sql(sql), "exfiltrate", word)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM input1 WHERE EXISTS (ATTACH '/tmp/x.duckdb' AS x)",
        "WITH a AS (ATTACH '/tmp/x.duckdb' AS x) SELECT * FROM input1",
        "SELECT * FROM (ATTACH '/tmp/x.duckdb' AS x)",
    ],
)
def test_attach_inside_a_subquery_is_refused(
    tmp_path: Path, chinook_sqlite: Path, sql: str
) -> None:
    _refused(tmp_path, chinook_sqlite, _custom_sql(sql), "exfiltrate")
    assert not Path("/tmp/x.duckdb").exists()


def test_a_function_in_an_expression_is_checked_by_allow_list(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    p = Pipeline(name="attack")
    src = p.add_node("source", name="genres", params={"connection": "chinook", "table": "Genre"})
    derive = p.add_node(
        "derive",
        name="leak",
        params={"columns": [{"name": "k", "expression": "getenv('CAUCE_MASTER_KEY')"}]},
    )
    p.connect(src.id, "out", derive.id, "in")
    _refused(tmp_path, chinook_sqlite, _to_warehouse(p, derive.id), "leak", "getenv")


def test_duckdb_source_query_reading_a_file_is_refused(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    lake = Connection(name="lake", type="duckdb", params={"path": str(tmp_path / "lake.duckdb")})
    p = Pipeline(name="attack")
    src = p.add_node(
        "source",
        name="passwd",
        params={"connection": "lake", "query": "SELECT content FROM read_text('/etc/passwd')"},
    )
    _refused(tmp_path, chinook_sqlite, _to_warehouse(p, src.id), "passwd", "read_text", lake=lake)


def test_postgres_style_file_function_in_a_source_query_is_refused(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    p = Pipeline(name="attack")
    src = p.add_node(
        "source",
        name="q",
        params={"connection": "chinook", "query": "SELECT pg_read_file('/etc/passwd') AS x"},
    )
    _refused(tmp_path, chinook_sqlite, _to_warehouse(p, src.id), "q", "pg_read_file")


def test_file_source_outside_the_allowed_directories_is_refused(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    p = Pipeline(name="attack")
    src = p.add_node(
        "file_source",
        name="passwd",
        params={"path": "/etc/passwd", "format": "csv", "delimiter": ":", "header": False},
    )
    _refused(tmp_path, chinook_sqlite, _to_warehouse(p, src.id), "passwd", "/etc/passwd", "outside")


def test_a_symlink_in_the_project_to_an_outside_file_is_refused(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "data.csv").symlink_to("/etc/passwd")
    p = Pipeline(name="attack")
    src = p.add_node(
        "file_source",
        name="linked",
        params={
            "path": "${PROJECT_DIR}/data.csv",
            "format": "csv",
            "delimiter": ":",
            "header": False,
        },
    )
    _refused(tmp_path, chinook_sqlite, _to_warehouse(p, src.id), "linked", "outside")


def test_file_source_inside_the_project_runs(tmp_path: Path, chinook_sqlite: Path) -> None:
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "data.csv").write_text("a,b\n1,x\n2,y\n")
    p = Pipeline(name="fine")
    src = p.add_node("file_source", name="data", params={"path": "${PROJECT_DIR}/data.csv"})
    with _provider(tmp_path, chinook_sqlite) as prov:
        report = run_pipeline(_to_warehouse(p, src.id), prov)
    assert report.ok, report.error
    with duckdb.connect(str(tmp_path / "out" / "wh.duckdb"), read_only=True) as con:
        assert con.sql("SELECT * FROM stolen ORDER BY a").fetchall() == [(1, "x"), (2, "y")]


def test_a_directory_the_user_allowed_is_readable(
    tmp_path: Path, chinook_sqlite: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "d.csv").write_text("a\n7\n")
    p = Pipeline(name="fine")
    src = p.add_node("file_source", name="data", params={"path": str(shared / "d.csv")})
    with _provider(tmp_path, chinook_sqlite) as prov, pytest.raises(CompileError):
        run_pipeline(_to_warehouse(Pipeline.model_validate(p.model_dump()), src.id), prov)
    monkeypatch.setenv("CAUCE_ALLOWED_DIRS", str(shared))
    with _provider(tmp_path, chinook_sqlite) as prov:
        assert run_pipeline(_to_warehouse(p, src.id), prov).ok


def test_the_engine_session_is_locked_even_if_sql_slipped_through(
    tmp_path: Path, chinook_sqlite: Path
) -> None:
    with _provider(tmp_path, chinook_sqlite) as prov, LocalSession(prov) as session:
        for sql in (
            "SELECT * FROM read_text('/etc/passwd')",
            "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",
            "ATTACH '/tmp/cauce-lock-test.duckdb' AS x",
        ):
            with pytest.raises(duckdb.PermissionException):
                session.con.execute(sql)
        for sql in (
            "SET enable_external_access = true",
            "SET allowed_directories = ['/']",
            "SET autoinstall_known_extensions = true",
        ):
            with pytest.raises(duckdb.InvalidInputException, match="locked"):
                session.con.execute(sql)
        with pytest.raises(duckdb.Error):
            session.con.execute("INSTALL httpfs")
    assert not Path("/tmp/cauce-lock-test.duckdb").exists()


def test_compile_time_describe_reads_no_file() -> None:
    with locked_duckdb() as con, pytest.raises(duckdb.PermissionException):
        con.execute("SELECT * FROM read_text('/etc/passwd')")


@pytest.mark.parametrize(
    ("sql", "dialect"),
    [
        ("SELECT TOP 10 a FROM dbo.t WITH (NOLOCK) WHERE b = N'x'", "tsql"),
        ("SELECT a FROM t USE INDEX (i)", "mysql"),
        (
            "SELECT a FROM t SAMPLE (10) QUALIFY row_number() OVER (PARTITION BY a ORDER BY b) = 1",
            "snowflake",
        ),
        (
            "SELECT a::json->>'k', date_trunc('month', d), now() FROM s.t TABLESAMPLE SYSTEM (10)",
            "postgres",
        ),
        ("SELECT a FROM `proj.ds.t`", "bigquery"),
        (
            "SELECT strftime(d, '%Y'), list_value(1, 2)[1], sum(x) FILTER (WHERE x > 0), "
            "string_agg(s, ',') FROM t, unnest([1, 2]) u(v) GROUP BY ALL",
            "duckdb",
        ),
    ],
)
def test_ordinary_source_queries_of_each_dialect_are_allowed(sql: str, dialect: str) -> None:
    import sqlglot

    from app.engine.sql_policy import refusal

    assert refusal(sqlglot.parse_one(sql, read=dialect)) is None


@pytest.mark.parametrize(
    ("sql", "dialect", "word"),
    [
        ("SELECT @@VERSION", "tsql", "PARAMETER"),
        ("SELECT * FROM OPENROWSET('SQLNCLI', 'Server=x', 'SELECT 1')", "tsql", "openrowset"),
        ("SELECT pg_read_binary_file('/etc/passwd')", "postgres", "pg_read_binary_file"),
        ("SELECT LOAD_FILE('/etc/passwd')", "mysql", "load_file"),
        ('SELECT * FROM "data.csv"', "duckdb", "looks like a file"),
    ],
)
def test_reading_outside_the_connection_is_refused_in_each_dialect(
    sql: str, dialect: str, word: str
) -> None:
    import sqlglot

    from app.engine.sql_policy import refusal

    assert word in str(refusal(sqlglot.parse_one(sql, read=dialect))).lower() or word in str(
        refusal(sqlglot.parse_one(sql, read=dialect))
    )
