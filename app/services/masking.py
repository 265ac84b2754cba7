"""Masking in real runs and previews: a project's masking keys, its column tags followed
through a pipeline, and tagged values shown masked by default.

- Keys: a project's HMAC key lives in the secret store (``cauce tags key create PROJECT``),
  under the project's reserved ``cauce-privacy`` entry (environment override
  ``CAUCE_SECRET_CAUCE_PRIVACY_MASK_KEY``); :func:`pipeline_keys` gives it to every local
  session a run or preview of a pipeline with a ``hash`` mask opens (never in SQL text).
- Tags: :func:`column_tags` is the two-step compile's middle step — the tags of every port
  of a compiled pipeline, from the metadata DB's column tags by lineage — which run, preview
  and the editor's SQL view pass back to the compiler (``column_tags=``), so ``mask`` rules by
  tag find their columns on every path. A project without tag records costs one query.
- Shown values: :func:`shown` masks a table's tagged columns unless :func:`may_unmask`, and
  records which in the table's schema metadata (:func:`masked_columns` reads it back);
  :func:`shown_profile` hides a profile's values (top values, min/max, quantiles, histogram)
  of tagged columns.

Nothing here imports the privacy engine until a project has tags or masks.
"""

from __future__ import annotations

import contextlib
import secrets as _random
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from app.i18n import _
from app.storage.secrets import MissingSecret, SecretResolver, SecretStoreUnavailable

if TYPE_CHECKING:
    from app.engine.compiler import CompiledPipeline
    from app.engine.profile.model import TableProfile
    from app.model.pipeline import Node, Pipeline
    from app.services.access import Principal
    from app.services.workspace import Workspace

__all__ = [
    "MissingMaskKey",
    "check_bundle_data",
    "create_mask_key",
    "create_project_key",
    "masked_columns",
    "shown",
    "shown_profile",
]

#: the secret store's entry (in place of a connection name) holding a project's masking keys
KEY_OWNER = "cauce-privacy"
HMAC_FIELD = "mask_key"
#: mask methods that need the key (``app.engine.privacy.methods.KEYED``, not imported here)
KEYED_METHODS = frozenset({"hash", "tokenize"})
#: schema metadata of a shown table: the columns masked in it, comma-separated
MASKED_METADATA = b"cauce.masked"

#: (connection, table lower-cased) -> column lower-cased -> tags
ColumnTagMap = dict[tuple[str, str], dict[str, frozenset[str]]]
PortTags = dict[tuple[str, str], dict[str, frozenset[str]]]


class MissingMaskKey(MissingSecret):
    """A pipeline hashes values but its project has no masking key."""

    def _message(self) -> str:
        return _(
            "project {project!r} has no masking key for its hash masks: create one with "
            "`cauce tags key create {project}` (kept in the secret store)"
        ).format(project=self.project)


# -- keys ----------------------------------------------------------------------------------
def _resolver(resolver: SecretResolver | None) -> SecretResolver:
    return resolver or SecretResolver.default()


def mask_key(project: str, resolver: SecretResolver | None = None) -> bytes:
    """The project's HMAC key (from the environment or the secret store).

    Raises:
        MissingMaskKey: there is none; the message names the command that creates it.
    """
    try:
        found = _resolver(resolver).resolve(project, KEY_OWNER, [HMAC_FIELD])
    except MissingSecret:
        raise MissingMaskKey(project, KEY_OWNER, HMAC_FIELD) from None
    return bytes.fromhex(found[HMAC_FIELD])


def create_mask_key(
    project: str, *, rotate: bool = False, resolver: SecretResolver | None = None
) -> bool:
    """Create the project's HMAC key (32 random bytes) in the secret store; ``rotate``:
    replace an existing one (hashes made before no longer match). Returns whether a key was
    written (``False``: one exists and ``rotate`` is not set).

    Raises:
        SecretStoreUnavailable: no secret store on this machine (the message says how).
    """
    found = _resolver(resolver)
    if not rotate:
        with contextlib.suppress(MissingMaskKey):
            mask_key(project, found)
            return False
    if found.store is None:
        raise SecretStoreUnavailable(found.unavailable or _("no secret store is configured"))
    found.store_secret(project, KEY_OWNER, HMAC_FIELD, _random.token_bytes(32).hex())
    return True


def create_project_key(
    path: Path, *, rotate: bool = False, workspace: Workspace | None = None
) -> tuple[str, bool]:
    """:func:`create_mask_key` for the project at ``path``: (its name, whether written)."""
    from app.services.workspace import workspace_of
    from app.storage.project import load_project

    with load_project(path) as opened:
        name = opened.project.meta.name
    return name, create_mask_key(name, rotate=rotate, resolver=workspace_of(workspace).secrets)


def needs_mask_key(pipelines: Iterable[Pipeline]) -> bool:
    """Whether any of ``pipelines`` has a ``mask`` rule that hashes or tokenizes (read from
    parameters: nothing is imported)."""
    return any(
        isinstance(rule, Mapping) and rule.get("method") in KEYED_METHODS
        for p in pipelines
        for n in p.nodes
        if n.type == "mask"
        for rule in n.params.get("rules") or ()
    )


@contextlib.contextmanager
def pipeline_keys(
    project: str, pipelines: Iterable[Pipeline], resolver: SecretResolver | None = None
) -> Iterator[None]:
    """Within the block, local sessions get the project's masking key when ``pipelines``
    hash (raises :class:`MissingMaskKey` before anything runs when there is none)."""
    if not needs_mask_key(pipelines):
        yield
        return
    from app.engine.privacy.keys import using_mask_key

    with using_mask_key(mask_key(project, resolver)):
        yield


# -- tags ----------------------------------------------------------------------------------
def project_tag_map(workspace: Workspace, project: str) -> ColumnTagMap:
    """The project's column tags by (connection, table); empty when it has none (or the
    project was never recorded: no tag can exist then)."""
    if workspace.lean_answer(lambda store: store.has_column_tags(project)) is False:
        return {}  # learnt without loading SQLAlchemy: a short sync's process need not
    from app.storage.tags import TagStore

    with workspace.repository() as repo:
        ids = [p.id for p in repo.list_projects() if p.name == project]
    if not ids:
        return {}
    with workspace.open_store(TagStore) as store:
        found = store.tags(ids[0])
    out: ColumnTagMap = {}
    for t in found:
        cols = out.setdefault((t.connection, t.table.lower()), {})
        cols[t.column.lower()] = cols.get(t.column.lower(), frozenset()) | {t.tag}
    return out


def table_tags(tag_map: ColumnTagMap, connection: str, table: str) -> dict[str, frozenset[str]]:
    """The tags of one table's columns; ``crm.customers`` and ``customers`` are one table."""
    wanted = table.lower()
    out: dict[str, frozenset[str]] = {}
    for (conn, stored), cols in tag_map.items():
        if conn == connection and (
            stored == wanted or stored.endswith("." + wanted) or wanted.endswith("." + stored)
        ):
            for col, tags in cols.items():
                out[col] = out.get(col, frozenset()) | tags
    return out


def column_tags(compiled: CompiledPipeline, tag_map: ColumnTagMap) -> PortTags:
    """Every port's tagged columns (the compiler's ``column_tags``), from the sources' tags
    in ``tag_map`` by column lineage."""
    from app.engine.privacy.propagate import propagate_tags

    return propagate_tags(compiled, lambda node: source_tags(node, tag_map))


def source_tags(node: Node, tag_map: ColumnTagMap) -> dict[str, frozenset[str]]:
    """A source node's tagged columns: a table's from the catalog, a query's by lineage to
    the tables it reads, a file's from the catalogued files its path names
    (:mod:`app.engine.privacy.source_tags`)."""
    params = node.params
    if node.type == "file_source" and params.get("path"):
        from app.engine.privacy.source_tags import file_tables

        out: dict[str, frozenset[str]] = {}
        files = {t: conn for conn, t in tag_map}
        for name in file_tables(str(params["path"]), files):
            for col, tags in table_tags(tag_map, files[name], name).items():
                out[col] = out.get(col, frozenset()) | tags
        return out
    if node.type != "source":
        return {}
    connection = str(params.get("connection"))
    if params.get("table"):
        return table_tags(tag_map, connection, str(params["table"]))
    if params.get("query"):
        from app.engine.privacy.source_tags import query_tags

        return query_tags(str(params["query"]), lambda t: table_tags(tag_map, connection, t))
    return {}


def tagged_compile(
    compile_with: Callable[[PortTags | None], CompiledPipeline], tag_map: ColumnTagMap
) -> tuple[CompiledPipeline, PortTags]:
    """The two-step compile: compile, follow the tags, compile again with them (once when
    the project has no tags)."""
    first = compile_with(None)
    if not tag_map or first.problems:
        return first, {}
    tags = column_tags(first, tag_map)
    return compile_with(tags), tags


# -- values shown --------------------------------------------------------------------------
def shown(
    table: pa.Table, tagged: Iterable[str], *, principal: Principal | None = None
) -> pa.Table:
    """``table`` as a user may see it: tagged columns masked (``****``) unless they may
    unmask; the masked columns' names are in its schema metadata (:func:`masked_columns`)."""
    from app.services.privacy import mask_shown

    result = mask_shown(table, tagged, principal=principal)
    if not result.masked:
        return result.table
    meta = dict(result.table.schema.metadata or {})
    meta[MASKED_METADATA] = ",".join(result.masked).encode()
    return result.table.replace_schema_metadata(meta)


def masked_columns(table: pa.Table | pa.Schema) -> list[str]:
    """The columns :func:`shown` masked in ``table`` (the preview says so)."""
    schema = table if isinstance(table, pa.Schema) else table.schema
    raw = (schema.metadata or {}).get(MASKED_METADATA, b"")
    return [c for c in raw.decode().split(",") if c]


def shown_profile(
    profile: TableProfile, tagged: Iterable[str], *, principal: Principal | None = None
) -> TableProfile:
    """``profile`` as a user may see it: for each tagged column, values (top values, min,
    max, quantiles, histogram ranges) hidden and counts kept, unless they may unmask."""
    from app.services.privacy import SHOWN_MASK, may_unmask

    wanted = {c.lower() for c in tagged}
    if not wanted or may_unmask(principal):
        return profile
    for c in profile.columns:
        if c.name.lower() in wanted:
            c.top = [type(v)(SHOWN_MASK, v.count) for v in c.top]
            c.min = c.max = None
            c.quantiles, c.histogram = {}, []
    return profile


def tagged_data_files(project_dir: Path, workspace: Workspace | None = None) -> dict[str, str]:
    """The project's ``data/`` files that hold tagged columns: relative path -> a description
    (``connection: table.column, …``). A connection whose settings point into ``data/``
    (``${PROJECT_DIR}/data/…``) and whose tables have tags makes its file tagged."""
    from app.services.workspace import workspace_of
    from app.storage.project import list_data_files, load_project

    ws = workspace_of(workspace)
    with load_project(project_dir) as opened:
        project = opened.project
        files = set(list_data_files(opened.root))
    tag_map = project_tag_map(ws, project.meta.name)
    out: dict[str, str] = {}
    for name, conn in sorted(project.connections.items()):
        columns = sorted(
            f"{table}.{column}"
            for (connection, table), cols in tag_map.items()
            if connection == name
            for column in cols
        )
        if not columns:
            continue
        for value in conn.params.values():
            rel = str(value).replace("${PROJECT_DIR}/", "", 1)
            if isinstance(value, str) and "${PROJECT_DIR}/" in value and rel in files:
                out[rel] = f"{name}: " + ", ".join(columns)
    return out


def check_bundle_data(
    project_dir: Path,
    *,
    unmasked: bool = False,
    principal: Principal | None = None,
    workspace: Workspace | None = None,
) -> None:
    """Refuse to export data files holding tagged columns, unless ``unmasked`` is asked by a
    user who may unmask (a file cannot be masked in place: leave it out with ``--no-data``).

    Raises:
        ProjectError: naming the files and their tagged columns, and the ways out.
    """
    from app.services.privacy import may_unmask
    from app.storage.project_format import ProjectError

    tagged = tagged_data_files(project_dir, workspace)
    if not tagged or (unmasked and may_unmask(principal)):
        return
    files = "; ".join(f"{path} ({what})" for path, what in sorted(tagged.items()))
    if unmasked:
        raise ProjectError(
            "--unmasked",
            _("exporting tagged data unmasked needs the unmask permission: {files}").format(
                files=files
            ),
        )
    raise ProjectError(
        "data/",
        _(
            "these data files hold columns tagged as personal data: {files}. Export with "
            "--no-data, or with --unmasked if you may see them unmasked"
        ).format(files=files),
    )
