"""The Python side of tools/compare: a websockets (asyncio) echo server.

    python_echo.py [--host 127.0.0.1] [--port 18091]

`GET /echo` upgrades to a WebSocket that sends every message back; pings are answered by
the library's protocol layer, which replies to each ping with a pong. One thread: the
standard asyncio event loop (no uvloop). No compression, no keep-alive pings, backlog
1024, the same as the other servers in the comparison. Any other path gets 404.
"""

import argparse
import asyncio
import http
import logging
import signal

import websockets
from websockets.asyncio.server import serve


async def echo(connection):
    async for message in connection:
        await connection.send(message)


def only_echo(connection, request):
    if request.path != "/echo":
        return connection.respond(http.HTTPStatus.NOT_FOUND, "not found\n")
    return None


async def main(host, port):
    logging.basicConfig(level=logging.ERROR)
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with serve(
        echo,
        host,
        port,
        process_request=only_echo,
        compression=None,
        ping_interval=None,
        ping_timeout=None,
        max_size=1 << 20,
        backlog=1024,
    ):
        print(f"Listening on {host}:{port} (websockets {websockets.__version__})", flush=True)
        await stop


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18091)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.host, arguments.port))
