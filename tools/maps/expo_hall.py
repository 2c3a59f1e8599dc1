#!/usr/bin/env python3
"""Generates the Second Start Expo 2026 hall: Maps/expo-hall.tmj and its content in Maps/expo-hall/.

    python3 tools/maps/expo_hall.py            # everything, then the checks
    python3 tools/maps/expo_hall.py --no-video # keep the existing video (no ffmpeg/rsvg-convert needed)
    python3 tools/maps/expo_hall.py --check    # only check the files already written

Standard library only. The video needs rsvg-convert, ffmpeg and a Korean font
(Debian: librsvg2-bin ffmpeg fonts-nanum); without them an existing video is kept.
The generator checks its own output (tools/maps/tmjcheck.py plus this event's needs) and
exits non-zero when anything is wrong.
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # leave no __pycache__ in the repository

import expo_content  # noqa: E402
import expo_data as D  # noqa: E402
import expo_tiles as T  # noqa: E402
import tmjcheck  # noqa: E402
from pngkit import Canvas  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MAP_PATH = os.path.join(ROOT, "Maps", "expo-hall.tmj")
CONTENT_DIR = os.path.join(ROOT, "Maps", "expo-hall")

W, H = 120, 80
TILE = 32
FIRSTGID = 1


def gid(name):
    return T.tile_id(name) + FIRSTGID


class Layout:
    """The map being built: three tile layers and the zone objects."""

    def __init__(self):
        self.floor = [[gid("floor")] * W for _ in range(H)]
        self.walls = [[0] * W for _ in range(H)]
        self.decor = [[0] * W for _ in range(H)]
        self.zones = []
        self.regions = {}

    # --- tiles
    def fill(self, layer, x, y, w, h, name):
        grid = getattr(self, layer)
        value = gid(name) if name else 0
        for yy in range(y, y + h):
            for xx in range(x, x + w):
                grid[yy][xx] = value

    def floor_rect(self, x, y, w, h, name):
        self.fill("floor", x, y, w, h, name)

    def wall_rect(self, x, y, w, h, name="wall"):
        self.fill("walls", x, y, w, h, name)

    def clear(self, x, y, w, h):
        self.fill("walls", x, y, w, h, None)

    def hwall(self, x0, x1, y, gaps=(), name="wall"):
        """A horizontal wall from x0 to x1 inclusive, with (a, b) inclusive gaps."""
        for x in range(x0, x1 + 1):
            if not any(a <= x <= b for a, b in gaps):
                self.walls[y][x] = gid(name)

    def vwall(self, x, y0, y1, gaps=(), name="wall"):
        for y in range(y0, y1 + 1):
            if not any(a <= y <= b for a, b in gaps):
                self.walls[y][x] = gid(name)

    def deco(self, x, y, w, h, name):
        self.fill("decor", x, y, w, h, name)

    # --- zones
    def zone(self, kind, x, y, w, h, name="", props=None):
        self.zones.append(dict(kind=kind, x=x, y=y, w=w, h=h, name=name, props=props or []))

    def exhibit(self, ex_id, meta, x, y, w, h, radius=2, frame=None):
        props = [("id", "string", ex_id), ("kind", "string", meta["kind"]), ("title", "string", meta["title"]),
                 ("description", "string", meta["description"])]
        if meta["src"]:
            props.append(("src", "string", ",".join(meta["src"])))
        props.append(("radius", "int", radius))
        self.zone("exhibit", x, y, w, h, meta["title"], props)
        if frame:
            self.wall_rect(x, y, w, h, frame)

    def portal(self, portal_id, to, x, y, name):
        """A 2x2 portal pad named after where it leads, marked on the floor."""
        self.zone("portal", x, y, 2, 2, name, [("id", "string", portal_id), ("to", "string", to)])
        self.deco(x, y, 2, 2, "portal_pad")

    def region(self, name, x0, y0, x1, y1):
        self.regions[name] = (x0, y0, x1, y1)


def build(exhibits):
    L = Layout()
    used = set()

    def ex(ex_id, *args, **kwargs):
        if ex_id not in exhibits:
            raise SystemExit("no content for exhibit %s" % ex_id)
        used.add(ex_id)
        L.exhibit(ex_id, exhibits[ex_id], *args, **kwargs)

    # ------------------------------------------------------------ shell, aisles
    L.hwall(0, W - 1, 0)
    L.hwall(0, W - 1, H - 1, gaps=[(54, 65)])
    L.hwall(54, 65, H - 1, name="door")
    L.vwall(0, 0, H - 1)
    L.vwall(W - 1, 0, H - 1)
    L.floor_rect(1, 28, W - 2, 5, "path")           # north aisle
    L.floor_rect(1, 56, W - 2, 5, "path")           # south aisle
    L.floor_rect(57, 33, 6, 23, "path")             # central avenue
    L.region("north aisle", 1, 28, 118, 32)
    L.region("south aisle", 1, 56, 118, 60)
    L.region("central avenue", 57, 33, 62, 55)

    # ------------------------------------------------------------ 1. entrance lobby
    L.floor_rect(40, 61, 40, 18, "lobby")
    L.floor_rect(54, 78, 12, 1, "doormat")
    L.region("entrance lobby", 40, 61, 79, 78)
    L.vwall(39, 61, 78, gaps=[(74, 77)])            # west: door to the stories wing
    L.vwall(80, 61, 78, gaps=[(74, 77)])            # east: door to the cheer plaza
    L.hwall(40, 45, 61)
    L.hwall(74, 79, 61)
    L.zone("spawn", 42, 70, 14, 8, "입구 서쪽 · Entrance West")
    L.zone("spawn", 64, 70, 14, 8, "입구 동쪽 · Entrance East")
    for x, y in ((45, 73), (52, 73), (67, 73), (74, 73)):
        L.deco(x, y, 1, 1, "spawn_mark")
    # Information desk: a U-shaped counter open to the north, staff stand inside.
    L.hwall(64, 71, 66, name="counter")
    L.wall_rect(64, 65, 1, 1, "counter")
    L.wall_rect(71, 65, 1, 1, "counter")
    L.wall_rect(44, 64, 1, 1, "kiosk")
    L.wall_rect(75, 64, 1, 1, "kiosk")
    L.region("information desk", 64, 65, 71, 66)
    ex("guestbook", 39, 64, 1, 5, radius=3, frame="board")
    for x in (40, 79):
        L.wall_rect(x, 78, 1, 1, "plant")
    L.deco(46, 62, 4, 1, "flowers")
    L.deco(70, 62, 4, 1, "flowers")

    # Red carpet from the doors to the stage.
    L.floor_rect(58, 10, 4, 68, "red_carpet")

    # ------------------------------------------------------------ 2. photo gallery (north-west)
    L.floor_rect(1, 1, 30, 26, "parquet")
    L.region("photo gallery", 1, 1, 30, 26)
    L.vwall(31, 0, 27)
    L.hwall(1, 30, 27, gaps=[(4, 9), (18, 25)])
    L.wall_rect(9, 13, 14, 2)                       # free-standing panel, photos on both faces
    photos = ["photo-" + p[0] for p in D.PHOTOS]
    for k, x in enumerate((3, 10, 17, 24)):
        ex(photos[k], x, 0, 5, 1, radius=2, frame="frame")
    ex(photos[4], 10, 13, 5, 1, radius=2, frame="frame")
    ex(photos[5], 17, 13, 5, 1, radius=2, frame="frame")
    ex(photos[6], 10, 14, 5, 1, radius=2, frame="frame")
    ex(photos[7], 17, 14, 5, 1, radius=2, frame="frame")
    L.deco(6, 21, 3, 1, "bench")
    L.deco(13, 21, 3, 1, "bench")
    L.deco(21, 21, 3, 1, "bench")
    for x, y in ((1, 1), (30, 1), (1, 26), (30, 26), (11, 24), (20, 24)):
        L.wall_rect(x, y, 1, 1, "plant")
    L.deco(12, 24, 8, 1, "flowers")

    # ------------------------------------------------------------ 7. stage hall (north centre)
    L.region("stage hall", 32, 1, 87, 26)
    L.vwall(88, 0, 27)
    L.hwall(32, 87, 27, gaps=[(45, 74)])
    L.floor_rect(40, 1, 40, 9, "stage")
    L.zone("stage", 40, 1, 40, 8, "무대 · Main Stage")
    L.hwall(42, 77, 9, name="stage_edge")          # stairs at x 40-41 and 78-79
    L.hwall(48, 71, 0, name="screen")
    L.wall_rect(37, 1, 2, 2, "speaker")
    L.wall_rect(81, 1, 2, 2, "speaker")
    L.wall_rect(73, 3, 1, 1, "counter")             # lectern
    L.wall_rect(45, 3, 3, 1, "table")               # award table
    for y in range(12, 26, 2):
        L.deco(36, y, 20, 1, "chair")
        L.deco(64, y, 20, 1, "chair")
    L.wall_rect(32, 26, 1, 1, "plant")
    L.wall_rect(87, 26, 1, 1, "plant")

    # ------------------------------------------------------------ 6. OX quiz field (north-east)
    L.region("OX quiz field", 89, 1, 118, 26)
    L.hwall(89, 118, 27, gaps=[(94, 113)])
    L.floor_rect(98, 1, 12, 4, "stage")
    L.hwall(98, 109, 0, name="screen")
    L.hwall(101, 106, 4, name="counter")            # quiz host desk
    L.wall_rect(96, 1, 1, 1, "speaker")
    L.wall_rect(111, 1, 1, 1, "speaker")
    o_rect = (90, 8, 12, 10)
    x_rect = (106, 8, 12, 10)
    L.floor_rect(*o_rect, "o_floor")
    L.floor_rect(*x_rect, "x_floor")
    L.zone("quiz-o", *o_rect, "O 구역 · O Field")
    L.zone("quiz-x", *x_rect, "X 구역 · X Field")
    _mark_o(L, o_rect)
    _mark_x(L, x_rect)
    for x, y in ((89, 1), (118, 1), (89, 26), (118, 26)):
        L.wall_rect(x, y, 1, 1, "plant")

    # ------------------------------------------------------------ 3. comics corner (west)
    L.floor_rect(1, 34, 30, 21, "parquet")
    L.region("comics corner", 1, 34, 30, 54)
    L.hwall(1, 30, 33, gaps=[(5, 10), (20, 25)])
    L.hwall(1, 30, 55, gaps=[(12, 19)])
    L.vwall(31, 33, 55, gaps=[(41, 46)])
    comics = ["comic-" + c["slug"] for c in D.COMICS]
    ex(comics[0], 0, 36, 1, 8, radius=2, frame="frame")
    L.wall_rect(8, 44, 18, 2)
    ex(comics[1], 9, 44, 16, 1, radius=2, frame="frame")
    ex(comics[2], 9, 45, 16, 1, radius=2, frame="frame")
    L.deco(11, 40, 4, 1, "bench")
    L.deco(19, 40, 4, 1, "bench")
    L.deco(11, 50, 4, 1, "bench")
    L.deco(19, 50, 4, 1, "bench")
    for x, y in ((30, 34), (1, 54), (30, 54)):
        L.wall_rect(x, y, 1, 1, "plant")

    # ------------------------------------------------------------ 9. booths (centre)
    L.region("booth hall", 32, 33, 87, 55)
    govs = ["booth-" + o["slug"] for o in D.GOVERNMENTS]
    insts = ["booth-" + o["slug"] for o in D.INSTITUTIONS]
    slots_w = (34, 41, 48)
    slots_e = (65, 72, 79)
    for x0, ex_id in zip(slots_w, govs):             # host cities row, facing the north aisle
        _booth(L, ex, ex_id, x0, 33, "north", "carpet_coral")
    queue = list(insts)
    for x0 in slots_e:
        _booth(L, ex, queue.pop(0), x0, 33, "north", "carpet")
    for x0 in slots_w + slots_e:
        _booth(L, ex, queue.pop(0), x0, 42, "north", "carpet")
    for x0 in slots_w + slots_e[:2]:
        _booth(L, ex, queue.pop(0), x0, 46, "south", "carpet")
    assert not queue
    # Rest stop in the last island slot.
    L.floor_rect(79, 46, 7, 4, "grass")
    L.hwall(79, 85, 46, name="booth_wall")
    L.deco(80, 48, 2, 1, "bench")
    L.deco(83, 48, 2, 1, "bench")
    L.deco(80, 47, 5, 1, "flowers")
    L.wall_rect(79, 49, 1, 1, "plant")
    L.wall_rect(85, 49, 1, 1, "plant")
    L.region("rest stop", 79, 46, 85, 49)

    # ------------------------------------------------------------ 8. discussion tables (east)
    L.region("discussion tables", 89, 34, 118, 54)
    L.vwall(88, 33, 55, gaps=[(38, 41), (48, 51)])
    L.hwall(89, 118, 33, gaps=[(92, 97), (110, 115)])
    L.hwall(89, 118, 55, gaps=[(97, 110)])
    number = 0
    for ay in (35, 46):
        for ax in (90, 100, 110):
            number += 1
            _table_area(L, ax, ay, number)

    # ------------------------------------------------------------ 4. stories wing (south-west)
    L.floor_rect(1, 62, 38, 17, "parquet")
    L.region("stories wing", 1, 62, 38, 78)
    L.hwall(1, 38, 61, gaps=[(14, 19), (30, 35)])
    # Mini theatre with the video.
    L.floor_rect(1, 62, 11, 17, "carpet")
    L.region("mini theatre", 1, 62, 11, 78)
    L.vwall(12, 62, 78, gaps=[(69, 72)])
    ex("video-" + D.VIDEO["slug"], 0, 66, 1, 8, radius=4, frame="screen")
    L.wall_rect(1, 64, 1, 1, "speaker")
    L.wall_rect(1, 75, 1, 1, "speaker")
    for x in (4, 7, 10):
        L.deco(x, 66, 1, 8, "chair")
    # Webtoon panel: tall strips on both faces.
    L.wall_rect(20, 64, 2, 12)
    toons = ["webtoon-" + t["slug"] for t in D.WEBTOONS]
    ex(toons[0], 20, 64, 1, 12, radius=2, frame="frame")
    ex(toons[1], 21, 64, 1, 12, radius=2, frame="frame")
    # Card news: a panel with two faces and the south wall.
    cards = ["cardnews-" + c["slug"] for c in D.CARDNEWS]
    L.wall_rect(27, 69, 10, 2)
    ex(cards[0], 27, 69, 10, 1, radius=2, frame="frame")
    ex(cards[1], 27, 70, 10, 1, radius=2, frame="frame")
    ex(cards[2], 26, 79, 10, 1, radius=2, frame="frame")
    L.deco(27, 65, 4, 1, "bench")
    L.deco(33, 65, 4, 1, "bench")
    for x, y in ((13, 78), (38, 62), (38, 78)):
        L.wall_rect(x, y, 1, 1, "plant")

    # ------------------------------------------------------------ 5. cheer plaza (south-east)
    L.region("cheer plaza", 81, 62, 106, 78)
    L.hwall(81, 118, 61, gaps=[(84, 100)])
    ex("cheer-wall", 85, 68, 18, 1, radius=3, frame="board")
    L.deco(85, 67, 18, 1, "flowers")
    L.floor_rect(90, 72, 8, 5, "grass")
    L.wall_rect(92, 73, 4, 3, "water")              # fountain
    L.deco(86, 64, 4, 1, "bench")
    L.deco(97, 64, 4, 1, "bench")
    L.deco(84, 75, 3, 1, "bench")
    L.deco(100, 75, 3, 1, "bench")
    for x, y in ((81, 62), (106, 62), (81, 78), (106, 78)):
        L.wall_rect(x, y, 1, 1, "plant")
    # Meeting room (a private area) in the corner, door on its west side.
    L.vwall(107, 62, 73, gaps=[(66, 68)])
    L.hwall(107, 118, 73)
    L.floor_rect(108, 62, 11, 11, "carpet_teal")
    L.wall_rect(111, 66, 5, 3, "table")
    L.deco(111, 65, 5, 1, "chair")
    L.deco(111, 69, 5, 1, "chair")
    L.deco(110, 66, 1, 3, "chair")
    L.deco(116, 66, 1, 3, "chair")
    L.vwall(119, 65, 69, name="screen")
    L.wall_rect(108, 62, 1, 1, "plant")
    L.wall_rect(118, 72, 1, 1, "plant")
    L.zone("area", 108, 62, 11, 11, "회의실 · Meeting Room")
    L.region("meeting room", 108, 62, 118, 72)
    # Garden below the meeting room.
    L.floor_rect(107, 74, 12, 5, "grass")
    L.deco(108, 75, 10, 1, "flowers")
    L.deco(108, 77, 10, 1, "flowers")
    L.region("garden", 107, 74, 118, 78)

    # ------------------------------------------------------------ portals and signposts
    # The far wings are a long walk from the doors: pads in the lobby's corners take a
    # visitor there and pads in each wing bring them back (each pair names the other).
    for lobby_id, wing_id, (lx, ly), (wx, wy), lobby_name, wing_name in PORTALS:
        L.portal(lobby_id, wing_id, lx, ly, lobby_name)
        L.portal(wing_id, lobby_id, wx, wy, wing_name)
    for (x, y), text in SIGNPOSTS:
        L.zone("signpost", x, y, 1, 1, text)

    missing = sorted(set(exhibits) - used)
    if missing:
        raise SystemExit("content without a place on the map: %s" % ", ".join(missing))
    return L


# (lobby pad id, wing pad id, lobby pad tile, wing pad tile, lobby pad name, wing pad name)
PORTALS = [
    ("lobby-to-gallery", "gallery-to-lobby", (41, 62), (26, 18),
     "사진 갤러리로 · To the photo gallery", "입구로 · To the entrance"),
    ("lobby-to-comics", "comics-to-lobby", (41, 66), (27, 48),
     "만화 코너로 · To the comics corner", "입구로 · To the entrance"),
    ("lobby-to-quiz", "quiz-to-lobby", (77, 62), (103, 20),
     "OX 퀴즈로 · To the OX quiz", "입구로 · To the entrance"),
    ("lobby-to-tables", "tables-to-lobby", (77, 66), (98, 43),
     "토론 테이블로 · To the discussion tables", "입구로 · To the entrance"),
]

SIGNPOSTS = [
    ((59, 63), "⬆ 무대 · 부스 · Stage · Booths"),
    ((33, 58), "⬅ 만화 · 사진 · 이야기관 · Comics · Photos · Stories"),
    ((86, 58), "➡ 토론 테이블 · 응원 광장 · Tables · Cheer plaza"),
]


def _booth(L, ex, ex_id, x0, y0, facing, carpet):
    """A 7x4 booth at (x0, y0): back panel, side wings, carpet, a counter with entries either side."""
    L.floor_rect(x0, y0, 7, 4, carpet)
    if facing == "north":
        counter_row, back_row, wing_row = y0, y0 + 3, y0 + 2
    else:
        counter_row, back_row, wing_row = y0 + 3, y0, y0 + 1
    L.hwall(x0, x0 + 6, back_row, name="booth_wall")
    L.hwall(x0 + 2, x0 + 4, back_row, name="frame")     # the booth's poster on its back panel
    L.wall_rect(x0, wing_row, 1, 1, "booth_wall")
    L.wall_rect(x0 + 6, wing_row, 1, 1, "booth_wall")
    L.hwall(x0 + 2, x0 + 4, counter_row, name="counter")
    ex(ex_id, x0, y0, 7, 4, radius=2)


def _table_area(L, ax, ay, number):
    L.floor_rect(ax, ay, 8, 8, "carpet_teal")
    L.wall_rect(ax + 2, ay + 3, 4, 2, "table")
    L.deco(ax + 2, ay + 2, 4, 1, "chair")
    L.deco(ax + 2, ay + 5, 4, 1, "chair")
    L.deco(ax + 1, ay + 3, 1, 2, "chair")
    L.deco(ax + 6, ay + 3, 1, 2, "chair")
    for x, y in ((ax, ay), (ax + 7, ay), (ax, ay + 7), (ax + 7, ay + 7)):
        L.wall_rect(x, y, 1, 1, "plant")
    L.zone("area", ax, ay, 8, 8, "Table %d · %d번 테이블" % (number, number))


def _mark_o(L, rect):
    x, y, w, h = rect
    cx, cy = x + w / 2, y + h / 2
    rx, ry = w / 2 - 1.5, h / 2 - 1.5
    for ty in range(y, y + h):
        for tx in range(x, x + w):
            d = ((tx + 0.5 - cx) / rx) ** 2 + ((ty + 0.5 - cy) / ry) ** 2
            if 0.5 <= d <= 1.25:
                L.decor[ty][tx] = gid("o_mark")


def _mark_x(L, rect):
    """Two diagonals from corner to corner of the field, inset by 1.5 tiles."""
    x, y, w, h = rect
    x0, y0, x1, y1 = x + 1.5, y + 1.5, x + w - 1.5, y + h - 1.5
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    for ty in range(y, y + h):
        for tx in range(x, x + w):
            px, py = tx + 0.5, ty + 0.5
            if not (x0 - 0.5 <= px <= x1 + 0.5 and y0 - 0.5 <= py <= y1 + 0.5):
                continue
            d1 = abs((y1 - y0) * (px - x0) - (x1 - x0) * (py - y0)) / length
            d2 = abs((y1 - y0) * (px - x0) - (x0 - x1) * (py - y1)) / length
            if min(d1, d2) <= 0.55:
                L.decor[ty][tx] = gid("x_mark")


# ================================================================== writing

def tileset_json():
    tiles = []
    for name, (tid, collides, desc) in sorted(T.TILES.items(), key=lambda item: item[1][0]):
        entry = {"id": tid, "type": name}
        if collides:
            entry["properties"] = [{"name": "collides", "type": "bool", "value": True}]
        tiles.append(entry)
    rows = (len(T.TILES) + T.COLUMNS - 1) // T.COLUMNS
    return {
        "columns": T.COLUMNS, "firstgid": FIRSTGID, "image": "expo-hall/tiles.png",
        "imageheight": rows * TILE, "imagewidth": T.COLUMNS * TILE, "margin": 0, "name": "expo-hall",
        "spacing": 0, "tilecount": len(T.TILES), "tileheight": TILE, "tilewidth": TILE, "tiles": tiles,
    }


def map_json(L):
    objects = []
    for i, z in enumerate(L.zones, start=1):
        obj = {"height": z["h"] * TILE, "id": i, "name": z["name"], "rotation": 0, "type": z["kind"], "visible": True,
               "width": z["w"] * TILE, "x": z["x"] * TILE, "y": z["y"] * TILE}
        if z["props"]:
            obj["properties"] = [{"name": k, "type": t, "value": v} for k, t, v in z["props"]]
        objects.append(obj)

    def layer(lid, name, grid):
        return {"data": [v for row in grid for v in row], "height": H, "id": lid, "name": name, "opacity": 1,
                "type": "tilelayer", "visible": True, "width": W, "x": 0, "y": 0}

    return {
        "compressionlevel": -1, "height": H, "infinite": False,
        "layers": [layer(1, "floor", L.floor), layer(2, "walls", L.walls), layer(3, "decor", L.decor),
                   {"draworder": "topdown", "id": 4, "name": "zones", "objects": objects, "opacity": 1,
                    "type": "objectgroup", "visible": True, "x": 0, "y": 0}],
        "nextlayerid": 5, "nextobjectid": len(objects) + 1, "orientation": "orthogonal",
        "properties": [
            {"name": "access", "type": "string", "value": "open"},
            {"name": "capacity", "type": "int", "value": 2000},
            {"name": "chatRadius", "type": "int", "value": 6},
            {"name": "name", "type": "string", "value": "다시 시작 엑스포 · Second Start Expo"},
            {"name": "tickRate", "type": "int", "value": 20},
            {"name": "viewRadius", "type": "int", "value": 12},
        ],
        "renderorder": "right-down", "tiledversion": "1.10.2", "tileheight": TILE, "tilesets": [tileset_json()],
        "tilewidth": TILE, "type": "map", "version": "1.10", "width": W,
    }


def dump_map(doc):
    """JSON like Tiled writes it, but with one map row per line in tile data (CSV style)."""
    out = []
    for lyr in doc["layers"]:
        if lyr["type"] == "tilelayer":
            rows = [",".join(str(v) for v in lyr["data"][r * W:(r + 1) * W]) for r in range(H)]
            out.append((lyr["name"], "[\n" + ",\n".join(rows) + "]"))
    placeholder_doc = json.loads(json.dumps(doc))
    for lyr in placeholder_doc["layers"]:
        if lyr["type"] == "tilelayer":
            lyr["data"] = "@@DATA-%s@@" % lyr["name"]
    text = json.dumps(placeholder_doc, ensure_ascii=False, indent=1)
    for name, data in out:
        text = text.replace('"@@DATA-%s@@"' % name, data)
    return text + "\n"


def write_preview(L, tiles_canvas, path, scale=8):
    """A small picture of the whole map (scale px per tile) with zone outlines."""
    factor = TILE // scale
    small = {}
    for name, (tid, _, _) in T.TILES.items():
        ox, oy = (tid % T.COLUMNS) * TILE, (tid // T.COLUMNS) * TILE
        block = []
        for sy in range(scale):
            for sx in range(scale):
                acc = [0, 0, 0, 0]
                for yy in range(factor):
                    for xx in range(factor):
                        p = tiles_canvas.get(ox + sx * factor + xx, oy + sy * factor + yy)
                        for c in range(4):
                            acc[c] += p[c]
                block.append(tuple(v // (factor * factor) for v in acc))
        small[tid + FIRSTGID] = block
    canvas = Canvas(W * scale, H * scale)
    for grid in (L.floor, L.walls, L.decor):
        for ty in range(H):
            for tx in range(W):
                g = grid[ty][tx]
                if not g:
                    continue
                block = small[g]
                for i, color in enumerate(block):
                    canvas.put(tx * scale + i % scale, ty * scale + i // scale, color)
    colors = {"spawn": (40, 200, 90, 255), "area": (0, 150, 140, 255), "stage": (255, 200, 0, 255),
              "quiz-o": (30, 80, 220, 255), "quiz-x": (220, 40, 40, 255), "exhibit": (150, 60, 220, 255),
              "portal": (108, 75, 216, 255), "signpost": (90, 90, 90, 255)}
    for z in L.zones:
        canvas.frame(z["x"] * scale, z["y"] * scale, z["w"] * scale, z["h"] * scale, colors[z["kind"]], 2)
    canvas.save(path)


def write_content_readme(L, exhibits, path):
    """Maps/expo-hall/README.md: an index of the content, generated with it."""
    rows = []
    for z in L.zones:
        if z["kind"] != "exhibit":
            continue
        p = {k: v for k, _, v in z["props"]}
        files = p.get("src", "").split(",") if p.get("src") else []
        shown = ", ".join("`%s`" % f for f in files[:2]) + (" … (%d files)" % len(files) if len(files) > 2 else "")
        rows.append("| `%s` | %s | %s | (%d,%d) %dx%d | %d | %s |" % (
            p["id"], p["kind"], p["title"], z["x"], z["y"], z["w"], z["h"], p["radius"], shown or "—"))
    orgs = "\n".join("| %s | %s | %s | `booth-%s` (%s) |" % (o["ko"], o["en"], o["body"], o["slug"], o["kind"]) for o in D.ORGS)
    text = """# 다시 시작 엑스포 2026 · Second Start Expo 2026 — content

Content for the map `../expo-hall.tmj`. Every file here was made for this project by
`tools/maps/expo_hall.py` (drawn in code, written by us): the event, the programme, the
three local governments, the fourteen institutions, the people in the stories and every
number are **fictional**. The "photos" are vector illustrations of the event, not photographs.
Nothing here is copied from elsewhere; no external images or fonts are referenced.

Do not edit these files by hand: change `tools/maps/expo_data.py` (texts) or
`tools/maps/expo_content.py` (drawings) and run `python3 tools/maps/expo_hall.py`.

## Folders

| folder | what |
| --- | --- |
| `tiles.png` | the tileset (8 columns of 32×32 tiles), embedded in the map |
| `preview.png` | the whole map at 8 px per tile, zones outlined (spawn green, area teal, stage yellow, O blue, X red, exhibits purple, portals violet, signposts grey) |
| `photos/` | 8 illustrated "photos" of the expo, 800×560 SVG |
| `comics/<slug>/p1.svg…` | 3 comics explaining the programme, 4 pages each, 800×1130 SVG |
| `stories/webtoon/` | 2 webtoons, one 800×3000 vertical strip each |
| `stories/cardnews/<slug>/01.svg…` | 3 card news sets, 1080×1080 SVG cards |
| `stories/video/one-more-step.webm` | 15 s animation, 640×360 VP9 WebM, no sound |
| `booths/<slug>/` | one exhibit per organiser: `poster.svg` (photo) or `01–03.svg` (card news) |
| `quiz/expo-quiz.json` | the OX quiz for the stage host (never served to browsers: the server refuses `quiz/`) |

## Organisers (fictional)

| 이름 | name | body | booth exhibit |
| --- | --- | --- | --- |
%s

## Exhibits

Position is the exhibit zone in tiles (x, y) width×height; radius in tiles.

| id | kind | title | zone | radius | src |
| --- | --- | --- | --- | --- | --- |
%s
""" % (orgs, "\n".join(rows))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


# ================================================================== checks specific to this event

def event_checks(map_path, content_dir):
    m, exhibits, issues = tmjcheck.check(map_path)
    doc = m.doc
    problems = list(issues)

    def need(cond, message):
        if not cond:
            problems.append(message)

    need(doc["width"] == 120 and doc["height"] == 80, "map must be 120 x 80 tiles")
    need(doc["tilewidth"] == 32 and doc["tileheight"] == 32, "tiles must be 32 x 32")
    need(doc["orientation"] == "orthogonal" and doc["infinite"] is False, "orthogonal, not infinite")
    need(len(doc["tilesets"]) == 1 and doc["tilesets"][0]["firstgid"] == 1, "one embedded tileset with firstgid 1")
    ts = doc["tilesets"][0]
    need(os.path.isfile(os.path.join(os.path.dirname(map_path), ts["image"])), "tileset image missing")
    names = [lyr["name"] for lyr in doc["layers"]]
    need(names[:2] == ["floor", "walls"] and "zones" in names, "layers floor, walls, (decor), zones")
    for lyr in doc["layers"]:
        if lyr["type"] == "tilelayer":
            need(isinstance(lyr["data"], list) and "encoding" not in lyr and "compression" not in lyr,
                 "layer %s must be a plain JSON array" % lyr["name"])
    floor = m.layers["floor"]
    need(all(floor), "every floor tile must be non-zero")
    need(not any(g in m.colliding for g in floor), "floor layer must hold no colliding tile")
    need(all(g == 0 or g in m.colliding for g in m.layers["walls"]), "walls layer holds only colliding tiles")
    need(not any(g in m.colliding for g in m.layers.get("decor", [])), "decor layer holds no colliding tile")
    props = {p["name"]: p["value"] for p in doc["properties"]}
    need(props == {"name": "다시 시작 엑스포 · Second Start Expo", "capacity": 2000, "access": "open", "tickRate": 20,
                   "viewRadius": 12, "chatRadius": 6}, "map properties")
    kinds = {}
    for z in m.zones:
        kinds.setdefault(z["kind"], []).append(z)
    need(len(kinds.get("spawn", [])) >= 1, "a spawn zone")
    need(len(kinds.get("area", [])) >= 6, "at least 6 areas")
    need(len(kinds.get("stage", [])) == 1, "one stage")
    need(len(kinds.get("quiz-o", [])) == 1 and len(kinds.get("quiz-x", [])) == 1, "one O field and one X field")
    for q in kinds.get("quiz-o", []) + kinds.get("quiz-x", []):
        need(q["rect"].w >= 10 and q["rect"].h >= 8, "quiz fields must be large")
    if kinds.get("quiz-o") and kinds.get("quiz-x"):
        o, x = kinds["quiz-o"][0]["rect"], kinds["quiz-x"][0]["rect"]
        gap = max(x.x - (o.x + o.w), o.x - (x.x + x.w))
        need(gap >= 2, "a walkable gap of at least 2 tiles between the O and X fields")
        between = range(min(o.x + o.w, x.x + x.w), max(x.x, o.x))
        need(all(not m.is_blocked(tx, ty) for tx in between for ty in range(o.y, o.y + o.h)), "the gap must be walkable")
    by_kind = {}
    for e in exhibits:
        by_kind.setdefault(e["kind"], []).append(e)
    gallery = [e for e in by_kind.get("photo", []) if e["id"].startswith("photo-")]
    need(len(gallery) >= 6, "at least 6 gallery photos")
    comics = by_kind.get("comic", [])
    need(len(comics) >= 3 and all(3 <= len(e["sources"]) <= 6 for e in comics), "3+ comics of 3-6 pages")
    need(len(by_kind.get("webtoon", [])) >= 2, "2+ webtoons")
    need(len(by_kind.get("video", [])) >= 1, "a video")
    stories_cards = [e for e in by_kind.get("cardnews", []) if e["id"].startswith("cardnews-")]
    need(len(stories_cards) >= 2 and all(5 <= len(e["sources"]) <= 8 for e in stories_cards), "2+ card news sets of 5-8 cards")
    ids = {e["id"]: e for e in exhibits}
    need(ids.get("cheer-wall", {}).get("kind") == "board", "board cheer-wall")
    need(ids.get("guestbook", {}).get("kind") == "board", "board guestbook")
    booths = [e for e in exhibits if e["id"].startswith("booth-")]
    need(len(booths) == 17 and all(e["kind"] in ("photo", "cardnews") for e in booths), "17 booths, photo or cardnews")
    need(len(D.GOVERNMENTS) == 3 and len(D.INSTITUTIONS) == 14, "3 local governments and 14 institutions")
    for e in exhibits:
        need(all(k in e["props"] for k in ("id", "kind", "title", "description", "radius")), "exhibit %s properties" % e["id"])
        need(isinstance(e["props"]["radius"], int), "exhibit %s radius must be an int property" % e["id"])
    # Each booth exhibit has a counter inside it; each table area a table.
    counter = T.tile_id("counter") + FIRSTGID
    table = T.tile_id("table") + FIRSTGID
    for e in booths:
        r = e["zone"]["rect"]
        need(any(m.layers["walls"][y * W + x] == counter for x, y in r.tiles()), "booth %s has a counter" % e["id"])
    for z in kinds.get("area", []):
        need(any(m.layers["walls"][y * W + x] == table for x, y in z["rect"].tiles()), "area %s has a table" % z["name"])
    # Portals: each lobby pad and its wing pad name each other, and they shorten the walk.
    portals = {z["props"]["id"]: z for z in kinds.get("portal", [])}
    need(len(portals) == 2 * len(PORTALS), "%d portals" % (2 * len(PORTALS)))
    for lobby_id, wing_id, *_ in PORTALS:
        need(portals.get(lobby_id, {}).get("props", {}).get("to") == wing_id
             and portals.get(wing_id, {}).get("props", {}).get("to") == lobby_id, "portals %s and %s name each other" % (lobby_id, wing_id))
        lobby = portals.get(lobby_id)
        need(lobby and 40 <= lobby["rect"].x <= 79 and 61 <= lobby["rect"].y <= 78, "portal %s is in the lobby" % lobby_id)
    need(len(kinds.get("signpost", [])) == len(SIGNPOSTS), "%d signposts" % len(SIGNPOSTS))
    # Spawns sit in the entrance lobby near the doors.
    for z in kinds.get("spawn", []):
        need(z["rect"].y + z["rect"].h >= 75, "spawn %s should be at the entrance" % z["name"])
    # Content files: size and self-containment.
    for e in exhibits:
        for src in e["sources"]:
            full = os.path.join(content_dir, src)
            if not os.path.isfile(full):
                continue
            size = os.path.getsize(full)
            if src.endswith(".svg"):
                with open(full, encoding="utf-8") as handle:
                    body = handle.read()
                need("<image" not in body and "@import" not in body and "url(http" not in body and "@font-face" not in body,
                     "%s must be self-contained" % src)
                limit = 26_000 if e["kind"] == "webtoon" else 20_000
                need(size <= limit, "%s is %d bytes (limit %d)" % (src, size, limit))
            if e["kind"] == "video":
                need(size <= 1_000_000, "%s is larger than 1 MB" % src)
    # Quiz.
    with open(os.path.join(content_dir, "quiz", "expo-quiz.json"), encoding="utf-8") as handle:
        quiz = json.load(handle)
    qs = quiz.get("questions", [])
    need(quiz.get("title") and 8 <= len(qs) <= 10, "quiz needs a title and 8-10 questions")
    need({q.get("answer") for q in qs} == {"O", "X"}, "quiz answers must mix O and X")
    need(len({q.get("id") for q in qs}) == len(qs), "quiz ids unique")
    for q in qs:
        need(q.get("question") and q.get("explanation") and isinstance(q.get("timeLimit"), int)
             and 10 <= q["timeLimit"] <= 30, "quiz question %s" % q.get("id"))
    return m, exhibits, problems


# Places a visitor walks to from the doors, for the figures the generator prints.
WALKS = [("comics", (20, 48)), ("photo gallery", (15, 20)), ("OX quiz field", (100, 20)), ("discussion tables", (98, 45))]
WALK_SPEED = 4  # tiles a second (RoomConfiguration.walkSpeed)


def walk_steps(m, start, goal, portals):
    """Fewest tile steps from start to goal (4-neighbour), taking portals when `portals`."""
    jumps = {}
    if portals:
        by_id = {z["props"]["id"]: z for z in m.portals()}
        for z in m.portals():
            target = by_id.get(z["props"].get("to"))
            landing = m.portal_landing(target) if target else None
            if landing:
                for tile in z["rect"].tiles():
                    jumps[tile] = landing
    distance = {start: 0}
    frontier = [start]
    while frontier:
        following = []
        for x, y in frontier:
            d = distance[(x, y)]
            if (x, y) == goal:
                return d
            for nx, ny in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if m.is_blocked(nx, ny) or (nx, ny) in distance:
                    continue
                distance[(nx, ny)] = d + 1
                land = jumps.get((nx, ny))
                if land and land not in distance:
                    distance[land] = d + 1
                    following.append(land)
                following.append((nx, ny))
        frontier = following
    return None


def walk_summary(m, start, goal):
    plain, through = walk_steps(m, start, goal, False), walk_steps(m, start, goal, True)
    return "%d steps (%.0f s) on foot, %d (%.0f s) through a portal" % (
        plain, plain / WALK_SPEED, through, through / WALK_SPEED)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-video", action="store_true", help="keep the existing video instead of rendering it")
    parser.add_argument("--check", action="store_true", help="only check the files already written")
    parser.add_argument("--no-preview", action="store_true", help="skip writing preview.png")
    args = parser.parse_args(argv)

    if not args.check:
        os.makedirs(CONTENT_DIR, exist_ok=True)
        print("content -> %s" % os.path.relpath(CONTENT_DIR, ROOT))
        exhibits = expo_content.write_all(CONTENT_DIR, make_video_file=not args.no_video)
        tiles_canvas = T.paint(os.path.join(CONTENT_DIR, "tiles.png"))
        layout = build(exhibits)
        with open(MAP_PATH, "w", encoding="utf-8") as handle:
            handle.write(dump_map(map_json(layout)))
        print("map -> %s (%d zones)" % (os.path.relpath(MAP_PATH, ROOT), len(layout.zones)))
        write_content_readme(layout, exhibits, os.path.join(CONTENT_DIR, "README.md"))
        if not args.no_preview:
            write_preview(layout, tiles_canvas, os.path.join(CONTENT_DIR, "preview.png"))
        print("regions (tile x0,y0 - x1,y1):")
        for name, (x0, y0, x1, y1) in layout.regions.items():
            print("  %-20s (%d,%d) - (%d,%d)" % (name, x0, y0, x1, y1))

    m, exhibits, problems = event_checks(MAP_PATH, CONTENT_DIR)
    if problems:
        for problem in problems:
            print("FAIL: %s" % problem, file=sys.stderr)
        print("%d problem(s) in %s" % (len(problems), os.path.relpath(MAP_PATH, ROOT)), file=sys.stderr)
        return 1
    reach = m.reachable()
    walkable = sum(1 for b in m.blocked if not b)
    for target, (tx, ty) in WALKS:
        print("  walk from the doors to the %s: %s" % (target, walk_summary(m, (60, 77), (tx, ty))))
    print("checks passed: %d zones, %d exhibits, %d walkable tiles, all reachable from %d spawn zone(s)" % (
        len(m.zones), len(exhibits), sum(reach), len(m.of_kind("spawn"))))
    assert walkable == sum(reach)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
