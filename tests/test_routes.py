"""Rows routed between jobs: every row reaches its destination once, in the senders' order."""
import numpy as np
import pyarrow as pa

from pipeline.routes import gather, route

SCHEMA = pa.schema([("x", pa.int64())])


def test_rows_reach_their_destinations_in_sender_order(tmp_path):
    for sender in (2, 0, 10):  # sent out of order: gathered by sender number
        values = np.arange(12) + 100 * sender
        route(tmp_path, pa.table({"x": values}, schema=SCHEMA), values % 3, sender)
    for destination in range(3):
        got = gather(tmp_path, destination, SCHEMA)["x"].to_pylist()
        assert got == [v for s in (0, 2, 10) for v in np.arange(12) + 100 * s if v % 3 == destination]


def test_sending_again_replaces_and_nothing_routed_is_an_empty_table(tmp_path):
    table = pa.table({"x": [1, 2]}, schema=SCHEMA)
    route(tmp_path, table, np.array([0, 0]), 1)
    route(tmp_path, table, np.array([0, 0]), 1)  # a retried job
    assert gather(tmp_path, 0, SCHEMA)["x"].to_pylist() == [1, 2]
    route(tmp_path, table.slice(0, 0), np.array([], dtype=np.int64), 2)
    assert gather(tmp_path, 5, SCHEMA).num_rows == 0 and gather(tmp_path, 5, SCHEMA).schema == SCHEMA
