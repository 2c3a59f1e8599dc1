// Exhibits without the DOM: who is in reach, where to walk to open one, the state
// reducer over the server's messages, and the merging and paging of a board's notes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseMap } from "../../Web/js/tiled.js";
import {
  approachTile, exhibitAtPoint, exhibitInReach, exhibitsOf, initialExhibitState, mergeNotes, oldestNoteId, ownsRef,
  reduceExhibits, tileDistance,
} from "../../Web/js/exhibits.js";

const plaza = parseMap(JSON.parse(readFileSync(new URL("../../Maps/tests/plaza.tmj", import.meta.url), "utf8")));
const note = (id, text = `note ${id}`) => ({ id, author: "Mina", authorID: 3, text, time: 1_700_000_000_000 + id });
const counts = (cheer = 0, like = 0, empathy = 0) => ({ cheer, like, empathy });
const opened = (extra = {}) => ({
  type: "exhibit", id: "plaza-wall", kind: "board", title: "Cheer wall", description: "", content: [],
  state: { id: "plaza-wall", viewers: 1, reactions: counts(2) }, mine: ["cheer"], notes: [note(5), note(4)], ref: "x1", ...extra,
});
const run = (actions, state = initialExhibitState()) => actions.reduce(reduceExhibits, state);

test("the plaza's exhibits are read from the map with their radius", () => {
  const exhibits = exhibitsOf(plaza);
  assert.deepEqual(exhibits.map((e) => [e.id, e.kind, e.radius]), [["plaza-photo", "photo", 3], ["plaza-wall", "board", 3]]);
  assert.deepEqual(exhibits[0].rect, { x: 46, y: 10, width: 1, height: 2 });
  assert.equal(exhibits[0].title, "Plaza photo");
});

test("reach is the Chebyshev distance to the rectangle, as the server counts it", () => {
  const rect = { x: 46, y: 10, width: 1, height: 2 };
  assert.equal(tileDistance(rect, 46, 10), 0);
  assert.equal(tileDistance(rect, 43, 11), 3);
  assert.equal(tileDistance(rect, 43, 14), 3); // diagonal steps count as one
  assert.equal(tileDistance(rect, 42, 10), 4);
  const exhibits = exhibitsOf(plaza);
  assert.equal(exhibitInReach(exhibits, 43, 10)?.id, "plaza-photo");
  assert.equal(exhibitInReach(exhibits, 42, 10), null);
  assert.equal(exhibitInReach(exhibits, 44, 16)?.id, "plaza-wall");
  // Between the two, the nearer one wins.
  assert.equal(exhibitInReach(exhibits, 45, 13)?.id, "plaza-photo");
  assert.equal(exhibitInReach(exhibits, 45, 14)?.id, "plaza-wall");
});

test("a tap on an exhibit finds it, with a little slack around small rectangles", () => {
  const exhibits = exhibitsOf(plaza);
  assert.equal(exhibitAtPoint(exhibits, { x: 46.5 * 64, y: 11 * 64 }, 64)?.id, "plaza-photo");
  assert.equal(exhibitAtPoint(exhibits, { x: 45.8 * 64, y: 10 * 64 }, 64)?.id, "plaza-photo");
  assert.equal(exhibitAtPoint(exhibits, { x: 44 * 64, y: 10 * 64 }, 64), null);
});

test("walking to a tapped exhibit aims at a walkable tile well inside its reach, nearest to the visitor", () => {
  const [photo] = exhibitsOf(plaza);
  const spot = approachTile(plaza, photo, { x: 23, y: 15 });
  assert.ok(!plaza.isBlocked(spot.x, spot.y));
  assert.ok(tileDistance(photo.rect, spot.x, spot.y) <= photo.radius - 1);
  assert.deepEqual(spot, { x: 44, y: 13 }); // two tiles from the frame, the shortest walk from the spawn
  // Where two exhibits are near, the spot is one from which the wanted one is the nearest.
  const exhibits = exhibitsOf(plaza);
  const toWall = approachTile(plaza, exhibits[1], { x: 23, y: 15 }, exhibits);
  assert.equal(exhibitInReach(exhibits, toWall.x, toWall.y).id, "plaza-wall");
  // An exhibit in a wall with no floor around it cannot be approached.
  const walled = { ...photo, rect: { x: 0, y: 0, width: 1, height: 1 }, radius: 0 };
  assert.equal(approachTile(plaza, walled, { x: 5, y: 5 }), null);
});

test("notes merge newest first without duplicates; the incoming copy wins", () => {
  const merged = mergeNotes([note(9), note(7)], [note(8), note(7, "edited"), note(10)]);
  assert.deepEqual(merged.map((n) => n.id), [10, 9, 8, 7]);
  assert.equal(merged.at(-1).text, "edited");
  assert.equal(oldestNoteId(merged), 7);
  assert.equal(oldestNoteId([]), undefined);
});

test("opening: the answer fills the overlay, live numbers and what is mine", () => {
  let state = run([{ type: "open_request", id: "plaza-wall", ref: "x1" }]);
  assert.deepEqual(state.opening, { id: "plaza-wall", ref: "x1" });
  assert.ok(ownsRef(state, "x1"));
  state = reduceExhibits(state, opened());
  assert.equal(state.opening, null);
  assert.equal(state.open.title, "Cheer wall");
  assert.deepEqual(state.open.mine, ["cheer"]);
  assert.deepEqual(state.open.notes.map((n) => n.id), [5, 4]);
  assert.equal(state.open.more, null); // unknown until a page says
  assert.deepEqual(state.live["plaza-wall"], { viewers: 1, reactions: counts(2) });
  // Nothing older to page when the board is empty.
  assert.equal(reduceExhibits(initialExhibitState(), opened({ notes: [] })).open.more, false);
});

test("a refused open is a notice; a refused re-open closes what was shown", () => {
  let state = run([{ type: "open_request", id: "plaza-photo", ref: "x1" }, { type: "error", code: "too_far", ref: "x1" }]);
  assert.equal(state.opening, null);
  assert.deepEqual(state.notice, { what: "open", code: "too_far", id: "plaza-photo" });
  state = run([opened(), { type: "open_request", id: "plaza-wall", ref: "x2" }, { type: "error", code: "too_far", ref: "x2" }]);
  assert.equal(state.open, null);
  // Errors with refs that are not ours change nothing.
  const before = run([opened()]);
  assert.equal(reduceExhibits(before, { type: "error", code: "rate_limited", ref: "m1-chat" }), before);
});

test("live state: exhibit_state updates counts for any exhibit; reacted toggles mine", () => {
  let state = run([opened(), { type: "exhibit_state", id: "plaza-photo", viewers: 3, reactions: counts(1, 2, 0) }]);
  assert.deepEqual(state.live["plaza-photo"], { viewers: 3, reactions: counts(1, 2, 0) });
  state = run([
    { type: "react_request", reaction: "like", on: true, ref: "x3" },
    { type: "reacted", id: "plaza-wall", reaction: "like", on: true, ref: "x3", state: { id: "plaza-wall", viewers: 1, reactions: counts(2, 1, 0) } },
  ], state);
  assert.deepEqual(state.open.mine, ["cheer", "like"]);
  assert.deepEqual(state.open.pendingReactions, {});
  assert.equal(state.live["plaza-wall"].reactions.like, 1);
  state = run([
    { type: "react_request", reaction: "cheer", on: false, ref: "x4" },
    { type: "reacted", id: "plaza-wall", reaction: "cheer", on: false, ref: "x4", state: { id: "plaza-wall", viewers: 1, reactions: counts(1, 1, 0) } },
  ], state);
  assert.deepEqual(state.open.mine, ["like"]);
  // A refused reaction clears its pending mark and says why.
  state = run([{ type: "react_request", reaction: "empathy", on: true, ref: "x5" }, { type: "error", code: "store_unavailable", ref: "x5" }], state);
  assert.deepEqual(state.open.pendingReactions, {});
  assert.deepEqual(state.notice, { what: "react", code: "store_unavailable", reaction: "empathy" });
  assert.deepEqual(state.open.mine, ["like"]);
});

test("posting a note: sending, then saved by the acknowledgement with our ref, or failed by an error with it", () => {
  let state = run([opened(), { type: "note_request", text: "hi", ref: "x6" }]);
  assert.equal(state.open.post.state, "sending");
  state = reduceExhibits(state, { type: "note", id: "plaza-wall", note: note(6, "hi"), ref: "x6" });
  assert.equal(state.open.post.state, "saved");
  assert.deepEqual(state.open.notes.map((n) => n.id), [6, 5, 4]);
  assert.deepEqual(state.open.fresh, [6]);
  state = run([{ type: "note_request", text: "again", ref: "x7" }, { type: "error", code: "rate_limited", ref: "x7" }], state);
  assert.deepEqual(state.open.post, { state: "failed", ref: null, code: "rate_limited" });
});

test("live notes from others go on top; hidden ones go away; other boards' notes are ignored", () => {
  let state = run([
    opened(),
    { type: "note", id: "plaza-wall", note: note(7) },
    { type: "note", id: "other-wall", note: note(99) },
    { type: "note_hidden", id: "plaza-wall", note: 5 },
  ]);
  assert.deepEqual(state.open.notes.map((n) => n.id), [7, 4]);
  assert.deepEqual(state.open.fresh, [7]);
  state = run([{ type: "hide_request", note: 4, ref: "x8" }, { type: "note_hidden", id: "plaza-wall", note: 4, ref: "x8" }], state);
  assert.deepEqual(state.open.notes.map((n) => n.id), [7]);
  assert.deepEqual(state.open.hiding, {});
});

test("paging older notes: appended in order, `more` from the answer, errors release the request", () => {
  let state = run([opened(), { type: "page_request", ref: "x9" }]);
  assert.equal(state.open.paging, "x9");
  state = reduceExhibits(state, { type: "notes", id: "plaza-wall", notes: [note(3), note(2)], more: true, ref: "x9" });
  assert.deepEqual(state.open.notes.map((n) => n.id), [5, 4, 3, 2]);
  assert.equal(state.open.more, true);
  assert.equal(state.open.paging, null);
  // The last page: nothing more; a duplicate in the page is not shown twice.
  state = run([{ type: "page_request", ref: "x10" }, { type: "notes", id: "plaza-wall", notes: [note(2), note(1)], more: false, ref: "x10" }], state);
  assert.deepEqual(state.open.notes.map((n) => n.id), [5, 4, 3, 2, 1]);
  assert.equal(state.open.more, false);
  state = run([{ type: "page_request", ref: "x11" }, { type: "error", code: "store_unavailable", ref: "x11" }], state);
  assert.equal(state.open.paging, null);
  assert.equal(state.notice.what, "page");
});

test("closing: by the visitor, by walking away (a notice), and a new exhibit replaces the old", () => {
  let state = run([opened(), { type: "close_request" }]);
  assert.equal(state.open, null);
  state = run([opened(), { type: "exhibit_closed", id: "plaza-wall" }]);
  assert.equal(state.open, null);
  assert.deepEqual(state.notice, { what: "closed", code: "walked_away", id: "plaza-wall" });
  // One exhibit at a time: the server answers a second open without closing the first.
  state = run([opened(), opened({ id: "plaza-photo", kind: "photo", title: "Plaza photo", notes: [], content: ["/maps/plaza/photo.svg"] })]);
  assert.equal(state.open.id, "plaza-photo");
  // A late exhibit_closed for the old one does not close the new one.
  state = reduceExhibits(state, { type: "exhibit_closed", id: "plaza-wall" });
  assert.equal(state.open.id, "plaza-photo");
});
