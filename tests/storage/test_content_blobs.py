"""Pipeline versions are content-addressed: the same content is stored once per organization."""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import command

from app.model.pipeline import Pipeline
from app.storage.migrate import alembic_config, init_db
from app.storage.repository import Repository


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as con:
            return int(con.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def _pipeline(condition: str) -> Pipeline:
    p = Pipeline(name="orders")
    p.add_node("filter", name="keep", params={"condition": condition})
    return p


def test_a_version_saved_again_stores_no_new_content(db_url: str) -> None:
    init_db(db_url)
    with Repository(db_url) as repo:
        project = repo.ensure_project("sales")
        a = _pipeline("amount > 0")
        b = Pipeline.model_validate(
            {
                **a.model_dump(),
                "nodes": [{**a.nodes[0].model_dump(), "params": {"condition": "amount > 1"}}],
            }
        )
        v1 = repo.save_pipeline_version(project, a, author="ana")
        repo.save_pipeline_version(project, b, author="ana")
        v3 = repo.save_pipeline_version(project, a, author="ana")  # back to the first content
        assert (v1.number, v3.number) == (1, 3)
        assert v3.content == v1.content
        # the same bundle imported as another project: its versions reuse the blobs too
        other = repo.ensure_project("sales copy")
        repo.save_pipeline_version(other, a, author="bob")
    assert _count(db_url, "pipeline_versions") == 4
    assert _count(db_url, "content_blobs") == 2


def test_the_upgrade_moves_existing_contents_into_blobs(db_url: str) -> None:
    command.upgrade(alembic_config(db_url), "0003")
    content = {"name": "orders", "nodes": [], "edges": []}
    engine = sa.create_engine(db_url)
    now = "2026-12-01 10:00:00+00:00"
    with engine.begin() as con:
        org = con.execute(
            sa.text(
                "INSERT INTO organizations (name, created_at) VALUES ('older', :t) RETURNING id"
            ),
            {"t": now},
        ).scalar_one()
        project = con.execute(
            sa.text(
                "INSERT INTO projects (organization_id, name, created_at) VALUES (:o, 'p', :t) "
                "RETURNING id"
            ),
            {"o": org, "t": now},
        ).scalar_one()
        pipeline = con.execute(
            sa.text(
                "INSERT INTO pipelines (organization_id, project_id, uid, name, created_at, "
                "updated_at) VALUES (:o, :p, 'u1', 'orders', :t, :t) RETURNING id"
            ),
            {"o": org, "p": project, "t": now},
        ).scalar_one()
        for number, digest in ((1, "a" * 64), (2, "b" * 64), (3, "a" * 64)):
            con.execute(
                sa.text(
                    "INSERT INTO pipeline_versions (organization_id, pipeline_id, number, content, "
                    "content_hash, semantic_hash, author, message, created_at) VALUES "
                    "(:o, :p, :n, :c, :h, :h, 'ana', '', :t)"
                ),
                {
                    "o": org,
                    "p": pipeline,
                    "n": number,
                    "h": digest,
                    "t": now,
                    "c": json.dumps({**content, "description": digest[:1]}),
                },
            )
    engine.dispose()
    init_db(db_url)  # to head
    assert _count(db_url, "content_blobs") == 2
    with Repository(db_url, organization="older") as repo:
        history = repo.pipeline_history(project, "u1")
    assert [(v.number, v.content["description"]) for v in history] == [(3, "a"), (2, "b"), (1, "a")]
    command.downgrade(alembic_config(db_url), "0003")  # and back: every version whole again
    engine = sa.create_engine(db_url)
    with engine.connect() as con:
        rows = con.execute(
            sa.text("SELECT number, content FROM pipeline_versions ORDER BY number")
        ).all()
    engine.dispose()
    assert [(n, (c if isinstance(c, dict) else json.loads(c))["description"]) for n, c in rows] == [
        (1, "a"),
        (2, "b"),
        (3, "a"),
    ]
