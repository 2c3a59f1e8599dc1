// The map reader against the repository's own maps, and the chat audience built on it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { parseMap, tileRect } from "../../Web/js/tiled.js";
import { audience } from "../../Web/js/audience.js";
import { validateName } from "../../Web/js/text.js";

const load = (path) => parseMap(JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8")));

test("plaza: walls collide, floors do not, zones are read", () => {
  const map = load("Maps/tests/plaza.tmj");
  assert.equal(map.width, 48);
  assert.equal(map.isBlocked(0, 0), true); // outer wall (tile id 1 has collides)
  assert.equal(map.isBlocked(5, 5), false);
  assert.equal(map.isBlocked(-1, 5), true);
  assert.deepEqual(map.zones.map((zone) => zone.kind).sort(), ["area", "exhibit", "exhibit", "portal", "portal", "quiz-o", "quiz-x", "signpost", "spawn", "stage"]);
  const table = map.areas[0];
  assert.equal(table.name, "Table 1");
  assert.deepEqual(table.rect, { x: 2, y: 2, width: 6, height: 6 });
  assert.equal(map.areaIndex(3, 3), 0);
  assert.equal(map.areaIndex(20, 20), -1);
  assert.equal(map.zonesAt(20, 3, "stage").length, 1);
  assert.equal(map.zones.find((zone) => zone.kind === "exhibit").properties.title, "Plaza photo");
});

test("a layer named collisions blocks whatever its tiles are, and is not drawn", () => {
  const map = parseMap({
    width: 2, height: 1, tilewidth: 32, tileheight: 32,
    tilesets: [{ firstgid: 1, tilecount: 1, columns: 1 }],
    layers: [
      { type: "tilelayer", name: "floor", data: [1, 1] },
      { type: "group", name: "g", layers: [{ type: "tilelayer", name: "collisions", data: [0, 1 | 0x80000000] }] },
    ],
  });
  assert.equal(map.isBlocked(0, 0), false);
  assert.equal(map.isBlocked(1, 0), true);
  assert.deepEqual(map.layers.map((layer) => layer.name), ["floor"]);
});

test("base64 layer data is read", () => {
  const data = Buffer.from(Uint32Array.from([2, 0]).buffer).toString("base64");
  const map = parseMap({
    width: 2, height: 1, tilewidth: 32, tileheight: 32,
    tilesets: [{ firstgid: 1, tiles: [{ id: 1, properties: [{ name: "collides", type: "bool", value: true }] }] }],
    layers: [{ type: "tilelayer", name: "walls", data, encoding: "base64" }],
  });
  assert.equal(map.isBlocked(0, 0), true);
  assert.equal(map.isBlocked(1, 0), false);
});

test("zone rectangles cover the tiles whose centres they contain, like the server", () => {
  // Centres at 16 and 48: the left edge at 16 takes tile 0, the right edge at 48 leaves tile 1 out.
  assert.deepEqual(tileRect({ x: 16, y: 0, width: 32, height: 32 }, 32, 32), { x: 0, y: 0, width: 1, height: 1 });
  assert.deepEqual(tileRect({ x: 20, y: 0, width: 20, height: 10 }, 32, 32), { x: 1, y: 0, width: 0, height: 0 });
});

test("expo hall: the tileset image path is relative to the map", { skip: !existsSync(new URL("../../Maps/expo-hall.tmj", import.meta.url)) }, () => {
  const map = load("Maps/expo-hall.tmj");
  assert.equal(map.tilesets[0].image.path, "expo-hall/tiles.png");
  assert.ok(map.zones.some((zone) => zone.kind === "stage"));
});

test("audience: nearby counts connected people within the chat radius, never across an area's edge", () => {
  const map = load("Maps/tests/plaza.tmj");
  const u = 64;
  const at = (tx, ty, away = false) => ({ x: tx * u + 32, y: ty * u + 32, away });
  const base = { map, chatRadius: 6, unitsPerTile: u, hasStageVoice: false, isModerator: false };
  // At (10, 5): (14, 5) is near, (16, 5) at exactly 6 tiles, (17, 5) too far, (7, 5) inside Table 1.
  const others = [at(14, 5), at(16, 5), at(17, 5), at(7, 5), at(12, 5, true)];
  const nearby = audience({ ...base, scope: "nearby", me: at(10, 5), others });
  assert.equal(nearby.count, 2);
  assert.match(nearby.text, /2 people within 6 tiles/);
  const inArea = audience({ ...base, scope: "area", me: at(3, 3), others });
  assert.equal(inArea.ok, true);
  assert.equal(inArea.count, 1);
  assert.equal(audience({ ...base, scope: "area", me: at(10, 5), others }).ok, false);
  assert.equal(audience({ ...base, scope: "stage", me: at(20, 3), others }).ok, false);
  assert.equal(audience({ ...base, scope: "stage", me: at(20, 3), others, hasStageVoice: true }).ok, true);
  assert.equal(audience({ ...base, scope: "room", me: at(1, 1), others }).ok, false);
  assert.match(audience({ ...base, scope: "dm", me: at(1, 1), others, dmName: "Mina" }).text, /only Mina/);
});

test("names are checked as the server checks them", () => {
  assert.equal(validateName("  Mina \n"), "Mina");
  assert.equal(validateName("지호"), "지호");
  assert.equal(validateName("e\u0301"), "é"); // NFC
  assert.throws(() => validateName("   "));
  assert.throws(() => validateName("a\u0007b"));
  assert.throws(() => validateName("\u202Eevil"));
  assert.throws(() => validateName("x".repeat(33)));
  // 32 characters, but 576 bytes: the server bounds bytes too (more cases in Protocol/rules.json).
  assert.throws(() => validateName("👩‍👩‍👧".repeat(32)), { code: "tooLong" });
  assert.equal(validateName("👩‍👩‍👧".repeat(5)).length > 5, true);
});
