"""The server against a WebSocket client nobody here wrote: the PyPI `websockets` package."""
import json
import struct

import pytest
from websockets.sync.client import connect


@pytest.mark.parametrize("compression", [None, "deflate"])
def test_echo_text_and_binary(server, compression):
    with connect(server.url("/echo"), compression=compression) as ws:
        negotiated = ws.response.headers.get("Sec-WebSocket-Extensions")
        if compression:
            assert negotiated.startswith("permessage-deflate")
        else:
            assert negotiated is None
        ws.send("hello from python")
        assert ws.recv(timeout=5) == "hello from python"
        blob = bytes(range(256)) * 64
        ws.send(blob)
        assert ws.recv(timeout=5) == blob
        big = "응원합니다! " * 40000
        ws.send(big)
        assert ws.recv(timeout=10) == big


def test_fragmented_message_is_reassembled(server):
    with connect(server.url("/echo")) as ws:
        ws.send(iter(["frag", "mented ", "text"]))
        assert ws.recv(timeout=5) == "fragmented text"


def test_ping_is_answered(server):
    with connect(server.url("/echo")) as ws:
        ws.ping(b"abc").wait(timeout=5)


def test_close_code_is_echoed(server):
    ws = connect(server.url("/echo"))
    ws.close(code=4000, reason="bye")
    assert ws.close_code == 4000


def test_joins_a_room_moves_and_chats(server):
    with connect(server.url("/ws?room=plaza"), subprotocols=["atrium.v1"], compression="deflate") as ws:
        assert ws.subprotocol == "atrium.v1"
        ws.send(json.dumps({"type": "hello", "name": "Python"}))
        welcome = json.loads(ws.recv(timeout=5))
        assert welcome["type"] == "welcome"
        assert welcome["room"]["id"] == "plaza"
        me = welcome["you"]["id"]

        # A binary move input: kind 1, sequence 1, direction (1, 0).
        ws.send(struct.pack("<BIBbb", 1, 1, 1, 1, 0))
        acknowledged = False
        for _ in range(50):
            message = ws.recv(timeout=5)
            if isinstance(message, bytes) and message[0] == 1:
                _, flags, tick, ack = struct.unpack_from("<BBII", message)
                if ack == 1:
                    acknowledged = True
                    break
        assert acknowledged

        ws.send(json.dumps({"type": "chat", "scope": "nearby", "text": "hello", "ref": "p1"}))
        while True:
            message = ws.recv(timeout=5)
            if isinstance(message, str):
                chat = json.loads(message)
                if chat["type"] == "chat":
                    break
        assert chat["ref"] == "p1" and chat["from"]["id"] == me and chat["text"] == "hello"


def test_bad_json_is_answered_and_the_session_goes_on(server):
    with connect(server.url("/ws?room=plaza")) as ws:
        ws.send("{not json")
        error = json.loads(ws.recv(timeout=5))
        assert error == {"type": "error", "code": "bad_message",
                         "message": "malformed message: expected a JSON object with a \"type\" string"}
        ws.send(json.dumps({"type": "hello", "name": "Still here"}))
        assert json.loads(ws.recv(timeout=5))["type"] == "welcome"


def test_unknown_room_is_refused_before_the_upgrade(server):
    from websockets.exceptions import InvalidStatus
    with pytest.raises(InvalidStatus) as refused:
        connect(server.url("/ws?room=nowhere"))
    assert refused.value.response.status_code == 404
    assert json.loads(refused.value.response.body)["code"] == "not_found"
