"""Regenerates resources/examples/chinook/pipelines/revenue.json (canonical JSON).

Run: uv run python resources/examples/build_chinook.py
"""

from __future__ import annotations

import uuid
from pathlib import Path

from app.model.pipeline import Pipeline

HERE = Path(__file__).parent / "chinook" / "pipelines"
NS = uuid.UUID("8d3c8c53-2a53-4a5f-9e1c-6a51b8f1d0c2")  # stable ids: the file never churns


def node(p: Pipeline, type_: str, name: str, x: float, y: float, **params: object) -> str:
    return p.add_node(type_, name=name, params=params, position=(x, y),
                      node_id=str(uuid.uuid5(NS, name))).id


def build() -> Pipeline:
    p = Pipeline(name="revenue", id=str(uuid.uuid5(NS, "revenue")),
                 description="Revenue by billing country, genre and year.")
    lines = node(p, "source", "invoice_lines", 0, 0, connection="chinook", table="InvoiceLine")
    invoices = node(p, "source", "invoices", 0, 150, connection="chinook", table="Invoice")
    tracks = node(p, "source", "tracks", 0, 300, connection="chinook", table="Track")
    genres = node(p, "source", "genres", 0, 450, connection="chinook", table="Genre")
    with_invoice = node(p, "join", "lines_with_invoice", 250, 75, kind="inner",
                        keys=[{"left": "InvoiceId", "right": "InvoiceId"}])
    with_track = node(p, "join", "with_track", 500, 150, kind="inner",
                      keys=[{"left": "TrackId", "right": "TrackId"}], right_suffix="_track")
    genre = node(p, "lookup", "genre_name", 750, 300,
                 keys=[{"input": "GenreId", "lookup": "GenreId"}],
                 columns=[{"column": "Name", "rename": "Genre", "default": "'Unknown'"}],
                 no_match="default")
    derived = node(p, "derive", "amounts", 1000, 300, columns=[
        {"name": "Amount", "expression": "UnitPrice * Quantity"},
        {"name": "Year", "expression": "year(InvoiceDate)"},
        {"name": "Country", "expression": "coalesce(BillingCountry, 'Unknown')"},
    ])
    paid = node(p, "filter", "paid_lines", 1250, 300, condition="Amount > 0")
    agg = node(p, "aggregate", "by_country_genre_year", 1500, 300,
               group_by=["Country", "Genre", "Year"],
               measures=[{"function": "sum", "column": "Amount", "name": "Revenue"},
                         {"function": "sum", "column": "Quantity", "name": "Units"},
                         {"function": "count_distinct", "column": "InvoiceId",
                          "name": "Invoices"}])
    ordered = node(p, "sort", "ordered", 1750, 300, keys=[
        {"column": "Country"}, {"column": "Genre"}, {"column": "Year"}])
    dest = node(p, "destination", "mart", 2000, 300, connection="warehouse",
                table="revenue_by_country_genre_year", mode="replace")
    for src, dst, port in [(lines, with_invoice, "left"), (invoices, with_invoice, "right"),
                           (with_invoice, with_track, "left"), (tracks, with_track, "right"),
                           (with_track, genre, "in"), (genres, genre, "lookup"),
                           (genre, derived, "in"), (derived, paid, "in"), (paid, agg, "in"),
                           (agg, ordered, "in"), (ordered, dest, "in")]:
        p.connect(src, "out", dst, port)
    return p


if __name__ == "__main__":
    HERE.mkdir(parents=True, exist_ok=True)
    (HERE / "revenue.json").write_text(build().to_json(), encoding="utf-8")
    print(f"wrote {HERE / 'revenue.json'}")
