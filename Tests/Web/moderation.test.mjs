// The moderator panel on the DOM stand-in: shown only to moderators; the quiz controls,
// announcements, the roster with its actions and confirmations, and the toasts.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { domPerTest } from "./dom.mjs";
import { FakeSession, fakeToaster } from "./fake-session.mjs";
import { el } from "../../Web/js/dom.js";
import { attachModeration } from "../../Web/js/moderation.js";
import { quizStatusText } from "../../Web/js/moderation/quiz-controls.js";

const attached = domPerTest({ beforeEach, afterEach });

const testid = (root, id) => root.querySelector(`[data-testid="${id}"]`);

function confirmDialog() {
  return el("dialog", {},
    el("h2", { dataset: { part: "title" } }), el("p", { dataset: { part: "message" } }),
    el("input", { dataset: { part: "reason" } }), el("button", { dataset: { part: "ok" } }));
}

function attach(session) {
  const panel = el("section", { hidden: true });
  const tab = el("button", { hidden: true });
  const confirm = confirmDialog();
  document.body.append(panel, tab, confirm);
  const toaster = fakeToaster();
  const moderation = attachModeration({ session, toaster, elements: { panel, tab, confirm } });
  attached.push(moderation);
  return { moderation, panel, tab, confirm, toaster };
}

test("the panel is for moderators only", () => {
  const visitor = attach(new FakeSession());
  assert.equal(visitor.panel.hidden, true);
  assert.equal(visitor.tab.hidden, true);
  visitor.moderation.dispose();
  const host = attach(new FakeSession({ role: "moderator" }));
  assert.equal(host.panel.hidden, false);
  assert.equal(host.tab.hidden, false);
  host.moderation.dispose();
});

test("opening a quiz sends the chosen set and mode; the answer becomes a toast", () => {
  const session = new FakeSession({ role: "moderator" });
  const { moderation, panel, toaster } = attach(session);
  testid(panel, "mod-quiz-mode-survival").click();
  testid(panel, "mod-quiz-open").click();
  const [open] = session.sentOf("quiz_open");
  assert.deepEqual({ set: open.set, mode: open.mode }, { set: "expo-quiz", mode: "survival" });
  session.emit("mod_ok", { type: "mod_ok", action: "quiz_open", ref: open.ref });
  assert.deepEqual(toaster.shown.at(-1), { text: "✓ 퀴즈를 열었어요 · Quiz opened: expo-quiz", kind: "ok" });
  testid(panel, "mod-quiz-next").click();
  session.emit("error", { type: "error", code: "conflict", message: "no quiz is open", ref: session.sentOf("quiz_next")[0].ref });
  assert.equal(toaster.shown.at(-1).kind, "error");
  assert.match(toaster.shown.at(-1).text, /no quiz is open/);
  moderation.dispose();
  assert.equal(session.listenerCount, 0);
});

test("an announcement is sent once written and within 300 characters", () => {
  const session = new FakeSession({ role: "moderator" });
  const { moderation, panel, toaster } = attach(session);
  const input = testid(panel, "mod-announce-input");
  testid(panel, "mod-announce-send").click();
  assert.equal(session.sentOf("announce").length, 0);
  assert.equal(toaster.shown.at(-1).kind, "error");
  input.type_("Welcome, everyone!");
  testid(panel, "mod-announce-send").click();
  assert.deepEqual(session.sentOf("announce").map((m) => m.text), ["Welcome, everyone!"]);
  assert.equal(input.value, "");
  moderation.dispose();
});

test("the roster lists people with actions; a kick waits for the confirmation and carries its reason", async () => {
  const session = new FakeSession({ role: "moderator" });
  session.place(10, 10);
  const { moderation, panel, confirm } = attach(session);
  session.emit("roster", {
    type: "roster", locked: false, people: [
      { id: 1, name: "Me", role: "moderator" },
      { id: 5, name: "Guest Kim", role: "guest", muted: true },
    ],
  });
  const people = [...panel.querySelectorAll('[data-testid="mod-person"]')];
  assert.equal(people.length, 2);
  assert.equal(people[0].querySelector(".actions"), null, "no actions on oneself");
  assert.equal(testid(people[1], "mod-person-mute").getAttribute("aria-pressed"), "true");
  testid(people[1], "mod-person-mute").click();
  assert.deepEqual(session.sentOf("mute").map((m) => [m.avatar, m.on]), [[5, false]]);
  testid(people[1], "mod-person-teleport").click();
  assert.deepEqual(session.sentOf("teleport").map((m) => [m.avatar, m.x, m.y]), [[5, 672, 672]]);

  testid(people[1], "mod-person-kick").click();
  assert.equal(confirm.open, true);
  assert.equal(session.sentOf("kick").length, 0);
  confirm.querySelector("[data-part=reason]").value = " spam ";
  confirm.close("ok");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(session.sentOf("kick").map((m) => [m.avatar, m.reason]), [[5, "spam"]]);

  // The filter narrows the list by name.
  const filter = panel.querySelector("#mod-filter");
  filter.type_("kim");
  assert.equal(panel.querySelectorAll('[data-testid="mod-person"]').length, 1);
  moderation.dispose();
});

test("the quiz status line says the state and the question number", () => {
  assert.equal(quizStatusText({ state: "asking", index: 2, total: 10 }), "문제 진행 중 · Asking — 3/10");
  assert.equal(quizStatusText({ state: "none", index: -1, total: 0 }), "진행 중인 퀴즈 없음 · No quiz running");
});

test("the full-width console opens over the page and the overview counts people and the fields", () => {
  const session = new FakeSession({ role: "moderator" });
  const world = el("div", { class: "world" });
  const panel = el("section", { hidden: true });
  const tab = el("button", { hidden: true });
  const confirm = el("dialog");
  world.append(panel);
  document.body.append(world, tab, confirm);
  const moderation = attachModeration({
    session, toaster: fakeToaster(), elements: { panel, tab, confirm }, overview: () => ({ crowd: { o: 4, x: 2, none: 1 } }),
  });
  attached.push(moderation);
  session.emit("roster", { type: "roster", locked: false, people: [{ id: 1, name: "Me", role: "moderator" }, { id: 2, name: "Kim", role: "guest" }] });
  assert.match(testid(panel, "mod-overview").textContent, /👥 2명 · people — ⭕ 4 · ❌ 2 · \? 1 \(참가자 · players\)/);
  testid(panel, "mod-console-toggle").click();
  assert.equal(world.dataset.console, "open");
  testid(panel, "mod-console-toggle").click();
  assert.equal(world.dataset.console, "");
});
