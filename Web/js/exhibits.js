// Exhibits without the DOM: where they are and who is close enough to open one (the
// server's rule, Chebyshev distance in tiles from the avatar's tile to the exhibit's
// rectangle), and the state of what is open, as a reducer over the server's messages
// and the requests this client sent. exhibit-view.js draws it; the Node tests drive it.

export const REACTIONS = [
  { id: "cheer", emoji: "👏", label: "응원해요", english: "Cheer" },
  { id: "like", emoji: "👍", label: "좋아요", english: "Like" },
  { id: "empathy", emoji: "🤝", label: "공감해요", english: "Empathy" },
];
export const REACTION_IDS = REACTIONS.map((reaction) => reaction.id);

export const KINDS = {
  photo: { icon: "🖼️", label: "사진", english: "Photo" },
  comic: { icon: "📖", label: "만화", english: "Comic" },
  webtoon: { icon: "📱", label: "웹툰", english: "Webtoon" },
  video: { icon: "🎬", label: "영상", english: "Video" },
  cardnews: { icon: "🗂️", label: "카드뉴스", english: "Card news" },
  board: { icon: "📝", label: "응원의 벽", english: "Board" },
};

/** A note is 1–300 characters after cleaning (the server trims the ends). */
export const NOTE_MAX = 300;
export const NOTES_PAGE = 20;
/** Notes kept in an open board; older pages beyond this drop the oldest. */
const NOTES_KEPT = 600;
/** Radius when a map leaves it out (Maps/README.md). */
const DEFAULT_RADIUS = 3;

// ---- Where exhibits are ----

/** The exhibits of a parsed map: {id, kind, title, description, radius, rect} (rect in tiles). */
export function exhibitsOf(map) {
  if (!map) return [];
  return map.zones.filter((zone) => zone.kind === "exhibit" && zone.properties.id).map((zone) => ({
    id: String(zone.properties.id),
    kind: String(zone.properties.kind ?? ""),
    title: String(zone.properties.title || zone.name || zone.properties.id),
    description: String(zone.properties.description ?? ""),
    radius: Number.isFinite(Number(zone.properties.radius)) ? Number(zone.properties.radius) : DEFAULT_RADIUS,
    rect: zone.rect,
    pixels: zone.pixels,
  }));
}

/** Tiles from tile (x, y) to a rectangle of tiles, counted like a king's move (0 inside). */
export function tileDistance(rect, x, y) {
  const dx = Math.max(0, rect.x - x, x - (rect.x + rect.width - 1));
  const dy = Math.max(0, rect.y - y, y - (rect.y + rect.height - 1));
  return Math.max(dx, dy);
}

/** The exhibit a visitor on tile (x, y) may open (the nearest in reach), or null. */
export function exhibitInReach(exhibits, x, y) {
  let best = null;
  let bestDistance = Infinity;
  for (const exhibit of exhibits) {
    const distance = tileDistance(exhibit.rect, x, y);
    if (distance <= exhibit.radius && distance < bestDistance) {
      best = exhibit;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The exhibit under a map point (units), for a tap on the map. Exhibits are small, so
 * a quarter of a tile around each counts too.
 */
export function exhibitAtPoint(exhibits, units, unitsPerTile) {
  const tx = units.x / unitsPerTile;
  const ty = units.y / unitsPerTile;
  const slack = 0.25;
  return exhibits.find(({ rect }) =>
    tx >= rect.x - slack && tx < rect.x + rect.width + slack && ty >= rect.y - slack && ty < rect.y + rect.height + slack) ?? null;
}

/**
 * A walkable tile from which the exhibit can be opened, nearest to `from` (a tile), for
 * "tap an exhibit to walk there": one tile inside the radius when it can, so a little
 * drift on arrival still counts, and where no other of `all` is nearer. Null when no
 * such tile exists.
 */
export function approachTile(map, exhibit, from, all = [exhibit]) {
  const { rect } = exhibit;
  let best = null;
  let bestScore = Infinity;
  const reach = Math.max(0, exhibit.radius);
  for (let y = rect.y - reach; y < rect.y + rect.height + reach; y++) {
    for (let x = rect.x - reach; x < rect.x + rect.width + reach; x++) {
      if (map.isBlocked(x, y)) continue;
      const distance = tileDistance(rect, x, y);
      if (distance > reach) continue;
      // Prefer tiles well inside the reach where no other exhibit is nearer (the hint
      // then names this one), then the shortest walk.
      const margin = distance <= Math.max(1, reach - 1) ? 0 : 1000;
      const contested = exhibitInReach(all, x, y)?.id === exhibit.id ? 0 : 500;
      const score = margin + contested + Math.hypot(x - from.x, y - from.y);
      if (score < bestScore) {
        best = { x, y };
        bestScore = score;
      }
    }
  }
  return best;
}

// ---- Notes ----

/**
 * Merges notes into a list, newest first (note ids grow with time), without
 * duplicates; the incoming copy of a note wins.
 */
export function mergeNotes(list, incoming) {
  const byId = new Map();
  for (const note of list) byId.set(note.id, note);
  for (const note of incoming) if (note && note.id !== undefined) byId.set(note.id, note);
  const merged = [...byId.values()].sort((a, b) => b.id - a.id);
  return merged.length > NOTES_KEPT ? merged.slice(0, NOTES_KEPT) : merged;
}

/** The `before` of the next older page: the oldest note shown, or undefined for none. */
export function oldestNoteId(notes) {
  return notes.length ? notes[notes.length - 1].id : undefined;
}

// ---- The state of exhibits, as a reducer ----

const zeroCounts = () => ({ cheer: 0, like: 0, empathy: 0 });

function liveFrom(state) {
  const reactions = zeroCounts();
  for (const id of REACTION_IDS) {
    const value = state?.reactions?.[id];
    if (Number.isFinite(value)) reactions[id] = value;
  }
  return { viewers: Number.isFinite(state?.viewers) ? state.viewers : 0, reactions };
}

export function initialExhibitState() {
  return {
    /** id → {viewers, reactions}: what the server last said about each exhibit. */
    live: {},
    /** The request to open an exhibit waiting for its answer: {id, ref}. */
    opening: null,
    /** The open exhibit, or null. */
    open: null,
    /** The last thing worth telling the visitor: {what, code, id?}; `seq` grows with each. */
    notice: null,
    seq: 0,
  };
}

function withLive(state, id, live) {
  return { ...state, live: { ...state.live, [id]: liveFrom(live) } };
}

function withOpen(state, change) {
  return state.open ? { ...state, open: { ...state.open, ...change } } : state;
}

function notify(state, what, code, extra = {}) {
  return { ...state, notice: { what, code, ...extra }, seq: state.seq + 1 };
}

/**
 * The next state after `action`: a server message (`exhibit`, `exhibit_state`,
 * `exhibit_closed`, `reacted`, `note`, `note_hidden`, `notes`, `error`) or what this
 * client did (`open_request` {id, ref}, `close_request`, `react_request` {reaction, on,
 * ref}, `note_request` {text, ref}, `page_request` {ref}, `hide_request` {note, ref},
 * `seen` — the fresh highlight was shown, `reset`).
 */
export function reduceExhibits(state, action) {
  switch (action.type) {
    case "reset":
      return initialExhibitState();

    case "open_request":
      return { ...state, opening: { id: action.id, ref: action.ref } };

    case "close_request":
      return { ...state, open: null, opening: null };

    case "exhibit": {
      // One exhibit is open at a time: a new one replaces the old without a close.
      const next = withLive(state, action.id, action.state);
      const notes = Array.isArray(action.notes) ? mergeNotes([], action.notes) : [];
      return {
        ...next,
        opening: null,
        open: {
          id: action.id,
          kind: action.kind,
          title: action.title ?? "",
          description: action.description ?? "",
          content: Array.isArray(action.content) ? action.content.filter((url) => typeof url === "string") : [],
          mine: REACTION_IDS.filter((id) => (action.mine ?? []).includes(id)),
          notes,
          // The answer does not say whether older notes exist: unknown until a page says.
          more: notes.length === 0 ? false : null,
          fresh: [],
          pendingReactions: {},
          paging: null,
          post: { state: "idle", ref: null, code: null },
          hiding: {},
        },
      };
    }

    case "exhibit_state":
      return typeof action.id === "string" ? withLive(state, action.id, action) : state;

    case "exhibit_closed": {
      if (!state.open || state.open.id !== action.id) return state;
      return notify({ ...state, open: null }, "closed", "walked_away", { id: action.id });
    }

    case "react_request": {
      if (!state.open) return state;
      return withOpen(state, { pendingReactions: { ...state.open.pendingReactions, [action.reaction]: action.ref } });
    }

    case "reacted": {
      let next = action.state ? withLive(state, action.id, action.state) : state;
      if (next.open?.id === action.id && REACTION_IDS.includes(action.reaction)) {
        const mine = new Set(next.open.mine);
        if (action.on) mine.add(action.reaction);
        else mine.delete(action.reaction);
        const pendingReactions = { ...next.open.pendingReactions };
        delete pendingReactions[action.reaction];
        next = withOpen(next, { mine: REACTION_IDS.filter((id) => mine.has(id)), pendingReactions });
      }
      return next;
    }

    case "note_request":
      return withOpen(state, { post: { state: "sending", ref: action.ref, code: null } });

    case "note": {
      if (!state.open || state.open.id !== action.id || !action.note) return state;
      const open = state.open;
      const ours = action.ref && action.ref === open.post.ref;
      return withOpen(state, {
        notes: mergeNotes(open.notes, [action.note]),
        fresh: [...open.fresh, action.note.id],
        post: ours ? { state: "saved", ref: null, code: null } : open.post,
      });
    }

    case "seen":
      return withOpen(state, { fresh: [] });

    case "hide_request":
      return withOpen(state, { hiding: { ...state.open?.hiding, [action.note]: action.ref } });

    case "note_hidden": {
      if (!state.open || state.open.id !== action.id) return state;
      const hiding = { ...state.open.hiding };
      delete hiding[action.note];
      return withOpen(state, { notes: state.open.notes.filter((note) => note.id !== action.note), hiding });
    }

    case "page_request":
      return withOpen(state, { paging: action.ref });

    case "notes": {
      if (!state.open || state.open.id !== action.id) return state;
      const answered = action.ref && action.ref === state.open.paging;
      return withOpen(state, {
        notes: mergeNotes(state.open.notes, Array.isArray(action.notes) ? action.notes : []),
        more: answered ? Boolean(action.more) : state.open.more,
        paging: answered ? null : state.open.paging,
      });
    }

    case "error":
      return reduceError(state, action);

    default:
      return state;
  }
}

/** An error answers one of our requests when its `ref` is one we are waiting on. */
function reduceError(state, { code, ref }) {
  if (!ref) return state;
  if (state.opening?.ref === ref) {
    // A refused re-open (after a reconnection) closes what was shown.
    const open = state.open?.id === state.opening.id ? null : state.open;
    return notify({ ...state, opening: null, open }, "open", code, { id: state.opening.id });
  }
  const open = state.open;
  if (!open) return state;
  for (const [reaction, pendingRef] of Object.entries(open.pendingReactions)) {
    if (pendingRef === ref) {
      const pendingReactions = { ...open.pendingReactions };
      delete pendingReactions[reaction];
      return notify(withOpen(state, { pendingReactions }), "react", code, { reaction });
    }
  }
  if (open.post.ref === ref) {
    return notify(withOpen(state, { post: { state: "failed", ref: null, code } }), "post", code);
  }
  if (open.paging === ref) {
    return notify(withOpen(state, { paging: null }), "page", code);
  }
  for (const [note, hideRef] of Object.entries(open.hiding)) {
    if (hideRef === ref) {
      const hiding = { ...open.hiding };
      delete hiding[note];
      return notify(withOpen(state, { hiding }), "hide", code);
    }
  }
  return state;
}

/** Whether this error's `ref` belongs to an exhibit request in `state`. */
export function ownsRef(state, ref) {
  if (!ref) return false;
  if (state.opening?.ref === ref) return true;
  const open = state.open;
  if (!open) return false;
  return Object.values(open.pendingReactions).includes(ref) || open.post.ref === ref || open.paging === ref ||
    Object.values(open.hiding).includes(ref);
}
