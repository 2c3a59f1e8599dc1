// "Come find me" and the invitation's name on the DOM stand-in: the link made from the
// server's answer, copying it, what an arriving friend is told, the registered name.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { domPerTest } from "./dom.mjs";
import { FakeSession } from "./fake-session.mjs";
import { el } from "../../Web/js/dom.js";
import { arrivalText, attachFindMe, findMeLink } from "../../Web/js/find-me.js";
import { invitedName } from "../../Web/js/join.js";

const attached = domPerTest({ beforeEach, afterEach });

function attach(session, clipboard) {
  const elements = { button: el("button"), panel: el("div", { hidden: true }), link: el("input"), copy: el("button"), note: el("p") };
  document.body.append(...Object.values(elements));
  const toasts = [];
  const toaster = { show: (text, options = {}) => toasts.push({ text, kind: options.kind }) };
  const findMe = attachFindMe({ session, elements, toaster, origin: "https://expo.example.org", clipboard });
  attached.push(findMe);
  return { findMe, toasts, ...elements };
}

test("the link names the room instance and the token, escaped", () => {
  const link = findMeLink("https://expo.example.org", { room: "plaza~2", token: "near1.abc.d-_" });
  const url = new URL(link);
  assert.equal(url.pathname, "/");
  assert.equal(url.searchParams.get("room"), "plaza~2");
  assert.equal(url.searchParams.get("near"), "near1.abc.d-_");
});

test("asking sends find_me once, shows the link with how long it works and copies it", async () => {
  const session = new FakeSession();
  const copied = [];
  const parts = attach(session, { writeText: async (text) => copied.push(text) });
  parts.button.click();
  const [sent] = session.sentOf("find_me");
  assert.ok(sent.ref);
  assert.equal(parts.button.disabled, true, "one request at a time");
  // An answer to someone else's request is not ours.
  session.emit("find_me", { type: "find_me", token: "other", room: "plaza", expires: Date.now() + 60000, ref: "x9" });
  assert.equal(parts.panel.hidden, true);
  session.emit("find_me", { type: "find_me", token: "near1.t.s", room: "plaza", expires: Date.now() + 15 * 60000, ref: sent.ref });
  assert.equal(parts.panel.hidden, false);
  assert.equal(parts.button.disabled, false);
  assert.equal(new URL(parts.link.value).searchParams.get("near"), "near1.t.s");
  assert.match(parts.note.textContent, /15 minutes/);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(copied, [parts.link.value]);
  assert.match(parts.toasts.at(-1).text, /Link copied/);
  parts.findMe.dispose();
  assert.equal(session.listenerCount, 0);
});

test("without clipboard access the link stays to copy by hand; a refusal is shown", async () => {
  const session = new FakeSession();
  const parts = attach(session, { writeText: async () => { throw new Error("denied"); } });
  parts.button.click();
  const [first] = session.sentOf("find_me");
  session.emit("find_me", { type: "find_me", token: "t", room: "plaza", expires: Date.now() + 60000, ref: first.ref });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.match(parts.note.textContent, /copy it/);
  parts.button.click();
  const second = session.sentOf("find_me")[1];
  session.emit("error", { type: "error", code: "rate_limited", message: "slow down", ref: second.ref });
  assert.equal(parts.toasts.at(-1).kind, "error");
  assert.equal(parts.button.disabled, false);
});

test("an arriving friend is told whether the link put them next to their friend", () => {
  assert.match(arrivalText({ near: 4 }), /next to your friend/);
  assert.match(arrivalText({}), /expired or your friend has left/);
});

test("the invitation's registered name comes from the server, and nothing when it refuses", async () => {
  const asked = [];
  const answering = (status, body) => async (url) => {
    asked.push(url);
    return { ok: status === 200, status, json: async () => body };
  };
  assert.equal(await invitedName("v1.a.b", "plaza", answering(200, { name: "김민지", role: "participant" })), "김민지");
  const query = new URL(asked[0], "http://x").searchParams;
  assert.equal(new URL(asked[0], "http://x").pathname, "/api/invitation");
  assert.deepEqual([query.get("token"), query.get("room")], ["v1.a.b", "plaza"]);
  assert.equal(await invitedName("v1.a.b", null, answering(403, { code: "bad_token" })), null);
  assert.equal(await invitedName("v1.a.b", null, async () => { throw new Error("offline"); }), null);
});
