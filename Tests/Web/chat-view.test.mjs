// The chat panel on the DOM stand-in: scopes and who hears, own messages followed to
// the server's copy, "nobody heard this", errors, retries, direct messages.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { domPerTest, press } from "./dom.mjs";
import { FakeSession, fakeRenderer, plaza } from "./fake-session.mjs";
import { el } from "../../Web/js/dom.js";
import { attachChat } from "../../Web/js/chat.js";

const attached = domPerTest({ beforeEach, afterEach });

function attach(session, options = {}) {
  const input = el("input", { dataset: { testid: "chat-input" } });
  const elements = {
    log: el("ol"), form: el("form", {}, input), input, scopes: el("fieldset"), audience: el("p"), dmTarget: el("p", { hidden: true }),
    announcer: el("div"), alerts: el("div"), canvas: el("canvas"),
  };
  document.body.append(...Object.values(elements));
  const renderer = fakeRenderer();
  const chat = attachChat({ session, elements, renderer, ...options });
  attached.push(chat);
  return { chat, ...elements, renderer };
}

const entries = (log) => [...log.querySelectorAll('[data-testid="chat-entry"]')];
const say = (parts, text) => {
  parts.input.value = text;
  parts.form.requestSubmit();
};

test("a message shows at once as sending and becomes delivered when the server's copy comes back", () => {
  const session = new FakeSession({ map: plaza() });
  session.place(23, 15);
  session.place(25, 15, 2);
  const parts = attach(session);
  say(parts, "  안녕하세요  ");
  const [sent] = session.sentOf("chat");
  assert.deepEqual({ scope: sent.scope, text: sent.text }, { scope: "nearby", text: "안녕하세요" });
  const [entry] = entries(parts.log);
  assert.equal(entry.dataset.state, "pending");
  assert.equal(entry.dataset.ref, sent.ref);
  assert.equal(parts.input.value, "");
  session.emit("chat", { type: "chat", from: { id: 1, name: "Me" }, scope: "nearby", text: "안녕하세요", time: 0, ref: sent.ref, heard: 1 });
  assert.equal(entry.dataset.state, "delivered");
  assert.equal(entry.dataset.heard, "1");
  assert.match(entry.textContent, /heard by 1/);
  assert.deepEqual(parts.renderer.said, [[1, "안녕하세요"]], "said out loud: a bubble over the speaker");
  parts.chat.dispose();
  assert.equal(session.listenerCount, 0);
});

test("when the server counts nobody who heard it, the message says so, whatever the client saw", () => {
  const session = new FakeSession({ map: plaza() });
  session.place(23, 15);
  session.place(40, 15, 2); // 17 tiles away: beyond the chat radius of 6
  const parts = attach(session);
  parts.chat.refreshAudience();
  assert.match(parts.audience.textContent, /nobody within 6 tiles/);
  say(parts, "hello?");
  say(parts, "anyone now?");
  const [first, second] = session.sentOf("chat");
  session.emit("chat", { type: "chat", from: { id: 1, name: "Me" }, scope: "nearby", text: "hello?", time: 0, ref: first.ref, heard: 0 });
  // Someone walked into earshot the client had not seen yet: the server's count wins.
  session.emit("chat", { type: "chat", from: { id: 1, name: "Me" }, scope: "nearby", text: "anyone now?", time: 0, ref: second.ref, heard: 2 });
  const [unheard, heard] = entries(parts.log);
  assert.equal(unheard.dataset.state, "unheard");
  assert.match(unheard.textContent, /nobody heard this/);
  assert.equal(heard.dataset.state, "delivered");
  assert.match(heard.textContent, /heard by 2/);
  parts.chat.dispose();
});

test("a refused message says why and offers a retry that sends it again", () => {
  const session = new FakeSession({ map: plaza() });
  session.place(23, 15);
  const parts = attach(session);
  say(parts, "too fast");
  const [first] = session.sentOf("chat");
  session.emit("error", { type: "error", code: "rate_limited", ref: first.ref });
  const [entry] = entries(parts.log);
  assert.equal(entry.dataset.state, "failed");
  assert.match(parts.alerts.textContent, /Too fast/);
  entry.querySelector(".retry").click();
  assert.equal(session.sentOf("chat").length, 2);
  assert.equal(entries(parts.log).length, 1, "the failed entry makes way for the new one");
  parts.chat.dispose();
});

test("a dropped connection marks what was not acknowledged as unconfirmed", () => {
  const session = new FakeSession({ map: plaza() });
  session.place(23, 15);
  const parts = attach(session);
  say(parts, "are you there");
  session.emit("connection", { state: "reconnecting" });
  assert.equal(entries(parts.log)[0].dataset.state, "unconfirmed");
  parts.chat.dispose();
});

test("messages from others are announced and counted unread while the chat is hidden", () => {
  const session = new FakeSession({ map: plaza() });
  const unread = [];
  const parts = attach(session, { isShown: () => false, onUnread: (count) => unread.push(count) });
  session.emit("chat", { type: "chat", from: { id: 7, name: "Mina" }, scope: "nearby", text: "hi", time: 0 });
  assert.match(parts.announcer.textContent, /Mina/);
  assert.deepEqual(unread, [1]);
  // Pressing the sender's name starts a direct message to them.
  entries(parts.log)[0].querySelector("button.sender").click();
  assert.equal(parts.dmTarget.hidden, false);
  assert.match(parts.dmTarget.textContent, /Mina/);
  say(parts, "psst");
  const dm = session.sentOf("chat")[0];
  assert.deepEqual({ scope: dm.scope, to: dm.to }, { scope: "dm", to: 7 });
  parts.chat.dispose();
});

test("the room scope is offered to moderators only; Enter on the page opens the chat", () => {
  const visitor = attach(new FakeSession());
  assert.equal(visitor.scopes.querySelector('[data-testid="scope-room"]').hidden, true);
  press(window, "Enter");
  assert.equal(document.activeElement, visitor.input);
  visitor.chat.dispose();
  const moderator = attach(new FakeSession({ role: "moderator" }));
  assert.equal(moderator.scopes.querySelector('[data-testid="scope-room"]').hidden, false);
  moderator.chat.dispose();
});
