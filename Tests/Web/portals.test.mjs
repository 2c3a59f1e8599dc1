// Portals and signposts read from the maps (Maps/README.md, "Portals and signposts"), the
// landing rule the server uses, telling a portal's jump from a walk or a teleport, and the
// notice the page shows after one.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { domPerTest } from "./dom.mjs";
import { FakeSession, plaza } from "./fake-session.mjs";
import { parseMap } from "../../Web/js/tiled.js";
import { portalAt, portalLanding, portalTaken, portalsOf, signpostsOf } from "../../Web/js/portals.js";
import { placeAt, placeTarget, placesOf, searchPlaces } from "../../Web/js/places.js";
import { attachPortals } from "../../Web/js/portal-view.js";

const attached = domPerTest({ beforeEach, afterEach });
const expo = parseMap(JSON.parse(readFileSync(new URL("../../Maps/expo-hall.tmj", import.meta.url), "utf8")));

test("the expo hall's portals pair the lobby with the far wings, and its signposts have words", () => {
  const portals = portalsOf(expo);
  assert.equal(portals.length, 8);
  const byId = new Map(portals.map((portal) => [portal.id, portal]));
  for (const portal of portals) {
    assert.equal(byId.get(portal.to).to, portal.id, `${portal.id} and ${portal.to} name each other`);
    assert.match(portal.name, / · /, "named in Korean and English");
  }
  assert.equal(byId.get("lobby-to-comics").name, "만화 코너로 · To the comics corner");
  assert.ok(signpostsOf(expo).length >= 3);
});

test("a portal lands on its walkable tile nearest the centre, as the server does", () => {
  const map = plaza();
  const ne = portalsOf(map).find((portal) => portal.id === "plaza-ne");
  assert.deepEqual(portalLanding(map, ne), { x: 43, y: 2 });
  const walled = { ...map, isBlocked: (x, y) => (x === 43 && y === 2) || map.isBlocked(x, y) };
  assert.deepEqual(portalLanding(walled, ne), { x: 44, y: 2 });
});

test("a jump from a portal to its destination is told apart from a walk and a teleport", () => {
  const map = plaza();
  const sw = portalsOf(map).find((portal) => portal.id === "plaza-sw");
  assert.equal(portalTaken(map, { x: 4, y: 28 }, { x: 43, y: 2 })?.id, "plaza-sw", "stepped in from beside the pad");
  assert.deepEqual(portalTaken(map, { x: 3, y: 29 }, { x: 44, y: 3 }), sw);
  assert.equal(portalTaken(map, { x: 4, y: 28 }, { x: 5, y: 28 }), null, "a step is no jump");
  assert.equal(portalTaken(map, { x: 20, y: 20 }, { x: 43, y: 2 }), null, "a moderator's teleport is not a portal");
  assert.equal(portalTaken(map, { x: 3, y: 28 }, { x: 20, y: 20 }), null, "nor a jump elsewhere");
  assert.equal(portalTaken(map, null, { x: 43, y: 2 }), null);
});

test("portals are places: in the directory, searchable, walked onto, and named in the location line", () => {
  const map = plaza();
  const places = placesOf(map);
  const portal = places.find((place) => place.id === "portal-plaza-sw");
  assert.ok(portal && portal.group === "portal" && portal.icon === "🌀");
  assert.deepEqual(searchPlaces(places, "north-east").map((place) => place.id), ["portal-plaza-sw"]);
  const target = placeTarget(map, portal, 64);
  assert.equal(portalAt(map, Math.floor(target.x / 64), Math.floor(target.y / 64))?.id, "plaza-sw");
  assert.deepEqual(placeAt(map, 44, 3), { kind: "portal", icon: "🌀", name: "남서쪽 구석으로 · To the south-west corner" });
  assert.equal(placesOf(map).filter((place) => place.group === "portal").length, 2);
});

test("after the server takes the own avatar through a portal, a notice says where to", () => {
  const session = new FakeSession({ map: plaza() });
  const shown = [];
  const announcer = document.createElement("div");
  const portals = attachPortals({ session, toaster: { show: (text, options) => shown.push({ text, ...options }) }, announcer });
  attached.push(portals);
  // The server's motion of the own avatar, told at tick `since` (units, units a tick).
  const told = (x, y, vx, since) => {
    Object.assign(session.me, { x: (x + 0.5) * 64, y: (y + 0.5) * 64, vx, vy: 0, since });
    session.emit("world", { entered: [], left: [] });
  };
  told(12, 28, -13, 100);
  told(8, 28, -13, 120);
  assert.deepEqual(shown, [], "walking says nothing");
  // West at 13 units a tick from tile 8 reaches the pad (x 2–3) by tick 145; the next news is the jump.
  told(43, 2, -13, 146);
  assert.deepEqual(shown, [{ text: "🌀 북동쪽 구석으로 · To the north-east corner", kind: "info" }]);
  assert.equal(announcer.textContent, shown[0].text);
  assert.equal(portals.snapshot().id, "plaza-sw");
});
