"""Checks a Tiled JSON (.tmj) map the way Atrium's `MapChecker` does, in Python.

    python3 tools/maps/tmjcheck.py Maps/expo-hall.tmj

Rules mirrored from Sources/AtriumWorld/Map (MapLoader, MapChecker, Zone):
- a tile belongs to a zone when the tile's centre lies inside the zone's rectangle;
- a tile is blocked when any tile layer puts a gid on it whose tileset tile has the bool
  property `collides`, or any tile on a layer named `collisions`; outside the map is blocked;
- avatars move in 4-neighbour steps between walkable tiles;
- a step onto a `portal` from outside it lands on the walkable tile of the portal its `to`
  names nearest that portal's centre (WorldMap.portalLanding), so what can be reached
  follows portals.
"""

import base64
import json
import math
import os
import re
import struct
import sys

ZONE_KINDS = ("spawn", "area", "stage", "quiz-o", "quiz-x", "exhibit", "portal", "signpost")
EXHIBIT_KINDS = ("photo", "comic", "webtoon", "video", "cardnews", "board")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Rect:
    __slots__ = ("x", "y", "w", "h")

    def __init__(self, x, y, w, h):
        self.x, self.y, self.w, self.h = x, y, w, h

    def tiles(self):
        for yy in range(self.y, self.y + max(self.h, 0)):
            for xx in range(self.x, self.x + max(self.w, 0)):
                yield xx, yy

    def intersects(self, other):
        return (self.x < other.x + other.w and other.x < self.x + self.w
                and self.y < other.y + other.h and other.y < self.y + self.h)

    def empty(self):
        return self.w <= 0 or self.h <= 0

    def __repr__(self):
        return "(%d, %d) %dx%d" % (self.x, self.y, self.w, self.h)


def tile_rect(obj, tw, th):
    """Tiles whose centres lie inside the object's rectangle (MapLoader.tileRect)."""
    x, y = float(obj["x"]), float(obj["y"])
    w, h = float(obj.get("width", 0)), float(obj.get("height", 0))
    first_col = math.ceil(x / tw - 0.5)
    end_col = math.ceil((x + w) / tw - 0.5)
    first_row = math.ceil(y / th - 0.5)
    end_row = math.ceil((y + h) / th - 0.5)
    return Rect(first_col, first_row, max(0, end_col - first_col), max(0, end_row - first_row))


def props(obj):
    return {p["name"]: p.get("value") for p in obj.get("properties", []) or []}


def is_url(src):
    return src.startswith("https://") or src.startswith("http://")


def safe_path(src):
    if not src or src.startswith("/") or "\\" in src or "\0" in src:
        return False
    return not any(part in ("", "..") for part in src.split("/"))


class LoadedMap:
    def __init__(self, doc, tileset_reader=None):
        self.doc = doc
        self.width = doc["width"]
        self.height = doc["height"]
        self.tw = doc["tilewidth"]
        self.th = doc["tileheight"]
        self.issues = []
        self.colliding = set()
        for ts in doc.get("tilesets", []):
            tiles = ts.get("tiles", [])
            if "source" in ts:
                if tileset_reader is None:
                    self.issues.append("external tileset %s not read" % ts["source"])
                    continue
                tiles = tileset_reader(ts["source"]).get("tiles", [])
            for tile in tiles:
                if props(tile).get("collides") in (True, "true"):
                    self.colliding.add(ts["firstgid"] + tile["id"])
        self.blocked = [False] * (self.width * self.height)
        self.layers = {}
        self.zone_objects = []
        self._visit(doc.get("layers", []))
        self.zones = []
        for obj in self.zone_objects:
            kind = obj.get("type") or obj.get("class") or ""
            rect = tile_rect(obj, self.tw, self.th)
            if kind not in ZONE_KINDS:
                self.issues.append("zone object %s has class %r; expected one of %s" % (obj["id"], kind, ", ".join(ZONE_KINDS)))
                continue
            if rect.empty():
                self.issues.append("zone object %s covers no tile centre" % obj["id"])
            self.zones.append({"id": obj["id"], "kind": kind, "name": obj.get("name", ""), "rect": rect,
                               "props": props(obj), "obj": obj})

    def _visit(self, layers):
        for layer in layers:
            if layer["type"] == "tilelayer":
                data = layer["data"]
                if layer.get("compression"):
                    self.issues.append("layer %s is compressed" % layer["name"])
                    continue
                if isinstance(data, str):
                    raw = base64.b64decode(data)
                    data = list(struct.unpack("<%dI" % (len(raw) // 4), raw))
                if len(data) != self.width * self.height:
                    self.issues.append("layer %s has %d tiles, expected %d" % (layer["name"], len(data), self.width * self.height))
                    continue
                gids = [g & 0x0FFFFFFF for g in data]
                self.layers[layer["name"]] = gids
                collision_layer = layer["name"] == "collisions"
                for i, gid in enumerate(gids):
                    if gid and (collision_layer or gid in self.colliding):
                        self.blocked[i] = True
            elif layer["type"] == "objectgroup":
                if layer["name"] == "zones":
                    self.zone_objects.extend(layer.get("objects", []))
                else:
                    self.issues.append('unknown object layer "%s"' % layer["name"])
            elif layer["type"] == "group":
                self._visit(layer.get("layers", []))

    def is_blocked(self, x, y):
        if x < 0 or y < 0 or x >= self.width or y >= self.height:
            return True
        return self.blocked[y * self.width + x]

    def of_kind(self, kind):
        return [z for z in self.zones if z["kind"] == kind]

    def portals(self):
        """Portals with an id, in map order (the first of a duplicated id wins as a destination)."""
        return [z for z in self.of_kind("portal") if z["props"].get("id")]

    def portal_landing(self, zone):
        """The walkable tile of a portal nearest its centre, the upper left of the middle first."""
        r = zone["rect"]
        cx, cy = 2 * r.x + r.w - 1, 2 * r.y + r.h - 1
        tiles = [(x, y) for x, y in r.tiles() if not self.is_blocked(x, y)]
        if not tiles:
            return None
        return min(tiles, key=lambda t: (abs(2 * t[0] - cx) + abs(2 * t[1] - cy), t[1], t[0]))

    def reachable(self):
        seen = [False] * (self.width * self.height)
        stack = []
        by_id = {}
        for zone in self.portals():
            by_id.setdefault(zone["props"]["id"], zone)
        jumps = {}
        for zone in self.portals():
            target = by_id.get(zone["props"].get("to"))
            landing = self.portal_landing(target) if target else None
            if landing:
                for x, y in zone["rect"].tiles():
                    jumps.setdefault((x, y), landing)

        def reach(x, y):
            if 0 <= x < self.width and 0 <= y < self.height and not seen[y * self.width + x]:
                seen[y * self.width + x] = True
                stack.append((x, y))

        for zone in self.of_kind("spawn"):
            for x, y in zone["rect"].tiles():
                if not self.is_blocked(x, y):
                    reach(x, y)
        while stack:
            x, y = stack.pop()
            for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if not self.is_blocked(nx, ny):
                    reach(nx, ny)
            if (x, y) in jumps:
                reach(*jumps[(x, y)])
        return seen


def label(zone):
    title = '"%s" (object %d)' % (zone["name"], zone["id"]) if zone["name"] else "object %d" % zone["id"]
    return "%s %s at tile (%d, %d)" % (zone["kind"], title, zone["rect"].x, zone["rect"].y)


def check(path, strict=True):
    """Returns (map, issues). `strict` adds the stricter rules this project holds its own maps to."""
    with open(path, "rb") as handle:
        raw = handle.read()
    issues = []
    if len(raw) > 16 << 20:
        issues.append("file is larger than 16 MiB")
    doc = json.loads(raw)
    if doc.get("orientation", "orthogonal") != "orthogonal":
        issues.append("orientation must be orthogonal")
    if doc.get("infinite"):
        issues.append("infinite maps are not supported")
    if not (1 <= doc["width"] <= 1023 and 1 <= doc["height"] <= 1023):
        issues.append("map must be 1...1023 tiles on each side")
    base = os.path.dirname(os.path.abspath(path))

    def read_tileset(source):
        with open(os.path.join(base, source), "rb") as handle:
            return json.load(handle)

    m = LoadedMap(doc, read_tileset)
    issues.extend(m.issues)
    content_dir = os.path.join(base, os.path.splitext(os.path.basename(path))[0])

    spawns = m.of_kind("spawn")
    if not spawns:
        issues.append("the map has no spawn zone")
    for zone in spawns:
        walls = [(x, y) for x, y in zone["rect"].tiles() if m.is_blocked(x, y)]
        if walls:
            issues.append("%s has %d tile(s) inside walls or outside the map, first at %s" % (label(zone), len(walls), walls[0]))

    reach = m.reachable()

    def any_reachable(rect, margin=0):
        for y in range(rect.y - margin, rect.y + rect.h + margin):
            for x in range(rect.x - margin, rect.x + rect.w + margin):
                if 0 <= x < m.width and 0 <= y < m.height and reach[y * m.width + x]:
                    return True
        return False

    if spawns:
        for zone in m.zones:
            if zone["kind"] in ("quiz-o", "quiz-x", "stage", "area") and not zone["rect"].empty():
                if not any_reachable(zone["rect"]):
                    issues.append("%s cannot be reached from any spawn zone" % label(zone))

    exhibits = []
    for zone in m.of_kind("exhibit"):
        p = zone["props"]
        ex_id = p.get("id")
        if not ex_id:
            issues.append('%s has no "id" property' % label(zone))
            continue
        if p.get("kind") not in EXHIBIT_KINDS:
            issues.append('%s needs a "kind" property: one of %s' % (label(zone), ", ".join(EXHIBIT_KINDS)))
            continue
        if not p.get("title"):
            issues.append('%s has no "title" property' % label(zone))
        radius = p.get("radius", 3)
        if not isinstance(radius, int) or not (0 <= radius <= 32):
            issues.append("%s has radius %r; expected 0...32 tiles" % (label(zone), radius))
            radius = 3
        sources = [s.strip() for s in str(p.get("src", "")).split(",") if s.strip()]
        exhibits.append({"zone": zone, "id": ex_id, "kind": p["kind"], "radius": radius, "sources": sources, "props": p})
        if spawns and not any_reachable(zone["rect"], radius):
            issues.append('%s: exhibit "%s" cannot be reached within its radius of %d tiles' % (label(zone), ex_id, radius))

    issues.extend(_portal_issues(m, any_reachable if spawns else None))
    for zone in m.of_kind("signpost"):
        if not zone["name"].strip():
            issues.append("%s has no name: a signpost shows its name on the map" % label(zone))

    for o in m.of_kind("quiz-o"):
        for x in m.of_kind("quiz-x"):
            if o["rect"].intersects(x["rect"]):
                issues.append("%s overlaps %s" % (label(o), label(x)))
    if bool(m.of_kind("quiz-o")) != bool(m.of_kind("quiz-x")):
        issues.append("an OX quiz needs both a quiz-o and a quiz-x zone")
    areas = m.of_kind("area")
    for i, a in enumerate(areas):
        for b in areas[i + 1:]:
            if a["rect"].intersects(b["rect"]):
                issues.append("%s overlaps %s" % (label(a), label(b)))

    seen = {}
    for ex in exhibits:
        if ex["id"] in seen:
            issues.append('exhibit id "%s" is used by objects %d and %d' % (ex["id"], seen[ex["id"]], ex["zone"]["id"]))
        seen[ex["id"]] = ex["zone"]["id"]
        if not ex["sources"] and ex["kind"] != "board":
            issues.append('exhibit "%s" has no "src"' % ex["id"])
        for src in ex["sources"]:
            if is_url(src):
                continue
            if not safe_path(src):
                issues.append('exhibit "%s": content path "%s" must stay inside the map\'s folder' % (ex["id"], src))
            elif not os.path.isfile(os.path.join(content_dir, src)):
                issues.append('exhibit "%s": content file "%s" is missing' % (ex["id"], src))

    if strict:
        issues.extend(_strict(m, exhibits, reach))
    return m, exhibits, issues


def _portal_issues(m, any_reachable):
    issues = []
    seen = {}
    for zone in m.of_kind("portal"):
        pid = zone["props"].get("id")
        if not pid:
            issues.append('%s has no "id" property' % label(zone))
            continue
        if pid in seen:
            issues.append('%s: portal id "%s" is also used by object %d' % (label(zone), pid, seen[pid]))
        seen.setdefault(pid, zone["id"])
    for zone in m.portals():
        pid, to = zone["props"]["id"], zone["props"].get("to")
        if m.portal_landing(zone) is None:
            issues.append('%s: portal "%s" has no walkable tile' % (label(zone), pid))
        if to is None:
            continue
        if to == pid:
            issues.append('%s: portal "%s" leads to itself' % (label(zone), pid))
        elif to not in seen:
            issues.append('%s: portal "%s" leads to "%s", which is no portal\'s id' % (label(zone), pid, to))
        if any_reachable and not any_reachable(zone["rect"]):
            issues.append('%s: portal "%s" cannot be reached from any spawn zone' % (label(zone), pid))
    return issues


def _strict(m, exhibits, reach):
    """Rules beyond the server's checker that this project's maps also keep."""
    issues = []
    for zone in m.zones:
        obj = zone["obj"]
        for key, size in (("x", m.tw), ("y", m.th), ("width", m.tw), ("height", m.th)):
            if float(obj.get(key, 0)) % size != 0:
                issues.append("%s: %s is not a whole number of tiles" % (label(zone), key))
        if obj.get("ellipse") or obj.get("point") or obj.get("polygon") or obj.get("polyline"):
            issues.append("%s is not a rectangle" % label(zone))
    for kind in ("quiz-o", "quiz-x"):
        for zone in m.of_kind(kind):
            walls = [(x, y) for x, y in zone["rect"].tiles() if m.is_blocked(x, y)]
            if walls:
                issues.append("%s has %d blocked tile(s), first at %s" % (label(zone), len(walls), walls[0]))
    for zone in m.portals():
        if not KEBAB.match(zone["props"]["id"]):
            issues.append('portal id "%s" is not kebab-case' % zone["props"]["id"])
        walls = [(x, y) for x, y in zone["rect"].tiles() if m.is_blocked(x, y)]
        if walls:
            issues.append("%s has %d blocked tile(s), first at %s" % (label(zone), len(walls), walls[0]))
        if not zone["name"].strip():
            issues.append("%s has no name to show visitors" % label(zone))
    for ex in exhibits:
        if not KEBAB.match(ex["id"]):
            issues.append('exhibit id "%s" is not kebab-case' % ex["id"])
        if not (2 <= ex["radius"] <= 4):
            issues.append('exhibit "%s" has radius %d; this project uses 2...4' % (ex["id"], ex["radius"]))
        if ex["kind"] == "board" and ex["sources"]:
            issues.append('board "%s" should have no src' % ex["id"])
    # No sealed rooms: every walkable tile is reachable from a spawn.
    sealed = [(i % m.width, i // m.width) for i in range(m.width * m.height)
              if not m.blocked[i] and not reach[i]]
    if sealed:
        issues.append("%d walkable tile(s) cannot be reached from a spawn, first at %s" % (len(sealed), sealed[0]))
    return issues


def main(argv):
    if len(argv) < 2:
        print("usage: tmjcheck.py MAP.tmj [...]", file=sys.stderr)
        return 2
    failed = False
    for path in argv[1:]:
        _, exhibits, issues = check(path)
        for issue in issues:
            print("%s: %s" % (path, issue))
        if issues:
            failed = True
        else:
            print("%s: ok (%d exhibits)" % (path, len(exhibits)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
