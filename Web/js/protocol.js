// The Atrium wire protocol, version 1 (Protocol/README.md): the binary move input and
// state message, and the JSON control messages. Pure: no DOM, no sockets, so Node tests
// check it against Protocol/vectors.json.

export const SUBPROTOCOL = "atrium.v1";
export const PROTOCOL_VERSION = 1;
export const UNITS_PER_TILE = 64;

export const ROLES = ["guest", "participant", "presenter", "moderator"];
export const AVATAR_FLAG_SPOTLIGHT = 0x01;
export const AVATAR_FLAG_AWAY = 0x02;
export const AVATAR_FLAG_MIC = 0x04;
export const AVATAR_FLAG_CAMERA = 0x08;
export const AVATAR_FLAG_SPEAKING = 0x10;
export const AVATAR_FLAG_MUTED = 0x20;

const MOVE_KIND = 0x01;
const STATE_KIND = 0x01;
const MODES = ["stop", "direction", "target"];
// A corrupt count must not make the client allocate without limit (the Swift decoder
// uses the same bound).
const MAX_ENTRIES = 65536;

export class ProtocolError extends Error {
  constructor(message) {
    super(message);
    this.name = "ProtocolError";
  }
}

const utf8Encoder = new TextEncoder();
// fatal: a name that is not UTF-8 is a broken message, not something to show as U+FFFD.
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

function bytesOf(input) {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new ProtocolError("expected bytes");
}

function checkInteger(value, min, max, what) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ProtocolError(`${what} must be an integer in ${min}…${max}, got ${value}`);
  }
  return value;
}

class Writer {
  constructor() {
    this.bytes = [];
  }
  u8(value) {
    this.bytes.push(value & 0xff);
  }
  i8(value) {
    this.bytes.push(value & 0xff);
  }
  u16(value) {
    this.bytes.push(value & 0xff, (value >>> 8) & 0xff);
  }
  u32(value) {
    this.bytes.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  }
  varint(value) {
    let rest = value;
    while (rest >= 0x80) {
      this.bytes.push((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    this.bytes.push(rest);
  }
  // At most 255 UTF-8 bytes, cut on a code point boundary, as the server does.
  string8(text) {
    let encoded = utf8Encoder.encode(text);
    if (encoded.length > 255) {
      let kept = 0;
      for (const char of text) {
        const size = utf8Encoder.encode(char).length;
        if (kept + size > 255) break;
        kept += size;
      }
      encoded = encoded.subarray(0, kept);
    }
    this.bytes.push(encoded.length, ...encoded);
  }
  result() {
    return Uint8Array.from(this.bytes);
  }
}

class Reader {
  constructor(bytes, offset) {
    this.bytes = bytes;
    this.offset = offset;
  }
  get remaining() {
    return this.bytes.length - this.offset;
  }
  need(count) {
    if (this.remaining < count) throw new ProtocolError("truncated message");
  }
  u8() {
    this.need(1);
    return this.bytes[this.offset++];
  }
  i8() {
    const value = this.u8();
    return value > 127 ? value - 256 : value;
  }
  u16() {
    this.need(2);
    const b = this.bytes;
    const value = b[this.offset] | (b[this.offset + 1] << 8);
    this.offset += 2;
    return value;
  }
  u32() {
    this.need(4);
    const b = this.bytes;
    const o = this.offset;
    this.offset += 4;
    return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
  }
  // Unsigned LEB128 of at most 32 bits in its shortest form; longer encodings are refused
  // like the server does, so that every value has exactly one encoding.
  varint() {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.u8();
      if (shift >= 32 || (shift === 28 && (byte & 0x70) !== 0)) throw new ProtocolError("varint too long");
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && shift > 0) throw new ProtocolError("varint not in its shortest form");
        return result;
      }
    }
  }
  string8() {
    const length = this.u8();
    this.need(length);
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    try {
      return utf8Decoder.decode(slice);
    } catch {
      throw new ProtocolError("text is not UTF-8");
    }
  }
  // Every entry takes at least one byte, so a count larger than what is left is a lie.
  count() {
    const value = this.varint();
    if (value > Math.min(MAX_ENTRIES, this.remaining)) throw new ProtocolError("count larger than the message");
    return value;
  }
}

// ---- Move input (client → server) ----

/** Encodes `{sequence, intent: {mode: "stop"} | {mode: "direction", dx, dy} | {mode: "target", x, y}}`. */
export function encodeMoveInput({ sequence, intent }) {
  const writer = new Writer();
  writer.u8(MOVE_KIND);
  writer.u32(checkInteger(sequence, 0, 0xffffffff, "sequence"));
  switch (intent.mode) {
    case "stop":
      writer.u8(0);
      break;
    case "direction":
      writer.u8(1);
      writer.i8(checkInteger(intent.dx, -1, 1, "dx"));
      writer.i8(checkInteger(intent.dy, -1, 1, "dy"));
      break;
    case "target":
      writer.u8(2);
      writer.u16(checkInteger(intent.x, 0, 0xffff, "x"));
      writer.u16(checkInteger(intent.y, 0, 0xffff, "y"));
      break;
    default:
      throw new ProtocolError(`unknown intent mode ${intent.mode}`);
  }
  return writer.result();
}

export function decodeMoveInput(input) {
  const bytes = bytesOf(input);
  if (bytes.length === 0) throw new ProtocolError("empty message");
  if (bytes[0] !== MOVE_KIND) throw new ProtocolError(`unknown kind ${bytes[0]}`);
  const reader = new Reader(bytes, 1);
  const sequence = reader.u32();
  const mode = reader.u8();
  let intent;
  if (mode === 0) {
    intent = { mode: "stop" };
  } else if (mode === 1) {
    const dx = reader.i8();
    const dy = reader.i8();
    if (Math.abs(dx) > 1 || Math.abs(dy) > 1) throw new ProtocolError("direction out of range");
    intent = { mode: "direction", dx, dy };
  } else if (mode === 2) {
    intent = { mode: "target", x: reader.u16(), y: reader.u16() };
  } else {
    throw new ProtocolError(`unknown mode ${mode}`);
  }
  if (reader.remaining !== 0) throw new ProtocolError("trailing bytes");
  return { sequence, intent };
}

// ---- State message (server → client) ----

function writeMotion(writer, motion) {
  writer.u16(checkInteger(motion.x, 0, 0xffff, "x"));
  writer.u16(checkInteger(motion.y, 0, 0xffff, "y"));
  writer.i8(checkInteger(motion.vx, -128, 127, "vx"));
  writer.i8(checkInteger(motion.vy, -128, 127, "vy"));
}

function writeInfo(writer, info) {
  writer.u8(checkInteger(info.role, 0, 255, "role"));
  writer.u8(checkInteger(info.flags, 0, 255, "flags"));
  writer.u8(checkInteger(info.appearance, 0, 255, "appearance"));
  writer.u8(checkInteger(info.emote, 0, 255, "emote"));
  writer.string8(info.name);
  writer.string8(info.status);
}

function readMotion(reader) {
  return { x: reader.u16(), y: reader.u16(), vx: reader.i8(), vy: reader.i8() };
}

function readInfo(reader) {
  return {
    role: reader.u8(),
    flags: reader.u8(),
    appearance: reader.u8(),
    emote: reader.u8(),
    name: reader.string8(),
    status: reader.string8(),
  };
}

/** Encodes a state message; the client only needs this for tests and tools. */
export function encodeStateMessage(message) {
  const writer = new Writer();
  const id = (value) => checkInteger(value, 0, 0xffffffff, "id");
  writer.u8(STATE_KIND);
  writer.u8(message.snapshot ? 1 : 0);
  writer.u32(checkInteger(message.tick, 0, 0xffffffff, "tick"));
  writer.u32(checkInteger(message.ack, 0, 0xffffffff, "ack"));
  writer.varint(message.entered.length);
  for (const entry of message.entered) {
    writer.varint(id(entry.id));
    writeMotion(writer, entry.motion);
    writeInfo(writer, entry.info);
  }
  writer.varint(message.moved.length);
  for (const entry of message.moved) {
    writer.varint(id(entry.id));
    writeMotion(writer, entry.motion);
  }
  writer.varint(message.updated.length);
  for (const entry of message.updated) {
    writer.varint(id(entry.id));
    writeInfo(writer, entry.info);
  }
  writer.varint(message.left.length);
  for (const value of message.left) writer.varint(id(value));
  return writer.result();
}

// Bit 0, snapshot. A new flag comes with a new protocol version, never silently.
const KNOWN_STATE_FLAGS = 0x01;

export function decodeStateMessage(input) {
  const bytes = bytesOf(input);
  if (bytes[0] !== STATE_KIND) throw new ProtocolError("not a state message");
  const reader = new Reader(bytes, 1);
  const flags = reader.u8();
  if ((flags & ~KNOWN_STATE_FLAGS) !== 0) throw new ProtocolError(`unknown state flags ${flags}`);
  const message = {
    snapshot: (flags & 1) !== 0,
    tick: reader.u32(),
    ack: reader.u32(),
    entered: [],
    moved: [],
    updated: [],
    left: [],
  };
  for (let n = reader.count(); n > 0; n--) {
    message.entered.push({ id: reader.varint(), motion: readMotion(reader), info: readInfo(reader) });
  }
  for (let n = reader.count(); n > 0; n--) {
    message.moved.push({ id: reader.varint(), motion: readMotion(reader) });
  }
  for (let n = reader.count(); n > 0; n--) {
    message.updated.push({ id: reader.varint(), info: readInfo(reader) });
  }
  for (let n = reader.count(); n > 0; n--) message.left.push(reader.varint());
  if (reader.remaining !== 0) throw new ProtocolError("trailing bytes");
  return message;
}

// ---- JSON messages ----

/** Parses a JSON text frame; refuses anything that is not an object with a string `type`. */
export function decodeJSONMessage(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProtocolError("not JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value) || typeof value.type !== "string") {
    throw new ProtocolError("not a message object");
  }
  return value;
}

// Optional fields are left out rather than sent as null: the server reads a present
// field as a value of its type.
function message(type, fields) {
  const result = { type };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null && value !== "") result[key] = value;
  }
  return JSON.stringify(result);
}

export const messages = {
  hello: ({ name, token, resume, appearance, near }) => message("hello", { name, token, resume, appearance, near }),
  // `ref` is a string (the server keeps at most 64 characters of it).
  chat: ({ scope, text, to, ref }) => message("chat", { scope, text, to, ref }),
  emote: (emote) => message("emote", { emote }),
  // An empty text clears the status, so it must be sent even when empty.
  status: (text) => JSON.stringify({ type: "status", text }),
  who: (limit) => message("who", { limit }),
  ping: (t) => message("ping", { t }),
  leave: () => message("leave", {}),
  // Exhibits, moderation and the quiz: one generic shape, `{type, ...fields, ref}`.
  // `false` and `0` are values and travel; only absent fields are left out.
  request: (type, fields = {}) => message(type, fields),
};
