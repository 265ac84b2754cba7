"""Small Arrow tables shared by the component tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow as pa

CUSTOMERS = pa.table(
    {
        "Id": pa.array([1, 2, 3, 4], pa.int64()),
        "Name": pa.array(["Ana", "Bo", "Cy", None], pa.string()),
        "Country": pa.array(["ES", "US", "ES", "FR"], pa.string()),
    }
)

ORDERS = pa.table(
    {
        "OrderId": pa.array([10, 11, 12, 13, 14, 15], pa.int32()),
        "CustomerId": pa.array([1, 1, 2, 5, None, 3], pa.int64()),
        "Amount": pa.array(
            [
                Decimal("9.99"),
                Decimal("20.00"),
                Decimal("5.50"),
                Decimal("1.00"),
                Decimal("7.25"),
                None,
            ],
            pa.decimal128(10, 2),
        ),
        "Qty": pa.array([1, 3, 2, 1, 4, 2], pa.int32()),
        "Price": pa.array([1.5, 2.0, None, 4.0, 0.5, 3.0], pa.float64()),
        "Day": pa.array([dt.date(2024, 1, d) for d in (3, 1, 2, 5, 4, 6)], pa.date32()),
        "Status": pa.array(["new", "paid", "paid", None, "new", "paid"], pa.string()),
    }
)

TABLES = {"customers": CUSTOMERS, "orders": ORDERS}
