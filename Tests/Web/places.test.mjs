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
