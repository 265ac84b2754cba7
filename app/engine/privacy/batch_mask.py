"""Masking Arrow batches on their way to a destination (a sync's ``masks`` option).

Each batch goes through a small DuckDB session of its own — the same SQL trees as the
``mask`` component (:mod:`.methods`) and the same Python functions for ``tokenize`` and
``vault`` (:func:`.keys.install_functions`) — so a value is masked exactly as a pipeline masks
it: ``hash`` gives the same HMAC, ``tokenize`` the same FF3-1 token, ``vault`` the same vault
token. The session reads nothing but the batch (no file, no network: locked as the local
engine is). Masked columns keep their type, so the destination's table is planned from the
source's: a rule whose method would change it (``hash`` of a number) is refused.

>>> import pyarrow as pa
>>> from app.model.masking import MaskRule
>>> masker = BatchMasker({"email": MaskRule(column="email", method="partial", keep=3)})
>>> batch = pa.record_batch({"id": [1], "email": ["ana@example.com"]})
>>> masker(batch).column("email").to_pylist()
['************com']
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

import duckdb
import pyarrow as pa
from sqlglot import exp

from app.engine.privacy.keys import IPAD_VARIABLE, OPAD_VARIABLE, VaultFn, install_functions, pads
from app.engine.privacy.methods import MaskError, mask_expression, mask_type
from app.i18n import _
from app.model.masking import MaskRule

__all__ = ["BatchMasker", "MaskError"]

_VIEW = "__cauce_batch"


class BatchMasker:
    """Masks the named columns of each batch (``rules``: batch column -> rule); callable as a
    sync destination's row filter. ``key``: the project's masking key (``hash``,
    ``tokenize``); ``vault``: the project's vault (``vault``)."""

    def __init__(
        self,
        rules: Mapping[str, MaskRule],
        *,
        key: bytes | None = None,
        vault: VaultFn | None = None,
    ) -> None:
        self.rules = {name.lower(): rule for name, rule in rules.items()}
        self._con = duckdb.connect(
            config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        )
        if key:
            ipad, opad = pads(key)
            self._con.execute(f"SET VARIABLE {IPAD_VARIABLE} = ?", [ipad])
            self._con.execute(f"SET VARIABLE {OPAD_VARIABLE} = ?", [opad])
        install_functions(self._con, key, vault)
        self._con.execute("SET enable_external_access = false")
        self._con.execute("SET lock_configuration = true")
        self._lock = threading.Lock()
        self._sql: dict[pa.Schema, str] = {}

    def _query(self, schema: pa.Schema) -> str:
        found = self._sql.get(schema)
        if found is not None:
            return found
        projections: list[exp.Expression] = []
        for f in schema:
            rule = self.rules.get(f.name.lower())
            column = exp.column(f.name, quoted=True)
            if rule is None:
                projections.append(column)
                continue
            try:
                if mask_type(f.type, rule.method) != f.type:
                    raise MaskError(_("it would change the column's type (cast it first)"))
                tree = mask_expression(column, f.type, rule.method, rule.model_dump())
            except MaskError as err:
                raise MaskError(
                    _("cannot mask column {column!r} with {method}: {reason}").format(
                        column=f.name, method=rule.method, reason=err
                    )
                ) from None
            projections.append(exp.Alias(this=tree, alias=exp.to_identifier(f.name, quoted=True)))
        sql = exp.select(*projections).from_(exp.to_identifier(_VIEW, quoted=True)).sql("duckdb")
        self._sql[schema] = sql
        return sql

    def __call__(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        if batch.num_rows == 0 or not any(n.lower() in self.rules for n in batch.schema.names):
            return batch
        sql = self._query(batch.schema)
        with self._lock:
            self._con.register(_VIEW, batch)
            try:
                table = self._con.sql(sql).to_arrow_table()
            finally:
                self._con.unregister(_VIEW)
        table = table.cast(batch.schema)
        return table.combine_chunks().to_batches()[0] if table.num_rows else batch.slice(0, 0)

    def close(self) -> None:
        self._con.close()
