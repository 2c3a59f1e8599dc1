// The people list on the DOM stand-in: the count kept right as people arrive, search,
// locate, walk to and follow.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { domPerTest } from "./dom.mjs";
import { FakeSession, plaza } from "./fake-session.mjs";
import { el } from "../../Web/js/dom.js";
import { attachPeople, filterPeople } from "../../Web/js/people.js";

const attached = domPerTest({ beforeEach, afterEach });

function attach(session) {
  const elements = { panel: el("details", { open: true }), list: el("ul"), total: el("span"), count: el("span"), search: el("input", { type: "search" }) };
  elements.panel.append(elements.search, elements.list);
  document.body.append(elements.panel, elements.total, elements.count);
  const located = [];
  const walks = [];
  const messaged = [];
  const people = attachPeople({
    session, elements, onDirectMessage: (person) => messaged.push(person), onLocate: (person) => located.push(person),
    walk: (units) => walks.push(units),
  });
  attached.push(people);
  return { people, ...elements, located, walks, messaged };
}

const listing = (total, people) => ({ type: "people", total, people });
const kim = { id: 2, name: "Kim Mina", role: "guest", status: "", away: false, x: 640, y: 640 };
const lee = { id: 3, name: "Lee", role: "presenter", status: "at the stage", away: false, x: 1280, y: 320 };

test("someone coming into view asks for the total again, and the count never shows fewer than are in view", async () => {
  const session = new FakeSession({ map: plaza() });
  const parts = attach(session);
  session.emit("people", listing(1, []));
  assert.equal(parts.count.textContent, "1");
  session.sent.length = 0;
  session.place(24, 16, 2);
  session.emit("world", { entered: [2], left: [] });
  assert.equal(parts.count.textContent, "2", "at once from the mirror");
  assert.equal(parts.total.textContent, "2", "the people panel says the same as the top bar");
  await new Promise((resolve) => setTimeout(resolve, 2100));
  assert.deepEqual(session.sentOf("who").map((m) => m.limit), [200], "then from the server (the list is open)");
});

test("search narrows the list by name, ignoring case and width", () => {
  assert.deepEqual(filterPeople([kim, lee], "  MINA ").map((p) => p.id), [2]);
  assert.deepEqual(filterPeople([kim, lee], "ｌｅｅ").map((p) => p.id), [3]);
  const session = new FakeSession({ map: plaza() });
  const parts = attach(session);
  session.emit("people", listing(3, [{ id: 1, name: "Me", role: "guest", status: "", away: false }, kim, lee]));
  assert.equal(parts.list.querySelectorAll('[data-testid="person"]').length, 3);
  parts.search.type_("lee");
  const shown = [...parts.list.querySelectorAll('[data-testid="person"]')].map((item) => item.dataset.id);
  assert.deepEqual(shown, ["3"]);
  parts.search.type_("nobody");
  assert.match(parts.list.textContent, /No match/);
});

test("locate, walk to and message a person; following walks again until stopped by walking oneself", async () => {
  const session = new FakeSession({ map: plaza() });
  session.place(3, 3);
  const parts = attach(session);
  session.emit("people", listing(2, [kim]));
  const item = parts.list.querySelector('[data-testid="person"]');
  item.querySelector('[data-testid="person-locate"]').click();
  assert.equal(parts.located[0].id, 2);
  item.querySelector('[data-testid="person-walk"]').click();
  assert.deepEqual(parts.walks, [{ x: 640, y: 640 }], "out of view: where the people list said");
  parts.list.querySelector('[data-testid="person-message"]').click();
  assert.equal(parts.messaged[0].name, "Kim Mina");

  parts.list.querySelector('[data-testid="person-follow"]').click();
  assert.equal(parts.people.following, 2);
  assert.equal(parts.list.querySelector('[data-testid="person-follow"]').getAttribute("aria-pressed"), "true");
  session.place(20, 20, 2); // they walked on, now in view
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.deepEqual(parts.walks.at(-1), { x: 20.5 * 64, y: 20.5 * 64 });
  session.move({ mode: "direction", dx: 1, dy: 0 }); // the visitor's own step
  assert.equal(parts.people.following, null);
});
