// The directory: every named place of the hall (places.js) in one searchable list, each
// with "walk there" — the server finds the path; an exhibit opens on arrival. When a
// portal makes the way much shorter, the walk goes through it first (portals.js,
// portalRoute) and carries on from where it lands. Opened from the map's 🧭 button; a
// native modal dialog, so Escape closes it.

import { PLACE_GROUPS, placeTarget, placesOf, searchPlaces } from "./places.js";
import { arrivedThrough, portalRoute } from "./portals.js";
import { el, listen } from "./dom.js";

/** A walk through a portal that has not arrived by then is given up. */
const VIA_PORTAL_MS = 60000;

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {{walk: Function}} options.input
 * @param {{walkTo: (id: string) => boolean}} options.exhibits walks to an exhibit and opens it on arrival
 * @param {object} options.elements dialog (a <dialog>), button (opens it)
 */
export function attachDirectory({ session, input, exhibits, elements }) {
  const { dialog, button } = elements;
  let places = [];
  const search = el("input", {
    type: "search", class: "directory-search", dataset: { testid: "directory-search" }, autocomplete: "off",
    placeholder: "어디로 갈까요? · Where to?", "aria-label": "장소 찾기 · Find a place",
  });
  const list = el("div", { class: "directory-list", dataset: { testid: "directory-list" } });
  const close = el("button", { type: "button", class: "round", dataset: { testid: "directory-close" }, "aria-label": "닫기 · Close", text: "×" });
  dialog.replaceChildren(
    el("header", { class: "directory-head" }, el("h2", { id: "directory-title", text: "🧭 길 안내 · Directory" }), close),
    search, list);

  /** A walk through a portal under way: {destination, then, until}. */
  let via = null;
  let ownWalk = false;

  function walk(units) {
    ownWalk = true;
    input.walk(units);
    ownWalk = false;
  }

  /** The last leg: to the exhibit (opened on arrival) or the place's nearest walkable tile. */
  function arrive(place) {
    if (place.exhibit) {
      exhibits.walkTo(place.exhibit);
      return;
    }
    const target = session.map && placeTarget(session.map, place, session.unitsPerTile);
    if (target) walk(target);
  }

  function tileOf(units) {
    return units ? { x: Math.floor(units.x / session.unitsPerTile), y: Math.floor(units.y / session.unitsPerTile) } : null;
  }

  function go(place) {
    dialog.close();
    via = null;
    const map = session.map;
    const route = map && !place.portal && portalRoute(map, tileOf(session.myPosition()), {
      x: Math.floor(place.rect.x + place.rect.width / 2), y: Math.floor(place.rect.y + place.rect.height / 2),
    });
    if (!route) {
      arrive(place);
      return;
    }
    const pad = placeTarget(map, { rect: route.portal.rect }, session.unitsPerTile);
    if (!pad) {
      arrive(place);
      return;
    }
    via = { destination: route.destination, then: place, until: Date.now() + VIA_PORTAL_MS };
    walk(pad);
  }

  function render() {
    const shown = searchPlaces(places, search.value);
    const groups = PLACE_GROUPS.map((group) => ({ group, items: shown.filter((place) => place.group === group.id) })).filter(({ items }) => items.length);
    list.replaceChildren(...groups.map(({ group, items }) => el("section", { class: "directory-group" },
      el("h3", { text: group.label }),
      el("ul", {}, ...items.map((place) => el("li", {},
        el("button", {
          type: "button", class: "directory-place", dataset: { testid: "directory-place", id: place.id },
          "aria-label": `${place.name}: 걸어가기 · walk there`, onclick: () => go(place),
        }, el("span", { class: "icon", "aria-hidden": "true", text: place.icon }),
        el("span", { class: "name", text: place.name }),
        place.kindLabel ? el("span", { class: "kind", text: place.kindLabel }) : null,
        el("span", { class: "go", text: "걸어가기 · Walk there →" }))))))));
    if (!groups.length) list.append(el("p", { class: "empty", text: "찾는 곳이 없어요 · No such place" }));
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    search.value = "";
    render();
    search.focus();
  }

  const disposers = [
    // Through the portal: carry on from where it landed.
    session.on("world", () => {
      if (!via) return;
      if (Date.now() > via.until) {
        via = null;
        return;
      }
      if (!arrivedThrough(session.map, via.destination, tileOf(session.myPosition()))) return;
      const place = via.then;
      via = null;
      arrive(place);
    }),
    // Walking on one's own gives the plan up.
    session.on("move", () => {
      if (!ownWalk) via = null;
    }),
    listen(button, "click", open),
    listen(close, "click", () => dialog.close()),
    listen(search, "input", render),
    listen(search, "keydown", (event) => {
      // Enter walks to the first match.
      if (event.key !== "Enter" || event.isComposing) return;
      const first = searchPlaces(places, search.value)[0];
      if (first) {
        event.preventDefault();
        go(first);
      }
    }),
  ];

  return {
    setMap(map) {
      places = placesOf(map);
      button.hidden = places.length === 0;
      render();
    },
    open,
    /** For window.atrium: the portal a "walk there" is going through, or null. */
    get via() {
      return via ? via.destination.id : null;
    },
    dispose() {
      for (const dispose of disposers) dispose();
      if (dialog.open) dialog.close();
      dialog.replaceChildren();
    },
  };
}
