// The people list, from `who`: asked when the panel opens and every ten seconds while
// it stays open. Everyone's total is asked now and then with `limit: 0`, which costs
// the server no list.

import { el, listen } from "./dom.js";
import { ROLE_TEXT } from "./text.js";

const REFRESH_MS = 10000;
const TOTAL_EVERY_MS = 30000;
const LIST_LIMIT = 200;

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {object} options.elements panel (a <details>), list, total, count
 * @param {(person: {id: number, name: string}) => void} options.onDirectMessage
 * @param {() => boolean} [options.isShown] whether the list is on screen (phones show it as a sheet)
 */
export function attachPeople({ session, elements, onDirectMessage, isShown }) {
  const { panel, list, total, count } = elements;
  const shown = isShown ?? (() => panel.open);
  let lastTotalAsk = 0;

  function refresh() {
    if (shown()) session.who(LIST_LIMIT);
    else session.who(0);
    lastTotalAsk = Date.now();
  }

  function render(people) {
    total.textContent = String(people.total);
    count.textContent = String(people.total);
    // A `limit: 0` answer carries only the total; keep the list that is shown.
    if (people.people.length === 0 && people.total > 0) return;
    const selfId = session.world.selfId;
    list.replaceChildren(...people.people.map((person) => {
      const mine = person.id === selfId;
      return el("li", { class: person.away ? "away" : "", dataset: { testid: "person", id: person.id } },
        el("span", { class: "person" },
          el("span", { class: "person-name" }, `${person.name}${mine ? " (나 · me)" : ""}`,
            person.role !== "participant" && person.role !== "guest" ? el("span", { class: "role", text: ROLE_TEXT[person.role] ?? person.role }) : null),
          el("span", { class: "person-status", text: person.away ? `자리 비움 · away${person.status ? ` — ${person.status}` : ""}` : person.status })),
        mine || person.away ? null : el("button", {
          type: "button",
          text: "💬 귓속말",
          "aria-label": `${person.name} 님에게 귓속말 · Message ${person.name}`,
          onclick: () => onDirectMessage(person),
        }));
    }));
    if (people.total > people.people.length) {
      list.append(el("li", { class: "people-more", text: `외 ${people.total - people.people.length}명 · and ${people.total - people.people.length} more` }));
    }
  }

  const offPeople = session.on("people", render);
  const offWelcome = session.on("welcome", refresh);
  const offToggle = listen(panel, "toggle", () => panel.open && refresh());
  const timer = setInterval(() => {
    if (!session.connection.isOpen) return;
    if (shown() || Date.now() - lastTotalAsk >= TOTAL_EVERY_MS) refresh();
  }, REFRESH_MS);

  return {
    refresh,
    dispose() {
      offPeople();
      offWelcome();
      offToggle();
      clearInterval(timer);
      list.replaceChildren();
      total.textContent = "";
      count.textContent = "–";
    },
  };
}
