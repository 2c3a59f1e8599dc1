"""Several atrium-server processes as one cluster on loopback: a shared PostgreSQL (from
tools/lib/postgres-server), one data folder and port per node, one cluster secret, and
nginx in front with the configuration `atrium-server cluster nginx-config` prints, on a
free port in a temporary folder, stopped by its pid. Used by test_cluster.py and by
tools/cluster-failover."""
import json
import os
import signal
import socket
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from conftest import ROOT, SERVER, start_server

BOARD = "plaza-wall"    # Maps/tests/plaza.tmj: a board at tile (46, 16), radius 3
PHOTO = "plaza-photo"   # and a photo at (46, 10)
POSTGRES = os.path.join(ROOT, "tools", "lib", "postgres-server")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Postgres:
    def __init__(self):
        started = subprocess.run([POSTGRES, "start", "--watch", str(os.getpid())], capture_output=True, text=True, check=True)
        self.url, self.pid, self.folder = started.stdout.split()

    def stop(self):
        subprocess.run([POSTGRES, "stop", self.pid, self.folder], check=True)


class Cluster:
    def __init__(self, postgres_url, names=("a", "b"), lease=3, extra=()):
        self.folder = tempfile.mkdtemp(prefix="atrium-cluster-")
        self.secret = os.path.join(self.folder, "cluster.secret")
        with open(self.secret, "wb") as file:
            file.write(os.urandom(32))
        self.postgres_url, self.lease, self.extra = postgres_url, lease, extra
        self.nodes = {}
        self.ports = {}
        for name in names:
            self.start(name)
        self.nginx_port = free_port()
        nginx_dir = os.path.join(self.folder, "nginx")
        os.makedirs(nginx_dir)
        config = subprocess.run(
            [SERVER, "cluster", "nginx-config", "--listen", f"127.0.0.1:{self.nginx_port}", "--standalone", nginx_dir,
             *[arg for name in names for arg in ("--node", f"{name}=127.0.0.1:{self.ports[name]}")]],
            capture_output=True, text=True, check=True).stdout
        path = os.path.join(nginx_dir, "nginx.conf")
        with open(path, "w") as file:
            file.write(config)
        self.nginx = subprocess.Popen(["nginx", "-p", nginx_dir, "-c", path], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("nginx did not start: " + (self.nginx.stderr.read() if self.nginx.poll() is not None else ""))
            time.sleep(0.05)

    def start(self, name):
        """Starts (or restarts) node `name` on its port (a new one the first time)."""
        data = os.path.join(self.folder, f"data-{name}")
        os.makedirs(data, exist_ok=True)
        port = self.ports.get(name, 0)
        args = ["--store", self.postgres_url, "--set", f"cluster.node={name}", "--set", f"cluster.secret_file={self.secret}",
                "--set", f"cluster.lease={self.lease}", "--note-rate", "1000/s:1000", *self.extra]
        if port:
            args += ["--port", str(port)]
        server = start_server(*args, data=data)
        self.nodes[name] = server
        self.ports[name] = server.port
        return server

    def kill(self, name):
        process = self.nodes[name].process
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def terminate(self, name, timeout=30):
        process = self.nodes[name].process
        process.terminate()
        return process.wait(timeout=timeout)

    def stop(self):
        for server in self.nodes.values():
            if server.process.poll() is None:
                server.process.terminate()
                try:
                    server.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.process.kill()
        if self.nginx.poll() is None:
            self.nginx.terminate()
            self.nginx.wait(timeout=10)

    def get(self, path, port=None):
        """A GET through nginx (or to `port`): status and parsed JSON body (or None)."""
        url = f"http://127.0.0.1:{port or self.nginx_port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                return error.code, json.loads(body)
            except ValueError:
                return error.code, None

    def seat(self, room="plaza"):
        status, answer = self.get(f"/api/seat?room={room}")
        return answer if status == 200 else None

    def owner(self, room="plaza"):
        """The node the directory names, by asking for a seat."""
        answer = self.seat(room)
        return answer and answer["node"]


def receive_json(ws, predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no matching message")
        message = ws.recv(timeout=remaining)
        if isinstance(message, str):
            decoded = json.loads(message)
            if predicate(decoded):
                return decoded


class Visitor:
    """A client that does what AtriumClient and the web client do: ask /api/seat through
    nginx, open the path it names, and after a drop ask again and resume with its ticket."""

    def __init__(self, cluster, name, room="plaza"):
        self.cluster, self.name, self.room = cluster, name, room
        self.ws = None
        self.resume = None
        self.welcome = None

    def join(self, within=30):
        """Joins or rejoins; returns the welcome. Retries (seat, socket) until `within` s."""
        deadline = time.monotonic() + within
        last = None
        while time.monotonic() < deadline:
            seat = self.cluster.seat(self.room)
            if seat:
                try:
                    ws = connect(f"ws://127.0.0.1:{self.cluster.nginx_port}{seat['path']}", open_timeout=5)
                    hello = {"type": "hello", "name": self.name}
                    if self.resume:
                        hello["resume"] = self.resume
                    ws.send(json.dumps(hello))
                    answer = receive_json(ws, lambda m: m["type"] in ("welcome", "error"))
                    if answer["type"] == "welcome":
                        self.ws, self.welcome, self.resume = ws, answer, answer["resume"]
                        self.node = seat["node"]
                        return answer
                    last = answer
                    ws.close()
                except Exception as error:  # refused upgrade, reset: the room is between nodes
                    last = error
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} could not rejoin: {last}")

    def request(self, message, timeout=10):
        self.ws.send(json.dumps(message))
        return receive_json(self.ws, lambda m: m.get("ref") == message["ref"], timeout)

    def walk_to(self, tile_x, tile_y, exhibit):
        self.ws.send(struct.pack("<BIBHH", 1, int(time.monotonic() * 1000) & 0xFFFFFFFF, 2, tile_x * 64 + 32, tile_y * 64 + 32))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            answer = self.request({"type": "exhibit_open", "id": exhibit, "ref": "open"})
            if answer["type"] == "exhibit":
                return answer
            time.sleep(0.3)
        raise TimeoutError("never reached " + exhibit)

    def wait_dropped(self, timeout=15):
        """Reads until the socket ends; returns the close code."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.ws.recv(timeout=deadline - time.monotonic())
            except TimeoutError:
                break
            except ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else 1006
        raise TimeoutError("the connection did not drop")
