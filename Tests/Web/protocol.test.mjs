// Checks Web/js/protocol.js against the shared vectors in Protocol/vectors.json, which
// the Swift tests check too: every hex decodes to its value and the value encodes back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  decodeMoveInput,
  encodeMoveInput,
  decodeStateMessage,
  encodeStateMessage,
  decodeJSONMessage,
  messages,
  ProtocolError,
} from "../../Web/js/protocol.js";

const vectors = JSON.parse(readFileSync(new URL("../../Protocol/vectors.json", import.meta.url), "utf8"));

const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
const toHex = (bytes) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

test("the vectors file has every section", () => {
  for (const key of ["moveInput", "stateMessage", "invalidMoveInput", "invalidStateMessage"]) {
    assert.ok(vectors[key].length > 0, key);
  }
});

for (const vector of vectors.moveInput) {
  test(`move input decodes: ${vector.name}`, () => {
    assert.deepEqual(decodeMoveInput(fromHex(vector.hex)), vector.value);
  });
  test(`move input encodes: ${vector.name}`, () => {
    assert.equal(toHex(encodeMoveInput(vector.value)), vector.hex);
  });
}

for (const vector of vectors.stateMessage) {
  test(`state message decodes: ${vector.name}`, () => {
    assert.deepEqual(decodeStateMessage(fromHex(vector.hex)), vector.value);
  });
  test(`state message encodes: ${vector.name}`, () => {
    assert.equal(toHex(encodeStateMessage(vector.value)), vector.hex);
  });
  test(`state message decodes from an ArrayBuffer: ${vector.name}`, () => {
    // WebSocket hands binary frames over as ArrayBuffers (binaryType = "arraybuffer").
    const buffer = fromHex(vector.hex).buffer;
    assert.deepEqual(decodeStateMessage(buffer), vector.value);
  });
}

for (const vector of vectors.invalidMoveInput) {
  test(`invalid move input is refused: ${vector.name}`, () => {
    assert.throws(() => decodeMoveInput(fromHex(vector.hex)), ProtocolError);
  });
}

for (const vector of vectors.invalidStateMessage) {
  test(`invalid state message is refused: ${vector.name}`, () => {
    assert.throws(() => decodeStateMessage(fromHex(vector.hex)), ProtocolError);
  });
}

test("a varint longer than 32 bits is refused", () => {
  // One entry count of 2^35 encoded in six bytes.
  assert.throws(() => decodeStateMessage(fromHex("0100000000000000008080808080010000000000")), ProtocolError);
});

test("large varints round-trip", () => {
  const value = { snapshot: false, tick: 1, ack: 2, entered: [], moved: [], updated: [], left: [0, 127, 128, 16384, 4294967295] };
  assert.deepEqual(decodeStateMessage(encodeStateMessage(value)), value);
});

test("encoding refuses values the wire cannot carry", () => {
  assert.throws(() => encodeMoveInput({ sequence: -1, intent: { mode: "stop" } }), ProtocolError);
  assert.throws(() => encodeMoveInput({ sequence: 1, intent: { mode: "direction", dx: 2, dy: 0 } }), ProtocolError);
  assert.throws(() => encodeMoveInput({ sequence: 1, intent: { mode: "target", x: 65536, y: 0 } }), ProtocolError);
  assert.throws(() => encodeMoveInput({ sequence: 1, intent: { mode: "jump" } }), ProtocolError);
});

test("names longer than 255 UTF-8 bytes are cut on a character boundary", () => {
  const name = "가".repeat(90); // 270 bytes
  const value = {
    snapshot: false, tick: 1, ack: 0,
    entered: [{ id: 1, motion: { x: 0, y: 0, vx: 0, vy: 0 }, info: { role: 0, flags: 0, appearance: 0, emote: 0, name, status: "" } }],
    moved: [], updated: [], left: [],
  };
  const decoded = decodeStateMessage(encodeStateMessage(value));
  assert.equal(decoded.entered[0].info.name, "가".repeat(85));
});

test("JSON messages: helpers leave out absent fields and decoding refuses non-messages", () => {
  assert.deepEqual(JSON.parse(messages.hello({ name: "Mina", token: "", resume: undefined, appearance: 3 })),
    { type: "hello", name: "Mina", appearance: 3 });
  assert.deepEqual(JSON.parse(messages.chat({ scope: "dm", text: "hi", to: 7, ref: "r1" })),
    { type: "chat", scope: "dm", text: "hi", to: 7, ref: "r1" });
  assert.deepEqual(JSON.parse(messages.status("")), { type: "status", text: "" });
  assert.deepEqual(JSON.parse(messages.leave()), { type: "leave" });
  assert.equal(decodeJSONMessage('{"type":"pong","t":1}').t, 1);
  assert.throws(() => decodeJSONMessage("[1]"), ProtocolError);
  assert.throws(() => decodeJSONMessage('{"t":1}'), ProtocolError);
  assert.throws(() => decodeJSONMessage("{"), ProtocolError);
});
