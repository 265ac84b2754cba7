"""A file source feeding a database destination runs on the local engine (issue #10): the
database cannot read the file, so the plan does not push that stage down."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.engine.compiler import compile_pipeline
from app.engine.executor import run_pipeline
from app.engine.plan import local_only_problems
from app.model.connection import Connection
from app.model.pipeline import Pipeline
from app.services.connections import project_provider


def file_pipeline(path: Path) -> Pipeline:
    p = Pipeline(name="files")
    src = p.add_node(
        "file_source",
        name="sales_file",
        params={
            "path": str(path),
            "delimiter": ";",
            "columns": [
                {"name": "region", "type": "string"},
                {"name": "amount", "type": "decimal(20,2)"},
            ],
        },
    )
    flt = p.add_node(
        "derive", name="vat", params={"columns": [{"name": "gross", "expression": "amount * 1.21"}]}
    )
    dst = p.add_node("destination", name="out", params={"connection": "pg", "table": "sales"})
    p.connect(src.id, "out", flt.id, "in")
    p.connect(flt.id, "out", dst.id, "in")
    return p


def test_a_file_to_postgres_stage_runs_locally_and_writes_exact_values(
    tmp_path: Path, pg_db: dict
) -> None:
    import psycopg

    csv = tmp_path / "sales.csv"
    # DuckDB's sniffer alone reads the long amount as a double (12345678901234568)
    csv.write_text("region;amount\nnorth;10.50\nsouth;12345678901234567.89\n")
    pg = Connection(
        name="pg",
        type="postgres",
        params={
            "host": pg_db["host"],
            "port": pg_db["port"],
            "user": pg_db["user"],
            "database": pg_db["dbname"],
        },
    )
    with project_provider(
        {"pg": pg}, project_dir=tmp_path, secrets=lambda c, f, **_: None
    ) as provider:
        report = run_pipeline(file_pipeline(csv), provider)
    assert report.ok, report.error
    assert report.plan["stages"][0]["placement"] == "local"
    assert "READ_CSV" in report.plan["stages"][0]["sql"].upper()
    with psycopg.connect(pg_db["dsn"]) as con:
        rows = con.execute("SELECT region, gross FROM sales ORDER BY region").fetchall()
    assert rows == [
        ("north", Decimal("12.7050")),
        ("south", Decimal("12345678901234567.89") * Decimal("1.21")),
    ]


def test_compiling_a_file_source_for_a_database_names_the_file_node(tmp_path: Path) -> None:
    from app.engine.compiler.binders import table_binder

    csv = tmp_path / "sales.csv"
    csv.write_text("region;amount\nnorth;10.50\n")
    compiled = compile_pipeline(file_pipeline(csv), binder=table_binder(None))
    assert local_only_problems(compiled, "duckdb") == []
    [problem] = local_only_problems(compiled, "postgres")
    assert problem.node_name == "sales_file" and "files run on the local engine" in problem.message
