"""The expo-hall tileset: 33 tiles of 32x32 px in 8 columns, painted in pure Python.

Tile ids (0-based, as in the tileset's `tiles` array; a map's gid is id + firstgid).
Colliding tiles carry the bool property `collides` in the map's embedded tileset.
"""

import random

from pngkit import Canvas, hex_color, shade

TILE = 32
COLUMNS = 8

# name: (id, collides, description)
TILES = {
    "floor": (0, False, "hall floor"),
    "carpet": (1, False, "booth carpet, blue"),
    "path": (2, False, "aisle floor"),
    "wall": (3, True, "wall"),
    "counter": (4, True, "booth or desk counter"),
    "stage": (5, False, "stage floor"),
    "plant": (6, True, "potted plant"),
    "table": (7, True, "table"),
    "o_floor": (8, False, "O field floor"),
    "x_floor": (9, False, "X field floor"),
    "grass": (10, False, "grass"),
    "water": (11, True, "fountain water"),
    "door": (12, True, "glass entrance door"),
    "doormat": (13, False, "door mat"),
    "board": (14, True, "cork board (guestbook, cheer wall)"),
    "frame": (15, True, "wall with a picture frame"),
    "chair": (16, False, "chair (decor)"),
    "o_mark": (17, False, "O field marking (decor)"),
    "x_mark": (18, False, "X field marking (decor)"),
    "stage_edge": (19, True, "front edge of the stage"),
    "speaker": (20, True, "speaker"),
    "screen": (21, True, "wall with a screen"),
    "carpet_coral": (22, False, "host city booth carpet, coral"),
    "carpet_teal": (23, False, "talk table carpet, teal"),
    "parquet": (24, False, "gallery parquet"),
    "bench": (25, False, "bench (decor)"),
    "booth_wall": (26, True, "booth back panel"),
    "flowers": (27, False, "flower bed (decor)"),
    "red_carpet": (28, False, "red carpet"),
    "lobby": (29, False, "lobby stone floor"),
    "spawn_mark": (30, False, "welcome floor mark (decor)"),
    "kiosk": (31, True, "information kiosk"),
    "portal_pad": (32, False, "portal pad floor mark (decor)"),
}

CLEAR = (0, 0, 0, 0)


def tile_id(name):
    return TILES[name][0]


def colliding_ids():
    return sorted(tid for tid, collides, _ in TILES.values() if collides)


def _origin(tid):
    return (tid % COLUMNS) * TILE, (tid // COLUMNS) * TILE


def paint(path):
    rows = (len(TILES) + COLUMNS - 1) // COLUMNS
    canvas = Canvas(COLUMNS * TILE, rows * TILE)
    for name, (tid, _, _) in TILES.items():
        ox, oy = _origin(tid)
        canvas.set_clip(ox, oy, TILE, TILE)
        PAINTERS[name](canvas, ox, oy, tid)
    canvas.set_clip(0, 0, canvas.width, canvas.height)
    canvas.save(path)
    return canvas


def _tiled_floor(c, ox, oy, tid, base, grout, spread=0.03):
    c.noise(ox, oy, TILE, TILE, hex_color(base), spread, tid)
    c.rect(ox, oy, TILE, 1, hex_color(grout))
    c.rect(ox, oy, 1, TILE, hex_color(grout))


def _carpet(c, ox, oy, tid, base):
    color = hex_color(base)
    c.noise(ox, oy, TILE, TILE, color, 0.06, tid)
    rng = random.Random(tid * 7)
    for _ in range(18):
        c.put(ox + rng.randrange(TILE), oy + rng.randrange(TILE), shade(color, 0.18))


def p_floor(c, ox, oy, tid):
    _tiled_floor(c, ox, oy, tid, "#E9E5DD", "#D6D0C4")


def p_carpet(c, ox, oy, tid):
    _carpet(c, ox, oy, tid, "#4A78B8")


def p_path(c, ox, oy, tid):
    _tiled_floor(c, ox, oy, tid, "#D9D3C7", "#CBC4B6", 0.02)
    c.rect(ox + 15, oy + 14, 2, 4, hex_color("#C6BEAE"))


def p_wall(c, ox, oy, tid):
    c.rect(ox, oy, TILE, TILE, hex_color("#34455F"))
    c.rect(ox, oy, TILE, 6, hex_color("#52698D"))
    c.rect(ox, oy + 6, TILE, 1, hex_color("#2A3850"))
    for y in (14, 22, 30):
        c.rect(ox, oy + y, TILE, 1, hex_color("#2E3D55"))


def p_counter(c, ox, oy, tid):
    c.rect(ox, oy + 2, TILE, 28, hex_color("#8C5A32"))
    c.rect(ox, oy + 2, TILE, 10, hex_color("#C9955E"))
    c.rect(ox, oy + 12, TILE, 2, hex_color("#6E4424"))
    c.rect(ox + 4, oy + 16, 24, 10, hex_color("#A06A3C"))


def p_stage(c, ox, oy, tid):
    base = hex_color("#A0673F")
    c.noise(ox, oy, TILE, TILE, base, 0.04, tid)
    for y in (0, 8, 16, 24):
        c.rect(ox, oy + y, TILE, 1, shade(base, -0.3))
    for y, x in ((0, 10), (8, 24), (16, 4), (24, 18)):
        c.rect(ox + x, oy + y, 1, 8, shade(base, -0.3))


def p_plant(c, ox, oy, tid):
    c.disc(ox + 16, oy + 25, 7, hex_color("#8A4B2A"))
    c.disc(ox + 16, oy + 24, 5, hex_color("#5B3320"))
    for dx, dy, r, col in ((-6, -4, 8, "#2E8B57"), (7, -5, 8, "#3BA86A"), (0, -11, 9, "#48B878"),
                           (0, -2, 7, "#2F9A5F"), (-2, -9, 4, "#7CD39A")):
        c.disc(ox + 16 + dx, oy + 16 + dy, r, hex_color(col))


def p_table(c, ox, oy, tid):
    c.rect(ox + 1, oy + 3, 30, 27, hex_color("#6E4A2E"))
    c.rect(ox + 1, oy + 1, 30, 26, hex_color("#D9B07C"))
    c.rect(ox + 3, oy + 3, 26, 22, hex_color("#E4C193"))
    c.rect(ox + 8, oy + 9, 9, 7, hex_color("#FFFFFF"))
    c.rect(ox + 19, oy + 12, 5, 5, hex_color("#FFC94A"))


def p_o_floor(c, ox, oy, tid):
    _tiled_floor(c, ox, oy, tid, "#3D7DD8", "#336CC0", 0.03)


def p_x_floor(c, ox, oy, tid):
    _tiled_floor(c, ox, oy, tid, "#E0524A", "#C6463F", 0.03)


def p_grass(c, ox, oy, tid):
    base = hex_color("#7CC46B")
    c.noise(ox, oy, TILE, TILE, base, 0.07, tid)
    rng = random.Random(tid)
    for _ in range(14):
        x, y = rng.randrange(2, 30), rng.randrange(3, 31)
        c.line(ox + x, oy + y, ox + x + rng.choice((-1, 1)), oy + y - 3, shade(base, -0.25))


def p_water(c, ox, oy, tid):
    c.rect(ox, oy, TILE, TILE, hex_color("#4FB3E8"))
    for y in (6, 16, 26):
        for x in range(0, TILE, 8):
            c.line(ox + x, oy + y, ox + x + 4, oy + y - 2, hex_color("#BDE6FA"))
            c.line(ox + x + 4, oy + y - 2, ox + x + 8, oy + y, hex_color("#BDE6FA"))


def p_door(c, ox, oy, tid):
    c.rect(ox, oy, TILE, TILE, hex_color("#34455F"))
    c.rect(ox + 2, oy + 4, 28, 26, hex_color("#9FD6F0"))
    c.rect(ox + 2, oy + 4, 28, 2, hex_color("#DDF2FB"))
    c.rect(ox + 15, oy + 4, 2, 26, hex_color("#34455F"))
    c.rect(ox + 11, oy + 16, 2, 6, hex_color("#D8D8D8"))
    c.rect(ox + 19, oy + 16, 2, 6, hex_color("#D8D8D8"))


def p_doormat(c, ox, oy, tid):
    c.rect(ox, oy, TILE, TILE, hex_color("#5E4636"))
    for y in range(2, TILE, 5):
        c.rect(ox, oy + y, TILE, 2, hex_color("#71584A"))


def p_board(c, ox, oy, tid):
    c.rect(ox, oy, TILE, TILE, hex_color("#6E4A2E"))
    c.noise(ox + 2, oy + 2, 28, 28, hex_color("#C9A26B"), 0.06, tid)
    rng = random.Random(1414)
    for col in ("#FFE066", "#FF9AA2", "#A0E7E5", "#B5EAD7", "#FFD6A5"):
        x, y = rng.randrange(3, 20), rng.randrange(3, 20)
        c.rect(ox + x, oy + y, 9, 9, hex_color(col))
        c.rect(ox + x + 2, oy + y + 3, 5, 1, hex_color("#777777"))


def p_frame(c, ox, oy, tid):
    p_wall(c, ox, oy, tid)
    c.rect(ox + 3, oy + 8, 26, 20, hex_color("#F3E9D2"))
    c.rect(ox + 5, oy + 10, 22, 16, hex_color("#8EC9F0"))
    c.disc(ox + 21, oy + 14, 3, hex_color("#FFC94A"))
    c.rect(ox + 5, oy + 20, 22, 6, hex_color("#3DBFA8"))


def p_chair(c, ox, oy, tid):
    c.rect(ox + 9, oy + 9, 14, 14, hex_color("#2F3E55"))
    c.rect(ox + 10, oy + 10, 12, 12, hex_color("#5A7DB3"))
    c.rect(ox + 9, oy + 7, 14, 3, hex_color("#22304A"))


def p_o_mark(c, ox, oy, tid):
    c.rect(ox + 1, oy + 1, 30, 30, hex_color("#FFFFFF", 200))


def p_x_mark(c, ox, oy, tid):
    c.rect(ox + 1, oy + 1, 30, 30, hex_color("#FFF3F0", 200))


def p_stage_edge(c, ox, oy, tid):
    c.rect(ox, oy, TILE, TILE, hex_color("#5A3A26"))
    c.rect(ox, oy, TILE, 4, hex_color("#C9955E"))
    c.rect(ox, oy + 12, TILE, 2, hex_color("#FFC94A"))
    for x in (4, 20):
        c.disc(ox + x + 4, oy + 22, 2, hex_color("#FFE9A8"))


def p_speaker(c, ox, oy, tid):
    c.rect(ox + 3, oy + 1, 26, 30, hex_color("#1E1E24"))
    c.disc(ox + 16, oy + 10, 5, hex_color("#50505A"))
    c.disc(ox + 16, oy + 22, 7, hex_color("#50505A"))
    c.disc(ox + 16, oy + 22, 3, hex_color("#2A2A30"))


def p_screen(c, ox, oy, tid):
    p_wall(c, ox, oy, tid)
    c.rect(ox, oy + 6, TILE, 22, hex_color("#0E1A2E"))
    c.rect(ox, oy + 8, TILE, 18, hex_color("#2B5FA8"))
    c.rect(ox, oy + 16, TILE, 4, hex_color("#4F8DE0"))


def p_carpet_coral(c, ox, oy, tid):
    _carpet(c, ox, oy, tid, "#E0705F")


def p_carpet_teal(c, ox, oy, tid):
    _carpet(c, ox, oy, tid, "#5DB8A6")


def p_parquet(c, ox, oy, tid):
    base = hex_color("#C9A27A")
    c.noise(ox, oy, TILE, TILE, base, 0.04, tid)
    for i in range(4):
        y = i * 8
        c.rect(ox, oy + y, TILE, 1, shade(base, -0.22))
        x = (i * 13) % 32
        c.rect(ox + x, oy + y, 1, 8, shade(base, -0.22))


def p_bench(c, ox, oy, tid):
    c.rect(ox + 1, oy + 9, 30, 14, hex_color("#7A5233"))
    c.rect(ox + 1, oy + 9, 30, 12, hex_color("#C08A55"))
    for y in (12, 16):
        c.rect(ox + 1, oy + y, 30, 1, hex_color("#9C6B3F"))


def p_booth_wall(c, ox, oy, tid):
    c.rect(ox, oy, TILE, TILE, hex_color("#F4F1EA"))
    c.rect(ox, oy, TILE, 7, hex_color("#1F3A5F"))
    c.rect(ox, oy + 29, TILE, 3, hex_color("#C9C2B4"))
    c.rect(ox + 31, oy + 7, 1, 22, hex_color("#DCD6CA"))


def p_flowers(c, ox, oy, tid):
    rng = random.Random(2727)
    for _ in range(9):
        x, y = rng.randrange(5, 27), rng.randrange(5, 27)
        col = hex_color(rng.choice(("#FF6B5B", "#FFC94A", "#FF9AA2", "#FFFFFF", "#B28DFF")))
        for dx, dy in ((-2, 0), (2, 0), (0, -2), (0, 2)):
            c.disc(ox + x + dx, oy + y + dy, 1.6, col)
        c.disc(ox + x, oy + y, 1.2, hex_color("#FFE066"))


def p_red_carpet(c, ox, oy, tid):
    _carpet(c, ox, oy, tid, "#B8323A")


def p_lobby(c, ox, oy, tid):
    base = hex_color("#F1ECE4")
    c.noise(ox, oy, TILE, TILE, base, 0.015, tid)
    c.line(ox + 2, oy + 30, ox + 14, oy + 18, shade(base, -0.08))
    c.line(ox + 14, oy + 18, ox + 29, oy + 12, shade(base, -0.06))
    c.rect(ox, oy, TILE, 1, shade(base, -0.1))
    c.rect(ox, oy, 1, TILE, shade(base, -0.1))


def p_spawn_mark(c, ox, oy, tid):
    c.ring(ox + 16, oy + 16, 11, 8, hex_color("#3DBFA8", 170))
    c.disc(ox + 16, oy + 16, 3, hex_color("#3DBFA8", 170))


def p_kiosk(c, ox, oy, tid):
    c.rect(ox + 6, oy + 2, 20, 28, hex_color("#1F3A5F"))
    c.rect(ox + 8, oy + 4, 16, 14, hex_color("#3DBFA8"))
    c.disc(ox + 16, oy + 7, 2, hex_color("#FFFFFF"))
    c.rect(ox + 15, oy + 10, 3, 7, hex_color("#FFFFFF"))


def p_portal_pad(c, ox, oy, tid):
    c.disc(ox + 16, oy + 16, 14, hex_color("#6C4BD8", 70))
    c.ring(ox + 16, oy + 16, 14, 11, hex_color("#6C4BD8", 210))
    c.ring(ox + 16, oy + 16, 8, 6, hex_color("#A58BFF", 210))
    c.disc(ox + 16, oy + 16, 2, hex_color("#FFFFFF", 230))


PAINTERS = {name: globals()["p_" + name] for name in TILES}
