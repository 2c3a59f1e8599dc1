// Arrival and wayfinding on the DOM stand-in: the named places of a map, the directory
// with "walk there", the location line's words, and the first-visit card.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { domPerTest } from "./dom.mjs";
import { FakeSession, plaza } from "./fake-session.mjs";
import { el } from "../../Web/js/dom.js";
import { parseMap } from "../../Web/js/tiled.js";
import { placeAt, placeTarget, placesOf, searchPlaces } from "../../Web/js/places.js";
import { attachDirectory } from "../../Web/js/directory.js";
import { portalRoute } from "../../Web/js/portals.js";
import { INTRO_KEY, attachIntro, direction } from "../../Web/js/intro.js";

const attached = domPerTest({ beforeEach, afterEach });
const expo = parseMap(JSON.parse(readFileSync(new URL("../../Maps/expo-hall.tmj", import.meta.url), "utf8")));

test("the expo hall's places: the quiz field, the stage, tables, entrances and every exhibit", () => {
  const places = placesOf(expo);
  assert.equal(places[0].group, "event");
  assert.ok(places.some((place) => place.id === "quiz"));
  assert.ok(places.some((place) => place.name === "무대 · Main Stage"));
  assert.equal(places.filter((place) => place.group === "entrance").length, 2);
  assert.equal(places.filter((place) => place.group === "exhibit").length, expo.zones.filter((zone) => zone.kind === "exhibit").length);
  assert.deepEqual(searchPlaces(places, "main stage").map((place) => place.name), ["무대 · Main Stage"]);
  assert.ok(searchPlaces(places, "webtoon").length > 0, "kinds are searchable too");
});

test("walk there aims at a walkable tile in the middle of a place; the location line names where one stands", () => {
  const map = plaza();
  const stage = placesOf(map).find((place) => place.group === "event" && place.icon === "🎤");
  const target = placeTarget(map, stage, 64);
  const tile = { x: Math.floor(target.x / 64), y: Math.floor(target.y / 64) };
  assert.equal(map.isBlocked(tile.x, tile.y), false);
  assert.equal(placeAt(map, tile.x, tile.y).kind, "stage");
  assert.equal(placeAt(map, 23, 15).kind, "spawn", "the entrance is a place too");
  assert.match(placeAt(expo, 45, 72).name, /Entrance West/);
  assert.equal(placeAt(map, 40, 28), null);
});

test("the directory lists places and walks to the one chosen; an exhibit opens on arrival", () => {
  const session = new FakeSession({ map: plaza() });
  session.place(23, 15);
  const walks = [];
  const exhibitWalks = [];
  const dialog = el("dialog");
  const button = el("button", { hidden: true });
  document.body.append(dialog, button);
  const directory = attachDirectory({
    session, input: { walk: (units) => walks.push(units) }, exhibits: { walkTo: (id) => exhibitWalks.push(id) }, elements: { dialog, button },
  });
  attached.push(directory);
  directory.setMap(session.map);
  assert.equal(button.hidden, false);
  button.click();
  assert.equal(dialog.open, true);
  const items = [...dialog.querySelectorAll('[data-testid="directory-place"]')];
  assert.ok(items.length >= 6);
  items.find((item) => item.dataset.id === "quiz").click();
  assert.equal(dialog.open, false);
  assert.equal(walks.length, 1);
  button.click();
  const search = dialog.querySelector('[data-testid="directory-search"]');
  search.type_("cheer");
  const shown = [...dialog.querySelectorAll('[data-testid="directory-place"]')].map((item) => item.dataset.id);
  assert.deepEqual(shown, ["exhibit-plaza-wall"]);
  dialog.querySelector('[data-testid="directory-place"]').click();
  assert.deepEqual(exhibitWalks, ["plaza-wall"]);
});

test("the first-visit card shows once, says where the stage and the quiz are, and is remembered when closed or on walking", () => {
  const store = new Map();
  globalThis.localStorage = { getItem: (key) => store.get(key) ?? null, setItem: (key, value) => store.set(key, value) };
  try {
    const session = new FakeSession({ map: plaza() });
    session.place(23, 15);
    const card = el("section", { hidden: true });
    let directoryOpened = 0;
    const intro = attachIntro({ session, card, onDirectory: () => directoryOpened++, touch: false });
    attached.push(intro);
    intro.setMap(session.map);
    assert.equal(card.hidden, false);
    assert.match(card.textContent, /Main|무대|Stage/);
    assert.match(card.textContent, /quiz field: 남쪽 · south/);
    session.move({ mode: "direction", dx: 1, dy: 0 });
    assert.equal(card.hidden, true);
    assert.equal(store.get(INTRO_KEY), "1");
    const again = attachIntro({ session, card, onDirectory() {}, touch: true });
    attached.push(again);
    again.setMap(session.map);
    assert.equal(card.hidden, true, "remembered");
    assert.equal(directoryOpened, 0);
  } finally {
    delete globalThis.localStorage;
  }
});

test("compass words for where a place lies", () => {
  assert.equal(direction({ x: 10, y: 10 }, { x: 10, y: 0, width: 1, height: 1 }), "북쪽 · north");
  assert.equal(direction({ x: 10, y: 10 }, { x: 20, y: 0, width: 2, height: 2 }), "북동쪽 · north-east");
  assert.equal(direction({ x: 10, y: 10 }, { x: 9, y: 9, width: 2, height: 2 }), "바로 여기 · right here");
});

test("walk there goes through a portal only when that is much shorter", () => {
  const map = plaza();
  // From beside the south-west pad to the photo in the north-east: through the pad.
  const route = portalRoute(map, { x: 5, y: 27 }, { x: 46, y: 10 });
  assert.equal(route?.portal.id, "plaza-sw");
  assert.equal(route?.destination.id, "plaza-ne");
  // From the spawn to the same photo, or to the quiz field next door: on foot.
  assert.equal(portalRoute(map, { x: 23, y: 15 }, { x: 46, y: 10 }), null);
  assert.equal(portalRoute(map, { x: 5, y: 27 }, { x: 13, y: 24 }), null);
  // The expo hall: from the entrance to the comics corner, through its portal.
  assert.equal(portalRoute(expo, { x: 48, y: 74 }, { x: 0, y: 40 })?.portal.id, "lobby-to-comics");
});

test("the directory walks onto the pad, then on from where the portal landed; walking oneself gives that up", () => {
  const session = new FakeSession({ map: plaza() });
  session.place(5, 27);
  const walks = [];
  const exhibitWalks = [];
  const dialog = el("dialog");
  const button = el("button", { hidden: true });
  document.body.append(dialog, button);
  const directory = attachDirectory({
    session, input: { walk: (units) => walks.push(units) }, exhibits: { walkTo: (id) => exhibitWalks.push(id) }, elements: { dialog, button },
  });
  attached.push(directory);
  directory.setMap(session.map);
  const choose = (id) => {
    button.click();
    [...dialog.querySelectorAll('[data-testid="directory-place"]')].find((item) => item.dataset.id === id).click();
  };
  choose("exhibit-plaza-photo");
  assert.equal(walks.length, 1);
  const pad = { x: Math.floor(walks[0].x / 64), y: Math.floor(walks[0].y / 64) };
  assert.ok(pad.x >= 2 && pad.x <= 3 && pad.y >= 28 && pad.y <= 29, `the walk goes to the south-west pad, not ${JSON.stringify(pad)}`);
  assert.equal(directory.via, "plaza-ne");
  assert.deepEqual(exhibitWalks, [], "not yet: the portal first");
  session.place(43, 2);
  session.emit("world", { entered: [], left: [] });
  assert.deepEqual(exhibitWalks, ["plaza-photo"], "on from the north-east pad to the photo");
  assert.equal(directory.via, null);

  session.place(5, 27);
  choose("exhibit-plaza-photo");
  session.emit("move", { mode: "direction", dx: 0, dy: -1 });
  session.place(43, 2);
  session.emit("world", { entered: [], left: [] });
  assert.deepEqual(exhibitWalks, ["plaza-photo"], "a walk of one's own ended the plan");
});
