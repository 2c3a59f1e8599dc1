// Turns keys, clicks and touches into movement intents. Only changes are sent: holding a
// key sends one direction, releasing every key sends one stop. A click or tap walks to
// that point (the server finds the path); pressing and holding on the map steers
// towards the finger, for phones.

import { isTyping, listen, modalOpen } from "./dom.js";

const KEYS = {
  ArrowLeft: "left", KeyA: "left",
  ArrowRight: "right", KeyD: "right",
  ArrowUp: "up", KeyW: "up",
  ArrowDown: "down", KeyS: "down",
};
/** A press longer than this, or a drag, steers instead of walking to the point. */
const HOLD_MS = 250;
const DRAG_PX = 14;

/**
 * @param {object} options
 * @param {HTMLCanvasElement} options.canvas
 * @param {import("./session.js").Session} options.session
 * @param {import("./renderer.js").Renderer} options.renderer
 * @returns {{walk: (units: {x: number, y: number}) => void, onTap: (handler: (units: {x: number, y: number}) => boolean) => () => void, resync: () => void, dispose: () => void}}
 */
export function attachInput({ canvas, session, renderer }) {
  const held = new Set();
  let sent = null; // "dx,dy" of the last direction sent, "0,0" for stop
  let pointer = null;
  /** Features that want taps on the map (an exhibit): a handler returning true takes the tap. */
  const tapHandlers = new Set();

  function send(dx, dy) {
    const key = `${dx},${dy}`;
    if (key === sent) return;
    const intent = dx === 0 && dy === 0 ? { mode: "stop" } : { mode: "direction", dx, dy };
    if (session.move(intent)) sent = key;
  }

  /** A direction held on the on-screen joystick, or null. */
  let stick = null;

  function fromKeys() {
    if (stick) {
      send(stick.dx, stick.dy);
      return;
    }
    const dx = (held.has("right") ? 1 : 0) - (held.has("left") ? 1 : 0);
    const dy = (held.has("down") ? 1 : 0) - (held.has("up") ? 1 : 0);
    send(dx, dy);
  }

  function releaseAll() {
    held.clear();
    if (pointer?.steering) pointer = null;
    if (sent !== null && sent !== "0,0") send(0, 0);
  }

  const onKeyDown = (event) => {
    const direction = KEYS[event.code];
    if (!direction || isTyping(event) || event.ctrlKey || event.metaKey || event.altKey || modalOpen()) return;
    // Arrows would scroll the page or move between radio buttons.
    event.preventDefault();
    if (event.repeat && held.has(direction)) return;
    held.add(direction);
    fromKeys();
  };
  const onKeyUp = (event) => {
    const direction = KEYS[event.code];
    if (!direction || !held.has(direction)) return;
    held.delete(direction);
    fromKeys();
  };

  /** Walks to a map position (units): a click, a tap, or the minimap. */
  function walk(units) {
    const room = session.room;
    if (!room) return;
    const target = {
      mode: "target",
      x: Math.round(Math.min(Math.max(units.x, 0), room.width * room.unitsPerTile - 1)),
      y: Math.round(Math.min(Math.max(units.y, 0), room.height * room.unitsPerTile - 1)),
    };
    if (session.move(target)) {
      // A walk to a point replaces any direction; the next key press must be sent.
      sent = null;
      renderer.markTarget(target);
    }
  }

  // Steering: the direction from the own avatar to the finger, in eight sectors.
  function steer() {
    const me = session.myPosition();
    if (!pointer || !me) return;
    const at = renderer.screenToUnits(pointer.x, pointer.y);
    const vx = at.x - me.x;
    const vy = at.y - me.y;
    if (Math.hypot(vx, vy) < session.unitsPerTile * 0.4) {
      send(0, 0);
      return;
    }
    const angle = Math.atan2(vy, vx);
    const sector = Math.round(angle / (Math.PI / 4));
    send(Math.round(Math.cos(sector * (Math.PI / 4))), Math.round(Math.sin(sector * (Math.PI / 4))));
  }

  const onPointerDown = (event) => {
    if (event.button !== 0) return;
    canvas.setPointerCapture(event.pointerId);
    canvas.focus({ preventScroll: true });
    pointer = { id: event.pointerId, x: event.clientX, y: event.clientY, startX: event.clientX, startY: event.clientY, steering: false };
    pointer.timer = setTimeout(() => {
      if (pointer) {
        pointer.steering = true;
        steer();
      }
    }, HOLD_MS);
  };
  const onPointerMove = (event) => {
    if (!pointer || event.pointerId !== pointer.id) return;
    pointer.x = event.clientX;
    pointer.y = event.clientY;
    if (!pointer.steering && Math.hypot(pointer.x - pointer.startX, pointer.y - pointer.startY) > DRAG_PX) pointer.steering = true;
    if (pointer.steering) steer();
  };
  const onPointerUp = (event) => {
    if (!pointer || event.pointerId !== pointer.id) return;
    clearTimeout(pointer.timer);
    const wasSteering = pointer.steering;
    pointer = null;
    if (wasSteering) {
      fromKeys();
      return;
    }
    const units = renderer.screenToUnits(event.clientX, event.clientY);
    for (const handler of tapHandlers) if (handler(units)) return;
    walk(units);
  };
  const onPointerCancel = () => {
    if (!pointer) return;
    clearTimeout(pointer.timer);
    pointer = null;
    fromKeys();
  };
  // While steering, the avatar moves under the finger, so the direction is re-aimed.
  const steerTimer = setInterval(() => pointer?.steering && steer(), 100);

  const disposers = [
    listen(window, "keydown", onKeyDown),
    listen(window, "keyup", onKeyUp),
    // A key released while the window had no focus never sends keyup.
    listen(window, "blur", releaseAll),
    listen(document, "visibilitychange", () => document.hidden && releaseAll()),
    listen(canvas, "pointerdown", onPointerDown),
    listen(canvas, "pointermove", onPointerMove),
    listen(canvas, "pointerup", onPointerUp),
    listen(canvas, "pointercancel", onPointerCancel),
    listen(canvas, "contextmenu", (event) => event.preventDefault()),
    () => clearInterval(steerTimer),
  ];

  return {
    walk,
    /** The on-screen joystick's direction; (0, 0) lets go. */
    setDirection(dx, dy) {
      stick = dx === 0 && dy === 0 ? null : { dx, dy };
      fromKeys();
    },
    onTap(handler) {
      tapHandlers.add(handler);
      return () => tapHandlers.delete(handler);
    },
    /** After a (re)connection: the server forgot the intent, so send what is held now. */
    resync() {
      sent = null;
      if (held.size > 0) fromKeys();
      else sent = "0,0";
    },
    dispose() {
      for (const dispose of disposers) dispose();
    },
  };
}
