#!/usr/bin/env python3
"""Writes the small maps the tests use into Maps/tests/. Run from the repository root."""
import json
import os

TILE = 32


def zone(object_id, zone_class, x, y, w, h, name="", **properties):
    return {"id": object_id, "name": name, "type": zone_class, "x": x * TILE, "y": y * TILE,
            "width": w * TILE, "height": h * TILE, "rotation": 0, "visible": True,
            "properties": [{"name": k, "type": "int" if isinstance(v, int) else "string", "value": v}
                           for k, v in properties.items()]}


def tmj(width, height, walls, zones, properties):
    floor = [1] * (width * height)
    wall_layer = [0] * (width * height)
    for (x, y) in walls:
        wall_layer[y * width + x] = 2
    return {
        "type": "map", "version": "1.10", "tiledversion": "1.10.2", "orientation": "orthogonal",
        "renderorder": "right-down", "infinite": False, "width": width, "height": height,
        "tilewidth": TILE, "tileheight": TILE, "nextlayerid": 4, "nextobjectid": len(zones) + 1,
        "properties": [{"name": k, "type": "int" if isinstance(v, int) else "string", "value": v}
                       for k, v in properties.items()],
        "tilesets": [{"firstgid": 1, "name": "basic", "tilewidth": TILE, "tileheight": TILE, "tilecount": 2,
                      "columns": 2, "margin": 0, "spacing": 0,
                      "tiles": [{"id": 1, "properties": [{"name": "collides", "type": "bool", "value": True}]}]}],
        "layers": [
            {"id": 1, "type": "tilelayer", "name": "floor", "width": width, "height": height, "x": 0, "y": 0,
             "opacity": 1, "visible": True, "data": floor},
            {"id": 2, "type": "tilelayer", "name": "walls", "width": width, "height": height, "x": 0, "y": 0,
             "opacity": 1, "visible": True, "data": wall_layer},
            {"id": 3, "type": "objectgroup", "name": "zones", "draworder": "topdown", "x": 0, "y": 0,
             "opacity": 1, "visible": True, "objects": zones},
        ],
    }


def plaza():
    """48×32: border walls, spawn in the middle, a private table on the left, a stage at
    the top, the O and X fields at the bottom, a photo and a board on the right, and two
    portals that name each other in the south-west and north-east corners."""
    width, height = 48, 32
    walls = [(x, 0) for x in range(width)] + [(x, height - 1) for x in range(width)]
    walls += [(0, y) for y in range(height)] + [(width - 1, y) for y in range(height)]
    walls += [(8, y) for y in range(2, 9)]          # a screen beside the table
    zones = [
        zone(1, "spawn", 22, 14, 4, 4),
        zone(2, "area", 2, 2, 6, 6, "Table 1"),
        zone(3, "stage", 18, 2, 12, 4),
        zone(4, "quiz-o", 10, 22, 8, 6),
        zone(5, "quiz-x", 30, 22, 8, 6),
        zone(6, "exhibit", 46, 10, 1, 2, "Photo", id="plaza-photo", kind="photo", title="Plaza photo",
             description="A test photo", src="photo.svg", radius=3),
        zone(7, "exhibit", 46, 16, 1, 2, "Cheer wall", id="plaza-wall", kind="board", title="Cheer wall", radius=3),
        zone(8, "portal", 2, 28, 2, 2, "북동쪽 구석으로 · To the north-east corner", id="plaza-sw", to="plaza-ne"),
        zone(9, "portal", 43, 2, 2, 2, "남서쪽 구석으로 · To the south-west corner", id="plaza-ne", to="plaza-sw"),
        zone(10, "signpost", 26, 18, 1, 1, "↙ 포털 · Portal"),
    ]
    properties = {"name": "Test Plaza", "capacity": 500, "access": "open", "tickRate": 20, "viewRadius": 12,
                  "chatRadius": 6}
    return tmj(width, height, walls, zones, properties)


def small(name, **properties):
    """16×12 with border walls and a spawn: rooms whose rules the tests exercise."""
    width, height = 16, 12
    walls = [(x, 0) for x in range(width)] + [(x, height - 1) for x in range(width)]
    walls += [(0, y) for y in range(height)] + [(width - 1, y) for y in range(height)]
    zones = [zone(1, "spawn", 6, 5, 4, 2)]
    return tmj(width, height, walls, zones, dict({"name": name, "tickRate": 20}, **properties))


def main():
    os.makedirs("Maps/tests/plaza", exist_ok=True)
    with open("Maps/tests/plaza.tmj", "w") as out:
        json.dump(plaza(), out, separators=(",", ":"))
    with open("Maps/tests/tiny.tmj", "w") as out:
        json.dump(small("Tiny room", capacity=2), out, separators=(",", ":"))
    with open("Maps/tests/members.tmj", "w") as out:
        json.dump(small("Members only", access="registered"), out, separators=(",", ":"))
    with open("Maps/tests/plaza/photo.svg", "w") as out:
        out.write('<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" viewBox="0 0 320 200">'
                  '<rect width="320" height="200" fill="#2d6a8f"/><circle cx="160" cy="90" r="50" fill="#f4c542"/>'
                  '<text x="160" y="180" font-family="sans-serif" font-size="20" fill="#fff" text-anchor="middle">'
                  'Test plaza</text></svg>\n')


if __name__ == "__main__":
    main()
