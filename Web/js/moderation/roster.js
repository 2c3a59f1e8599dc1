// The moderator's people list, from `roster`: a filter by name, and per person
// spotlight, mute, teleport-to-me, kick and ban. An unchanged answer leaves the list,
// and the keyboard focus in it, alone.

import { el, listen } from "../dom.js";
import { ROLE_TEXT } from "../text.js";

export const ROSTER_SHOWN = 150;

/**
 * @param {object} options
 * @param {import("../session.js").Session} options.session
 * @param {(action: string, fields?: object, subject?: string) => string|null} options.send
 * @param {(action: string, person: object) => Promise<{reason: string}|null>} options.confirm
 * @param {() => void} options.onRefresh the refresh button
 */
export function createRoster({ session, send, confirm, onRefresh }) {
  let people = [];
  let filter = "";
  let rendered = "";
  const filterInput = el("input", { type: "search", id: "mod-filter", placeholder: "이름 찾기 · Find a name", "aria-label": "이름으로 찾기 · Filter by name", autocomplete: "off" });
  const list = el("ul", { class: "mod-roster", dataset: { testid: "mod-roster" }, "aria-label": "사람들 · People" });
  const count = el("span", { class: "badge" });
  const element = el("details", { class: "mod-section mod-people", open: true },
    el("summary", {}, "사람들 · People ", count),
    el("div", { class: "row" }, filterInput,
      el("button", { type: "button", class: "button small secondary", dataset: { testid: "mod-roster-refresh" }, "aria-label": "목록 새로 고침 · Refresh the list", text: "↻", onclick: onRefresh })),
    list);

  function teleportToMe(person) {
    const me = session.world.me;
    if (!me) return;
    const position = session.world.positionAt(me.id, session.tickNow());
    send("teleport", { avatar: person.id, x: Math.round(position.x), y: Math.round(position.y) }, person.name);
  }

  async function kickOrBan(action, person) {
    const answer = await confirm(action, person);
    if (answer) send(action, { avatar: person.id, reason: answer.reason || undefined }, person.name);
  }

  function item(person, selfId) {
    const self = person.id === selfId;
    const flags = [
      person.spotlight ? "🎤 무대 · stage voice" : null,
      person.muted ? "🔇 막힘 · muted" : null,
      person.away ? "💤 자리 비움 · away" : null,
    ].filter(Boolean).join(" · ");
    const action = (name, text, label, onclick, pressed) => el("button", {
      type: "button", class: `mod-action mod-${name}`, dataset: { testid: `mod-person-${name}` },
      "aria-label": `${label}: ${person.name}`, "aria-pressed": pressed === undefined ? undefined : String(pressed), text, onclick,
    });
    return el("li", { class: `mod-person${person.away ? " away" : ""}`, dataset: { testid: "mod-person", id: String(person.id) } },
      el("div", { class: "who" },
        el("span", { class: "person-name", text: `${person.name}${self ? " (나 · me)" : ""}` }),
        el("span", { class: "person-status", text: [ROLE_TEXT[person.role] ?? person.role, person.registration ? `#${person.registration}` : null, flags].filter(Boolean).join(" · ") })),
      self ? null : el("div", { class: "actions" },
        action("spotlight", "🎤", person.spotlight ? "무대 목소리 끄기 · Take stage voice" : "무대 목소리 주기 · Give stage voice",
          () => send("spotlight", { avatar: person.id, on: !person.spotlight }, person.name), person.spotlight),
        action("mute", "🔇", person.muted ? "대화 막기 풀기 · Unmute" : "대화 막기 · Mute",
          () => send("mute", { avatar: person.id, on: !person.muted }, person.name), person.muted),
        action("teleport", "📍", "내 옆으로 데려오기 · Teleport to me", () => teleportToMe(person)),
        action("kick", "🚪", "내보내기 · Kick", () => kickOrBan("kick", person)),
        action("ban", "⛔", "차단하기 · Ban", () => kickOrBan("ban", person))));
  }

  function render() {
    const key = JSON.stringify([people, filter]);
    if (key === rendered) return;
    rendered = key;
    // A keyboard user on an action button keeps the focus on the same button.
    const active = document.activeElement;
    const focusPerson = list.contains(active) ? active.closest(".mod-person")?.dataset.id : undefined;
    const focusAction = focusPerson ? active.dataset.testid : undefined;
    const needle = filter.trim().toLocaleLowerCase();
    const shown = people.filter((person) => !needle || person.name.toLocaleLowerCase().includes(needle));
    count.textContent = String(people.length);
    list.replaceChildren(...shown.slice(0, ROSTER_SHOWN).map((person) => item(person, session.world.selfId)));
    if (shown.length > ROSTER_SHOWN) {
      list.append(el("li", { class: "people-more", text: `외 ${shown.length - ROSTER_SHOWN}명 — 이름으로 찾아 주세요 · ${shown.length - ROSTER_SHOWN} more: filter by name` }));
    }
    if (!shown.length) list.append(el("li", { class: "people-more", text: needle ? "찾는 이름이 없어요 · No match" : "목록을 불러오는 중… · Loading…" }));
    if (focusPerson && focusAction) {
      const again = [...list.querySelectorAll(".mod-person")].find((entry) => entry.dataset.id === focusPerson)
        ?.querySelector(`[data-testid="${focusAction}"]`);
      (again ?? filterInput).focus({ preventScroll: true });
    }
  }

  const offFilter = listen(filterInput, "input", () => {
    filter = filterInput.value;
    render();
  });
  render();

  return {
    element,
    /** Shows the people of a `roster` answer. */
    show(list) {
      people = Array.isArray(list) ? list : [];
      render();
    },
    dispose: offFilter,
  };
}
