"""Two atrium-server processes as one cluster on a throwaway PostgreSQL, behind nginx with
the configuration `atrium-server cluster nginx-config` prints: a visitor joins through
nginx; the owner is killed with -9 and the room comes back on the other node after its
lease, where the visitor rejoins as the same person and finds what was stored; a drained
node hands its room over before it exits; and a seat sent to the wrong node is refused.
The heavy version (three nodes, repeated failovers, the figures) is tools/cluster-failover."""
import json
import time

import pytest

from cluster_processes import BOARD, PHOTO, Cluster, Postgres, Visitor


@pytest.fixture(scope="module")
def postgres():
    server = Postgres()
    yield server.url
    server.stop()


def test_kill_dash_nine_moves_the_room_and_its_visitor_keeps_what_was_stored(postgres):
    cluster = Cluster(postgres, names=("a", "b"), lease=3)
    try:
        mina = Visitor(cluster, "Mina")
        mina.join()
        owner = mina.node
        other = "b" if owner == "a" else "a"
        mina.walk_to(44, 10, PHOTO)
        assert mina.request({"type": "react", "id": PHOTO, "reaction": "cheer", "ref": "r1"})["state"]["reactions"]["cheer"] == 1
        mina.walk_to(44, 16, BOARD)
        noted = mina.request({"type": "note_post", "id": BOARD, "text": "still here after the crash", "ref": "n1"})
        assert noted["type"] == "note"

        killed = time.monotonic()
        cluster.kill(owner)
        mina.wait_dropped()
        mina.join(within=cluster.lease + 15)
        assert mina.node == other and mina.welcome["you"]["name"] == "Mina"
        # Within the lease plus a few seconds, on the node that now holds the room.
        assert time.monotonic() - killed < cluster.lease + 10
        assert cluster.owner() == other

        # The ticket brought the same person back: the cheer is still theirs, the note is there.
        photo = mina.walk_to(44, 10, PHOTO)
        assert photo["mine"] == ["cheer"] and photo["state"]["reactions"]["cheer"] == 1
        board = mina.walk_to(44, 16, BOARD)
        assert "still here after the crash" in [note["text"] for note in board["notes"]]
    finally:
        cluster.stop()


def test_a_drained_node_hands_its_room_over_before_it_exits(postgres):
    cluster = Cluster(postgres, names=("a", "b"), lease=30)
    try:
        mina = Visitor(cluster, "Mina")
        mina.join()
        owner = mina.node
        other = "b" if owner == "a" else "a"
        assert cluster.terminate(owner) == 0
        code = mina.wait_dropped(timeout=5)
        assert code in (4010, 1001), code
        # The lease was released, not left to expire: the other node takes the room at once.
        started = time.monotonic()
        mina.join(within=10)
        assert mina.node == other and time.monotonic() - started < 5
    finally:
        cluster.stop()


def test_a_seat_sent_to_the_wrong_node_is_refused_so_a_room_never_runs_twice(postgres):
    cluster = Cluster(postgres, names=("a", "b"), lease=30)
    try:
        seat = cluster.seat()
        owner = seat["node"]
        other = "b" if owner == "a" else "a"
        wrong = seat["path"].replace(f"/node/{owner}/", f"/node/{other}/")
        status, body = cluster.get(wrong)
        assert status == 409 and body["code"] == "room_moved"
        # Straight to the other node's port, as a misconfigured proxy would.
        status, body = cluster.get(seat["path"].replace(f"/node/{owner}", ""), port=cluster.ports[other])
        assert status == 409 and body["code"] == "room_moved"
        assert cluster.owner() == owner
    finally:
        cluster.stop()
