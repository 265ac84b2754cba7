"""An in-memory Arrow connector for engine tests: real batches, optionally slow or failing.

It implements the connector interface like any plugin (registered in the connector registry
by the ``memory_connector`` fixture), so the engine's streamed-source path runs unchanged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import ClassVar

import pyarrow as pa

from app.connectors.base import Capabilities, Connector, ConnectorConfig, TableInfo

TABLES: dict[str, pa.Table] = {}


class MemoryConfig(ConnectorConfig):
    delay: float = 0.0  # seconds to wait before each batch
    fail_after: int | None = None  # raise after this many batches


class MemoryConnector(Connector):
    type_name = "memory"
    label = "In-memory tables (tests)"
    Config = MemoryConfig
    capabilities: ClassVar[Capabilities] = Capabilities(dialect="duckdb", destination=False)
    batches_served = 0
    first_batch = threading.Event()

    def test(self) -> None:
        return None

    def list_tables(self) -> list[TableInfo]:
        return [TableInfo(None, name) for name in TABLES]

    def table_schema(self, table: str) -> pa.Schema:
        return TABLES[table].schema

    def read(
        self, *, table: str | None = None, query: str | None = None, batch_rows: int = 65_536
    ) -> pa.RecordBatchReader:
        assert table is not None
        data = TABLES[table]
        config = self.config
        assert isinstance(config, MemoryConfig)

        def batches() -> Iterator[pa.RecordBatch]:
            for i, batch in enumerate(data.to_batches(max_chunksize=max(1, batch_rows // 8))):
                if config.fail_after is not None and i >= config.fail_after:
                    raise ConnectionResetError("the source went away mid-read")
                if config.delay:
                    time.sleep(config.delay)
                MemoryConnector.batches_served += 1
                MemoryConnector.first_batch.set()
                yield batch

        return pa.RecordBatchReader.from_batches(data.schema, batches())
