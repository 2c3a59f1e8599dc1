// The directory: every named place of the hall (places.js) in one searchable list, each
// with "walk there" — the server finds the path; an exhibit opens on arrival. Opened from
// the map's 🧭 button; a native modal dialog, so Escape closes it.

import { PLACE_GROUPS, placeTarget, placesOf, searchPlaces } from "./places.js";
import { el, listen } from "./dom.js";

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

  function go(place) {
    dialog.close();
    if (place.exhibit) {
      exhibits.walkTo(place.exhibit);
      return;
    }
    const target = session.map && placeTarget(session.map, place, session.unitsPerTile);
    if (target) input.walk(target);
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
    dispose() {
      for (const dispose of disposers) dispose();
      if (dialog.open) dialog.close();
      dialog.replaceChildren();
    },
  };
}
