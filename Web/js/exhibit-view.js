// Exhibits on screen: the hint when one is in reach, X or a tap to open it, the overlay
// (exhibit/overlay.js, with a viewer per kind from exhibit/viewers.js), walking to a
// tapped exhibit and opening it on arrival, and the viewers count drawn on the map. The
// state lives in exhibits.js; this module feeds it and draws it.

import {
  approachTile, exhibitAtPoint, exhibitInReach, exhibitsOf, initialExhibitState, ownsRef, reduceExhibits, tileDistance,
} from "./exhibits.js";
import { isTyping, listen, modalOpen } from "./dom.js";
import { errorText } from "./text.js";
import { createOverlay } from "./exhibit/overlay.js";
import { reachFrom, renderHint } from "./exhibit/reach.js";

const CHECK_MS = 150;
const SERVER_TYPES = ["exhibit", "exhibit_state", "exhibit_closed", "reacted", "note", "note_hidden", "notes"];

function errorFor(code) {
  if (code === "not_found") return errorText("exhibit_not_found");
  return errorText(code);
}

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {import("./renderer.js").Renderer} options.renderer
 * @param {{walk: Function, onTap: Function}} options.input
 * @param {{show: Function}} options.toaster
 * @param {object} options.elements hint (a button), dialog (the overlay <dialog>), canvas
 */
export function attachExhibits({ session, renderer, input, toaster, elements }) {
  const { hint, dialog, canvas } = elements;
  let state = initialExhibitState();
  let exhibits = exhibitsOf(session.map);
  let reach = null;
  /** Walking to an exhibit that was tapped: opened on arrival. */
  let autoOpen = null;
  let ownWalk = false;

  const overlay = createOverlay({
    dialog,
    canvas,
    context: { session, request, dispatch, current: () => state.open },
    onReact: react,
  });

  // ---- State ----

  function dispatch(action) {
    const previous = state;
    state = reduceExhibits(state, action);
    render(previous);
  }

  function request(type, fields) {
    const ref = session.request(type, fields, "x");
    if (!ref) toaster.show("연결되지 않았어요 · Not connected.", { kind: "error" });
    return ref;
  }

  function openExhibit(id) {
    if (state.opening || state.open?.id === id) return;
    const ref = request("exhibit_open", { id });
    if (ref) dispatch({ type: "open_request", id, ref });
  }

  function closeByVisitor() {
    if (!state.open) return;
    session.send("exhibit_close");
    dispatch({ type: "close_request" });
  }

  function react(reaction) {
    const open = state.open;
    if (!open || open.pendingReactions[reaction]) return;
    const on = !open.mine.includes(reaction);
    overlay.status("");
    const ref = request("react", { id: open.id, reaction, on });
    if (ref) dispatch({ type: "react_request", reaction, on, ref });
  }

  // ---- Rendering ----

  function render(previous) {
    const open = state.open;
    if (open && open.id !== overlay.shownId) overlay.show(open);
    if (!open && overlay.shownId !== null) overlay.hide();
    if (open) overlay.update(open, state.live[open.id]);
    hint.setAttribute("aria-busy", String(Boolean(state.opening)));
    hint.hidden = !reach || Boolean(state.open);
    if (state.seq !== previous.seq && state.notice) tell(state.notice);
  }

  function tell(notice) {
    switch (notice.what) {
      case "open":
        toaster.show(errorFor(notice.code), { kind: "error" });
        break;
      case "closed":
        toaster.show("전시물에서 멀어져서 닫혔어요 · You walked away, so the exhibit closed.", { kind: "info" });
        break;
      case "react":
        overlay.status(`반응을 남기지 못했어요 · The reaction was not saved: ${errorText(notice.code)}`);
        break;
      case "hide":
        toaster.show(notice.code === "not_found" ? errorText("note_not_found") : errorText(notice.code), { kind: "error" });
        break;
      default:
        overlay.notice(notice); // post and page errors show in the board itself
        break;
    }
  }

  // ---- Where the visitor stands: the hint, tap to open, walking to a tapped exhibit ----

  function myTile() {
    const me = session.myPosition();
    if (!me) return null;
    return { x: Math.floor(me.x / session.unitsPerTile), y: Math.floor(me.y / session.unitsPerTile) };
  }

  function check() {
    const next = session.map ? reachFrom(exhibits, session.myPosition(), session.unitsPerTile) : null;
    if (next?.id !== reach?.id) {
      reach = next;
      if (reach) renderHint(hint, reach);
    }
    hint.hidden = !reach || Boolean(state.open);
    const tile = myTile();
    if (autoOpen && tile && !state.open && !state.opening) {
      const target = exhibits.find((exhibit) => exhibit.id === autoOpen);
      // Open once well inside the reach, or once arrived: at its edge the server, a tick
      // behind what is drawn, may still find the avatar too far.
      const me = session.me;
      const arrived = me && me.vx === 0 && me.vy === 0;
      const inside = target && tileDistance(target.rect, tile.x, tile.y) <= Math.max(0, target.radius - 1);
      if (target && exhibitInReach([target], tile.x, tile.y) && (inside || arrived)) {
        autoOpen = null;
        openExhibit(target.id);
      }
    }
  }

  /** Walks to a spot from which `exhibit` opens, and opens it on arrival; false when there is none. */
  function walkTo(exhibit) {
    const tile = myTile();
    if (!tile || !session.map) return false;
    if (exhibitInReach([exhibit], tile.x, tile.y)) {
      openExhibit(exhibit.id);
      return true;
    }
    const spot = approachTile(session.map, exhibit, tile, exhibits);
    if (!spot) return false;
    ownWalk = true;
    input.walk({ x: (spot.x + 0.5) * session.unitsPerTile, y: (spot.y + 0.5) * session.unitsPerTile });
    ownWalk = false;
    autoOpen = exhibit.id;
    return true;
  }

  function onTap(units) {
    const exhibit = exhibitAtPoint(exhibits, units, session.unitsPerTile);
    return exhibit ? walkTo(exhibit) : false;
  }

  // ---- The map layer: which exhibit is in reach, and how many look at each ----

  const offLayer = renderer.addLayer((ctx, { zoom, now }) => {
    for (const exhibit of exhibits) {
      const { x, y, width, height } = exhibit.pixels;
      if (reach?.id === exhibit.id && !state.open) {
        const pulse = 0.55 + 0.35 * Math.sin(now / 260);
        ctx.strokeStyle = `rgba(230,150,20,${pulse})`;
        ctx.lineWidth = 3 / zoom;
        ctx.strokeRect(x - 3 / zoom, y - 3 / zoom, width + 6 / zoom, height + 6 / zoom);
      }
      const live = state.live[exhibit.id];
      if (live && live.viewers > 0) {
        renderer.drawLabel(ctx, `👀 ${live.viewers}`, x + width, y, { size: 10.5, colour: "#ffffff", background: "rgba(31,59,115,0.92)" });
      }
    }
  });

  // ---- Events ----

  const disposers = [
    ...SERVER_TYPES.map((type) => session.on(type, (message) => dispatch(message))),
    session.on("error", (error) => {
      if (ownsRef(state, error.ref)) dispatch(error);
    }),
    session.on("welcome", ({ first }) => {
      if (first) {
        dispatch({ type: "reset" });
        return;
      }
      // After a reconnection the server may have forgotten what was open: ask again.
      if (state.open) {
        const ref = session.request("exhibit_open", { id: state.open.id }, "x");
        if (ref) dispatch({ type: "open_request", id: state.open.id, ref });
      }
    }),
    session.on("move", () => {
      if (!ownWalk) autoOpen = null;
    }),
    input.onTap(onTap),
    offLayer,
    listen(hint, "click", () => reach && openExhibit(reach.id)),
    listen(window, "keydown", (event) => {
      if (event.code !== "KeyX" || event.repeat || isTyping(event) || event.ctrlKey || event.metaKey || event.altKey || modalOpen()) return;
      if (!reach) return;
      event.preventDefault();
      openExhibit(reach.id);
    }),
    listen(dialog, "keydown", (event) => {
      if (isTyping(event) || event.target.closest?.("video")) return;
      if (overlay.onKey(event)) event.preventDefault();
    }),
    listen(overlay.closeButton, "click", () => closeByVisitor()),
    // Escape, or anything else that closes the dialog, closes the exhibit.
    listen(dialog, "close", () => {
      if (state.open) closeByVisitor();
      if (overlay.shownId !== null) overlay.hide();
    }),
    // A click on the backdrop (outside the dialog's box) closes it too.
    listen(dialog, "click", (event) => {
      if (event.target !== dialog) return;
      const rect = dialog.getBoundingClientRect();
      const inside = event.clientX >= rect.left && event.clientX <= rect.right && event.clientY >= rect.top && event.clientY <= rect.bottom;
      if (!inside) closeByVisitor();
    }),
  ];
  const timer = setInterval(check, CHECK_MS);

  return {
    setMap(map) {
      exhibits = exhibitsOf(map);
      check();
    },
    /** Opens exhibit `id` (the visitor must be in reach). */
    open: openExhibit,
    close: closeByVisitor,
    /** Walks to exhibit `id` and opens it on arrival (the directory, a tap). */
    walkTo(id) {
      const exhibit = exhibits.find((candidate) => candidate.id === id);
      return exhibit ? walkTo(exhibit) : false;
    },
    /** Re-reads where the visitor stands now (tests call it instead of waiting for the timer). */
    check,
    /** For window.atrium: what is open and what is in reach. */
    snapshot() {
      const open = state.open;
      const live = open ? state.live[open.id] : null;
      return {
        open: open ? {
          id: open.id, kind: open.kind, title: open.title, viewers: live?.viewers ?? 0,
          reactions: { ...(live?.reactions ?? {}) }, mine: [...open.mine], notes: open.notes.length,
        } : null,
        inReach: reach?.id ?? null,
        live: JSON.parse(JSON.stringify(state.live)),
      };
    },
    dispose() {
      clearInterval(timer);
      for (const dispose of disposers) dispose();
      state = initialExhibitState();
      if (overlay.shownId !== null) overlay.hide();
      hint.hidden = true;
    },
  };
}
