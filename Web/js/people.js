// The people list, from `who`: asked when the panel opens and every ten seconds while
// it stays open; the room's total (`limit: 0`, which costs the server no list) is asked
// whenever someone comes into or leaves view, and every ten seconds otherwise, so the
// count is right as people arrive. A search box narrows the list; each person can be
// located (the camera pans to them and their avatar pulses), walked to, followed or
// messaged.

import { el, listen } from "./dom.js";
import { ROLE_TEXT } from "./text.js";

const REFRESH_MS = 10000;
const TOTAL_EVERY_MS = 10000;
/** After someone enters or leaves view, the total is asked again this soon (many changes, one question). */
const TOTAL_SOON_MS = 2000;
const LIST_LIMIT = 200;
/** Following re-aims the walk this often, and stops this close (tiles). */
const FOLLOW_EVERY_MS = 1000;
const FOLLOW_NEAR_TILES = 2;

/** The people whose name contains `query` (case and width insensitive). */
export function filterPeople(people, query) {
  const needle = query.normalize("NFKC").trim().toLocaleLowerCase();
  if (!needle) return people;
  return people.filter((person) => person.name.normalize("NFKC").toLocaleLowerCase().includes(needle));
}

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {object} options.elements panel (a <details>), list, total, count, search (an input, optional)
 * @param {(person: {id: number, name: string}) => void} options.onDirectMessage
 * @param {(person: object) => void} [options.onLocate] pan to a person (the renderer)
 * @param {(units: {x: number, y: number}) => void} [options.walk] walk to a point (input)
 * @param {() => boolean} [options.isShown] whether the list is on screen (phones show it as a sheet)
 */
export function attachPeople({ session, elements, onDirectMessage, onLocate = () => {}, walk = () => {}, isShown }) {
  const { panel, list, total, count, search } = elements;
  const shown = isShown ?? (() => panel.open);
  let lastTotalAsk = 0;
  let people = [];
  let soon = null;
  /** The person being followed: {id, name}. */
  let following = null;
  let ownMove = false;

  function refresh() {
    if (shown()) session.who(LIST_LIMIT);
    else session.who(0);
    lastTotalAsk = Date.now();
  }

  function refreshSoon() {
    if (soon) return;
    soon = setTimeout(() => {
      soon = null;
      refresh();
    }, TOTAL_SOON_MS);
  }

  /** Where a person is now: from the mirror when in view, else from the last `people`. */
  function whereIs(person) {
    const mirrored = session.world.avatars.has(person.id) ? session.avatarPosition(person.id) : null;
    if (mirrored) return mirrored;
    const listed = people.find((entry) => entry.id === person.id);
    return Number.isFinite(listed?.x) && Number.isFinite(listed?.y) ? { x: listed.x, y: listed.y } : null;
  }

  function walkTo(person) {
    const target = whereIs(person);
    if (!target) return false;
    ownMove = true;
    walk(target);
    ownMove = false;
    return true;
  }

  function follow(person) {
    following = following?.id === person.id ? null : { id: person.id, name: person.name };
    if (following) walkTo(following);
    render();
  }

  function followStep() {
    if (!following) return;
    const target = whereIs(following);
    const me = session.myPosition();
    if (!target) return;
    if (me && Math.hypot(target.x - me.x, target.y - me.y) <= FOLLOW_NEAR_TILES * session.unitsPerTile) return;
    walkTo(following);
  }

  function item(person) {
    const mine = person.id === session.world.selfId;
    const action = (name, text, label, onclick, extra = {}) => el("button", {
      type: "button", class: `person-action person-${name}`, dataset: { testid: `person-${name}` }, "aria-label": `${label}: ${person.name}`, text, onclick, ...extra,
    });
    return el("li", { class: person.away ? "away" : "", dataset: { testid: "person", id: person.id } },
      el("span", { class: "person" },
        el("span", { class: "person-name" }, `${person.name}${mine ? " (나 · me)" : ""}`,
          person.role !== "participant" && person.role !== "guest" ? el("span", { class: "role", text: ROLE_TEXT[person.role] ?? person.role }) : null),
        el("span", { class: "person-status", text: person.away ? `자리 비움 · away${person.status ? ` — ${person.status}` : ""}` : person.status })),
      mine ? null : el("span", { class: "person-actions" },
        action("locate", "📍", "찾기 · Locate", () => onLocate(person)),
        action("walk", "🚶", "걸어가기 · Walk to", () => walkTo(person)),
        action("follow", "👣", following?.id === person.id ? "따라가기 멈춤 · Stop following" : "따라가기 · Follow", () => follow(person),
          { "aria-pressed": String(following?.id === person.id) }),
        person.away ? null : action("message", "💬", "귓속말 · Message", () => onDirectMessage(person))));
  }

  function render() {
    const query = search?.value ?? "";
    const matching = filterPeople(people, query);
    list.replaceChildren(...matching.map(item));
    if (query && !matching.length) list.append(el("li", { class: "people-more", text: "찾는 이름이 없어요 · No match" }));
    const missing = Number(total.textContent) - people.length;
    if (!query && missing > 0) list.append(el("li", { class: "people-more", text: `외 ${missing}명 · and ${missing} more` }));
  }

  let lastTotal = 0;
  /**
   * The room's count, in the top bar and on the people panel alike: the last total, but
   * never fewer than the avatars in view right now (the two used to disagree for the two
   * seconds before the next `who`).
   */
  function showCount() {
    const value = Math.max(lastTotal, session.world.avatars.size);
    if (count.dataset.count === String(value)) return;
    count.textContent = String(value);
    count.dataset.count = String(value);
    total.textContent = String(value);
  }

  function show(message) {
    lastTotal = message.total;
    count.dataset.count = "";
    showCount();
    // A `limit: 0` answer carries only the total; keep the list that is shown.
    if (message.people.length === 0 && message.total > 0) return;
    people = message.people;
    render();
  }

  const disposers = [
    session.on("people", show),
    session.on("welcome", refresh),
    // Someone came into or left view: the total may have changed.
    session.on("world", ({ entered, left }) => {
      if (!entered?.length && !left?.length) return;
      showCount();
      refreshSoon();
    }),
    // Walking on one's own stops following.
    session.on("move", () => {
      if (!ownMove && following) {
        following = null;
        render();
      }
    }),
    listen(panel, "toggle", () => panel.open && refresh()),
  ];
  if (search) disposers.push(listen(search, "input", render));
  const timer = setInterval(() => {
    if (!session.connection.isOpen) return;
    if (shown() || Date.now() - lastTotalAsk >= TOTAL_EVERY_MS) refresh();
  }, REFRESH_MS);
  const followTimer = setInterval(followStep, FOLLOW_EVERY_MS);

  return {
    refresh,
    /** For window.atrium: who is being followed. */
    get following() {
      return following?.id ?? null;
    },
    dispose() {
      for (const dispose of disposers) dispose();
      clearInterval(timer);
      clearInterval(followTimer);
      clearTimeout(soon);
      list.replaceChildren();
      total.textContent = "";
      count.textContent = "–";
    },
  };
}
