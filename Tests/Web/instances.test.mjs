// The instance picker on the DOM stand-in, and the connection's switch: the list from the
// server's `instances`, moving to another instance through the seat endpoint as the same
// person.
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { domPerTest } from "./dom.mjs";
import { FakeSession } from "./fake-session.mjs";
import { el } from "../../Web/js/dom.js";
import { attachInstances, instanceRows, instanceTitle } from "../../Web/js/instances.js";
import { Connection } from "../../Web/js/connection.js";

const attached = domPerTest({ beforeEach, afterEach });

const listed = { type: "instances", room: "plaza", instance: 2, capacity: 4,
  instances: [{ number: 2, population: 1 }, { number: 1, population: 4 }, { number: 3, population: 2 }] };

test("the rows list every instance in order, mark the visitor's and the full ones", () => {
  const rows = instanceRows(listed);
  assert.deepEqual(rows.map((row) => [row.number, row.count, row.mine, row.full]),
    [[1, "4/4", false, true], [2, "1/4", true, false], [3, "2/4", false, false]]);
  assert.match(instanceTitle(listed), /Instance 2 of 3/);
});

test("the picker stays hidden in a room of one instance and moves the visitor on a click", () => {
  const session = new FakeSession();
  const switched = [];
  session.connection = { switchInstance: (number) => { switched.push(number); return true; } };
  const slot = el("div");
  document.body.append(slot);
  const toasts = [];
  const picker = attachInstances({ session, slot, toaster: { show: (text) => toasts.push(text) } });
  attached.push(picker);
  const details = slot.querySelector("details");
  session.emit("instances", { type: "instances", room: "plaza", instance: 1, capacity: 4, instances: [{ number: 1, population: 3 }] });
  assert.equal(details.hidden, true);
  session.emit("instances", listed);
  assert.equal(details.hidden, false);
  const buttons = [...slot.querySelectorAll("button")];
  assert.deepEqual(buttons.map((button) => button.disabled), [true, true, false], "full and own instances cannot be chosen");
  buttons[2].click();
  assert.deepEqual(switched, [3]);
  assert.match(toasts.at(-1), /instance 3/);
  picker.dispose();
  assert.equal(slot.querySelector("details"), null);
  assert.equal(session.listenerCount, 0);
});

test("switching leaves this instance and asks the seat endpoint for the other, with the resume ticket", async () => {
  const sockets = [];
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.sent = [];
      sockets.push(this);
    }
    send(text) { this.sent.push(text); }
    close() { this.closed = true; }
  }
  const seats = [];
  const fetchImpl = async (url) => {
    seats.push(new URL(url));
    const instance = new URL(url).searchParams.get("instance") ?? "1";
    const room = instance === "1" ? "plaza" : `plaza~${instance}`;
    return { ok: true, status: 200, json: async () => ({ type: "seat", path: `/node/a/ws?room=${room}&seat=s${instance}` }) };
  };
  const timers = { setTimeout: () => 0, clearTimeout: () => {}, setInterval: () => 0, clearInterval: () => {} };
  const connection = new Connection({ url: "wss://expo.example.org/ws?room=plaza", hello: () => ({ name: "Mina" }), seats: true,
    WebSocketImpl: FakeSocket, fetchImpl, timers });
  connection.start();
  await new Promise((resolve) => setTimeout(resolve, 0));
  const first = sockets[0];
  first.onopen();
  first.onmessage({ data: JSON.stringify({ type: "welcome", protocol: 1, resume: "res1.ticket", you: { id: 1 }, room: { id: "plaza" } }) });
  assert.equal(connection.isOpen, true);

  assert.equal(connection.switchInstance(2), true);
  assert.deepEqual(JSON.parse(first.sent.at(-1)), { type: "leave" });
  assert.equal(first.closed, true);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(seats.at(-1).searchParams.get("instance"), "2");
  assert.equal(seats.at(-1).searchParams.get("room"), "plaza");
  const second = sockets.at(-1);
  assert.match(second.url, /room=plaza~2&seat=s2/);
  second.onopen();
  assert.equal(JSON.parse(second.sent[0]).resume, "res1.ticket", "the same person in the other instance");
});
