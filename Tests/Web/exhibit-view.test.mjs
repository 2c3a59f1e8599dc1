// The exhibit views on the DOM stand-in: a viewer per kind, the overlay, the hint from
// where the visitor stands, and the requests each action sends.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { domPerTest, press } from "./dom.mjs";
import { FakeSession, fakeRenderer, fakeToaster, plaza } from "./fake-session.mjs";
import { el } from "../../Web/js/dom.js";
import { viewerFor } from "../../Web/js/exhibit/viewers.js";
import { photoViewer } from "../../Web/js/exhibit/photo.js";
import { comicViewer } from "../../Web/js/exhibit/comic.js";
import { cardViewer } from "../../Web/js/exhibit/cardnews.js";
import { videoViewer } from "../../Web/js/exhibit/video.js";
import { webtoonViewer } from "../../Web/js/exhibit/webtoon.js";
import { boardViewer } from "../../Web/js/exhibit/board.js";
import { hintAction } from "../../Web/js/exhibit/reach.js";
import { attachExhibits } from "../../Web/js/exhibit-view.js";
import { initialExhibitState, reduceExhibits } from "../../Web/js/exhibits.js";

const attached = domPerTest({ beforeEach, afterEach });

const testid = (root, id) => root.querySelector(`[data-testid="${id}"]`);
const pages = (urls) => ({ id: "e1", kind: "comic", title: "Trying again", description: "", content: urls, mine: [], notes: [] });

/** The exhibit dialog as index.html has it. */
function exhibitDialog() {
  const part = (tag, name, extra = {}) => el(tag, { dataset: { part: name, ...(extra.testid ? { testid: extra.testid } : {}) } });
  const dialog = el("dialog", { dataset: { testid: "exhibit-dialog" } },
    part("p", "kind"), part("h2", "title", { testid: "exhibit-title" }), part("p", "viewers", { testid: "exhibit-viewers" }),
    el("button", { type: "button", dataset: { part: "close", testid: "exhibit-close" } }),
    part("p", "description", { testid: "exhibit-description" }), part("div", "body"),
    part("div", "reactions", { testid: "exhibit-reactions" }), part("p", "status", { testid: "exhibit-status" }));
  document.body.append(dialog);
  return dialog;
}

test("every kind has its viewer; a kind this client does not know shows as a photo", () => {
  assert.equal(viewerFor("photo"), photoViewer);
  assert.equal(viewerFor("comic"), comicViewer);
  assert.equal(viewerFor("webtoon"), webtoonViewer);
  assert.equal(viewerFor("video"), videoViewer);
  assert.equal(viewerFor("cardnews"), cardViewer);
  assert.equal(viewerFor("board"), boardViewer);
  assert.equal(viewerFor("hologram"), photoViewer);
});

test("a viewer without content says there is nothing to show", () => {
  for (const kind of ["photo", "comic", "webtoon", "video", "cardnews"]) {
    const viewer = viewerFor(kind)({ ...pages([]), kind }, { dialog: el("dialog") });
    assert.match(viewer.element.textContent, /Nothing to show/);
  }
});

test("the photo viewer zooms in steps with the buttons and keys, and Fit goes back", () => {
  const dialog = el("dialog");
  const viewer = photoViewer({ ...pages(["a.svg"]), kind: "photo" }, { dialog });
  assert.equal(dialog.dataset.zoom, "1");
  testid(viewer.element, "photo-zoom-in").click();
  assert.equal(dialog.dataset.zoom, "1.5");
  assert.equal(viewer.onKey({ key: "+" }), true);
  assert.equal(dialog.dataset.zoom, "2");
  viewer.onKey({ key: "-" });
  assert.equal(dialog.dataset.zoom, "1.5");
  viewer.onKey({ key: "0" });
  assert.equal(dialog.dataset.zoom, "1");
  testid(viewer.element, "photo-zoom-out").click();
  assert.equal(dialog.dataset.zoom, "1", "never below 100 %");
  assert.equal(viewer.onKey({ key: "q" }), false);
});

test("the comic viewer turns pages with buttons and keys, and stops at both ends", () => {
  const viewer = comicViewer(pages(["1.svg", "2.svg", "3.svg"]));
  const page = () => Number(testid(viewer.element, "exhibit-page").dataset.index);
  const image = testid(viewer.element, "exhibit-image");
  assert.equal(page(), 0);
  assert.equal(testid(viewer.element, "exhibit-previous").disabled, true);
  testid(viewer.element, "exhibit-next").click();
  assert.equal(page(), 1);
  assert.equal(image.src, "2.svg");
  viewer.onKey({ key: "End" });
  assert.equal(page(), 2);
  assert.equal(testid(viewer.element, "exhibit-next").disabled, true);
  viewer.onKey({ key: "ArrowRight" });
  assert.equal(page(), 2);
  viewer.onKey({ key: "Home" });
  assert.equal(page(), 0);
  assert.match(image.alt, /page 1 of 3/);
});

test("the card news viewer marks the current card on its dots and status", () => {
  const viewer = cardViewer({ ...pages(["a", "b", "c", "d"]), kind: "cardnews" });
  const status = testid(viewer.element, "exhibit-page");
  assert.equal(status.textContent, "카드 · Card 1 / 4");
  viewer.onKey({ key: "ArrowRight" });
  viewer.onKey({ key: "ArrowRight" });
  assert.equal(status.dataset.index, "2");
  const dots = [...viewer.element.querySelectorAll("button.dot")].map((dot) => dot.getAttribute("aria-current"));
  assert.deepEqual(dots, ["false", "false", "true", "false"]);
  viewer.dispose();
});

test("closing a video viewer stops playback; a webtoon is one scroller of lazy images", () => {
  const video = videoViewer({ ...pages(["a.mp4"]), kind: "video" });
  const element = testid(video.element, "exhibit-video");
  element.play();
  video.dispose();
  assert.equal(element.paused, true);
  const webtoon = webtoonViewer({ ...pages(["1", "2", "3"]), kind: "webtoon" });
  assert.deepEqual([...webtoon.element.querySelectorAll("img")].map((img) => img.getAttribute("loading")), ["eager", "lazy", "lazy"]);
});

test("the board counts characters, refuses an empty or overlong note, and follows a post to its acknowledgement", () => {
  let state = reduceExhibits(initialExhibitState(), { type: "exhibit", id: "wall", kind: "board", title: "Wall", notes: [] });
  const requests = [];
  const context = {
    session: new FakeSession(),
    request: (type, fields) => {
      requests.push({ type, ...fields });
      return `x${requests.length}`;
    },
    dispatch: (action) => {
      state = reduceExhibits(state, action);
      viewer.update(state.open);
    },
    current: () => state.open,
  };
  const viewer = boardViewer(state.open, context);
  const input = testid(viewer.element, "note-input");
  const status = testid(viewer.element, "note-status");
  const form = viewer.element.querySelector("form");
  form.requestSubmit();
  assert.equal(status.dataset.state, "failed");
  assert.equal(requests.length, 0);
  input.type_("가".repeat(301));
  assert.equal(testid(viewer.element, "note-counter").textContent, "301 / 300");
  assert.equal(testid(viewer.element, "note-send").disabled, true);
  form.requestSubmit();
  assert.equal(requests.length, 0);

  input.type_(" 힘내세요! ");
  assert.equal(testid(viewer.element, "note-counter").textContent, "5 / 300");
  press(input, "Enter");
  assert.deepEqual(requests, [{ type: "note_post", id: "wall", text: "힘내세요!" }]);
  assert.equal(status.dataset.state, "sending");
  context.dispatch({ type: "note", id: "wall", ref: "x1", note: { id: 7, author: "Me", authorID: 1, text: "힘내세요!", time: 0 } });
  assert.equal(status.dataset.state, "saved");
  assert.equal(input.value, "");
  const notes = viewer.element.querySelectorAll('[data-testid="note"]');
  assert.equal(notes.length, 1);
  assert.ok(notes[0].classList.contains("fresh"));
  assert.ok(notes[0].classList.contains("mine"));
  assert.equal(viewer.element.querySelector('[data-testid="note-hide"]'), null, "only moderators hide notes");
});

test("a moderator hides a note from the board", () => {
  const state = reduceExhibits(initialExhibitState(), {
    type: "exhibit", id: "wall", kind: "board", title: "Wall", notes: [{ id: 3, author: "Kim", authorID: 9, text: "hi", time: 0 }],
  });
  const requests = [];
  const viewer = boardViewer(state.open, {
    session: new FakeSession({ role: "moderator" }), request: (type, fields) => requests.push({ type, ...fields }) && "x1",
    dispatch() {}, current: () => state.open,
  });
  testid(viewer.element, "note-hide").click();
  assert.deepEqual(requests, [{ type: "note_hide", id: "wall", note: 3 }]);
});

test("touch screens are told to tap, keyboards to press X", () => {
  assert.match(hintAction(true), /tap to open/);
  assert.match(hintAction(false), /press X/);
});

// ---- The controller: hint, open, react, close ----

function attach(session) {
  const hint = el("button", { hidden: true, dataset: { testid: "exhibit-hint" } });
  const canvas = el("canvas");
  const dialog = exhibitDialog();
  const walks = [];
  const taps = new Set();
  const input = { walk: (units) => walks.push(units), onTap: (handler) => (taps.add(handler), () => taps.delete(handler)) };
  const toaster = fakeToaster();
  const renderer = fakeRenderer();
  const view = attachExhibits({ session, renderer, input, toaster, elements: { hint, dialog, canvas } });
  attached.push(view);
  return { view, hint, dialog, walks, taps, toaster, renderer };
}

test("in reach of an exhibit the hint names it, and X asks the server to open it", () => {
  const session = new FakeSession({ map: plaza() });
  session.place(44, 10);
  const { view, hint } = attach(session);
  view.check();
  assert.equal(hint.hidden, false);
  assert.equal(hint.dataset.id, "plaza-photo");
  assert.match(hint.textContent, /Plaza photo/);
  press(window, "x", { code: "KeyX" });
  assert.deepEqual(session.sentOf("exhibit_open").map((m) => m.id), ["plaza-photo"]);
  // Out of reach the hint goes away.
  session.place(30, 10);
  view.check();
  assert.equal(hint.hidden, true);
  view.dispose();
});

test("the server's answer opens the overlay with the kind's viewer; reactions and closing send requests", () => {
  const session = new FakeSession({ map: plaza() });
  session.place(44, 10);
  const { view, dialog, toaster, renderer } = attach(session);
  view.check();
  view.open("plaza-photo");
  const ref = session.sentOf("exhibit_open")[0].ref;
  session.emit("exhibit", {
    type: "exhibit", id: "plaza-photo", kind: "photo", title: "Plaza photo", description: "A test photo",
    content: ["/maps/plaza/photo.svg"], state: { viewers: 1, reactions: { cheer: 2 } }, mine: [], notes: [], ref,
  });
  assert.equal(dialog.open, true);
  assert.equal(dialog.dataset.kind, "photo");
  assert.equal(testid(dialog, "exhibit-title").textContent, "Plaza photo");
  assert.equal(testid(dialog, "exhibit-viewers").dataset.count, "1");
  assert.equal(testid(dialog, "react-cheer").dataset.count, "2");
  assert.equal(testid(dialog, "exhibit-image").src, "/maps/plaza/photo.svg");

  testid(dialog, "react-cheer").click();
  const react = session.sentOf("react")[0];
  assert.deepEqual({ id: react.id, reaction: react.reaction, on: react.on }, { id: "plaza-photo", reaction: "cheer", on: true });
  session.emit("reacted", { type: "reacted", id: "plaza-photo", reaction: "cheer", on: true, state: { viewers: 1, reactions: { cheer: 3 } }, ref: react.ref });
  assert.equal(testid(dialog, "react-cheer").getAttribute("aria-pressed"), "true");
  assert.equal(testid(dialog, "react-cheer").dataset.count, "3");

  // Walking away: the server closes it, the visitor is told.
  session.emit("exhibit_closed", { type: "exhibit_closed", id: "plaza-photo" });
  assert.equal(dialog.open, false);
  assert.equal(toaster.shown.at(-1).kind, "info");
  assert.equal(view.snapshot().open, null);

  view.dispose();
  assert.equal(session.listenerCount, 0, "dispose leaves no listener behind");
  assert.equal(renderer.layers.size, 0);
});

test("a tap on an exhibit out of reach walks there and opens it on arrival", () => {
  const session = new FakeSession({ map: plaza() });
  session.place(23, 15);
  const { view, walks, taps } = attach(session);
  const [tap] = taps;
  assert.equal(tap({ x: 46.5 * 64, y: 11 * 64 }), true);
  assert.equal(walks.length, 1);
  assert.equal(session.sentOf("exhibit_open").length, 0);
  session.place(44, 13);
  view.check();
  assert.deepEqual(session.sentOf("exhibit_open").map((m) => m.id), ["plaza-photo"]);
  view.dispose();
});

test("a refused open is shown as an error toast", () => {
  const session = new FakeSession({ map: plaza() });
  session.place(44, 10);
  const { view, toaster } = attach(session);
  view.open("plaza-photo");
  session.emit("error", { type: "error", code: "too_far", ref: session.sentOf("exhibit_open")[0].ref });
  assert.equal(toaster.shown.at(-1).kind, "error");
  assert.match(toaster.shown.at(-1).text, /closer/);
  view.dispose();
});
