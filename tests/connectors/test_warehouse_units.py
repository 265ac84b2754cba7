"""The warehouses' connection URLs (Snowflake, Redshift, BigQuery)."""

from __future__ import annotations

from app.connectors.snowflake import SnowflakeConnector
from app.services.urls import parse_url


def test_urls_name_the_warehouses() -> None:
    snow = parse_url(
        "snowflake://ana@xy12345.eu-west-1/ANALYTICS/RAW?warehouse=WH&role=LOADER", "s"
    )
    assert (snow.type, snow.params) == (
        "snowflake",
        {
            "account": "xy12345.eu-west-1",
            "database": "ANALYTICS",
            "user": "ana",
            "schema_name": "RAW",
            "warehouse": "WH",
            "role": "LOADER",
        },
    )
    SnowflakeConnector.Config.model_validate({**snow.params})
    red = parse_url("redshift://ana@cluster.example.com/dev", "r")
    assert (red.type, red.params["port"], red.params["database"]) == ("redshift", 5439, "dev")
