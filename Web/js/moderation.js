// The moderator's panel, shown only to a visitor whose welcome says `role: "moderator"`:
// running the OX quiz, announcing to the room, locking it, and the people list from
// `roster` with spotlight, mute, teleport-to-me, kick and ban (the last two confirmed in
// a dialog). Every request carries a `ref`; `mod_ok` and errors come back as toasts. The
// server enforces who may do what; this panel only offers it.

import { el, listen } from "./dom.js";
import { ROLE_TEXT, characterCount, errorText } from "./text.js";

const ROSTER_EVERY_MS = 5000;
/** Someone came into or left view: the roster is asked again, at most this often. */
const ROSTER_SOON_MS = 1500;
const ROSTER_SHOWN = 150;
const ANNOUNCE_MAX = 300;
export const QUIZ_SETS = ["expo-quiz"];

const ACTION_TEXT = {
  announce: "공지를 보냈어요 · Announcement sent",
  spotlight: "무대 목소리를 바꿨어요 · Stage voice changed",
  mute: "대화 막기를 바꿨어요 · Mute changed",
  kick: "내보냈어요 · Removed from the room",
  ban: "차단했어요 · Banned",
  teleport: "데려왔어요 · Teleported",
  lock: "방 잠금을 바꿨어요 · Room lock changed",
  quiz_open: "퀴즈를 열었어요 · Quiz opened",
  quiz_next: "다음 문제를 냈어요 · Next question asked",
  quiz_pause: "퀴즈를 멈췄어요 · Quiz paused",
  quiz_resume: "퀴즈를 계속해요 · Quiz resumed",
  quiz_skip: "문제를 건너뛰었어요 · Question skipped",
  quiz_end: "퀴즈를 끝냈어요 · Quiz ended",
};

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {{show: Function}} options.toaster
 * @param {object} options.elements panel (the panel's container), tab (the phone tab button), confirm (a <dialog>)
 * @param {() => {state: string}} [options.quizState] the quiz as this client sees it
 * @param {() => void} [options.onShow] the panel asks to be shown (phones)
 */
export function attachModeration({ session, toaster, elements, quizState = () => ({ state: "none" }) }) {
  const { panel, tab, confirm } = elements;
  const pending = new Map(); // ref → {action, subject}
  let roster = { people: [], locked: false };
  let filter = "";
  let enabled = false;
  let rosterTimer = null;

  // ---- Requests ----

  function send(action, fields = {}, subject = "") {
    const ref = session.request(action, fields, "mod");
    if (!ref) {
      toaster.show("연결되지 않았어요 · Not connected.", { kind: "error" });
      return null;
    }
    pending.set(ref, { action, subject });
    return ref;
  }

  function askRoster() {
    if (enabled && session.connection.isOpen) send("roster");
  }

  const panelShown = () => !panel.hidden && panel.getClientRects().length > 0;
  let soonTimer = null;
  function askRosterSoon() {
    if (!enabled || soonTimer || !panelShown()) return;
    soonTimer = setTimeout(() => {
      soonTimer = null;
      askRoster();
    }, ROSTER_SOON_MS);
  }

  // ---- The quiz ----
  const setSelect = el("select", { id: "mod-quiz-set", dataset: { testid: "mod-quiz-set" } },
    ...QUIZ_SETS.map((name) => el("option", { value: name, text: name })),
    el("option", { value: "", text: "다른 세트 · Another set…" }));
  const setOther = el("input", { id: "mod-quiz-set-other", dataset: { testid: "mod-quiz-set-other" }, autocomplete: "off", spellcheck: "false", placeholder: "세트 이름 · set name", "aria-label": "다른 세트 이름 · Another set's name", hidden: true });
  const modeInputs = ["points", "survival"].map((mode) => el("input", { type: "radio", name: "mod-quiz-mode", value: mode, checked: mode === "points", dataset: { testid: `mod-quiz-mode-${mode}` } }));
  const modeLabels = { points: "점수제 · Points", survival: "서바이벌 · Survival" };
  const quizStatus = el("p", { class: "mod-quiz-status", dataset: { testid: "mod-quiz-status" }, "aria-live": "polite" });
  const quizButton = (action, text, extra = {}) => el("button", {
    type: "button", class: `button small ${extra.primary ? "primary" : "secondary"}`, dataset: { testid: `mod-${action.replace("_", "-")}` }, text,
    onclick: () => quizAction(action),
  });
  const quizButtons = {
    quiz_open: quizButton("quiz_open", "▶ 열기 · Open", { primary: true }),
    quiz_next: quizButton("quiz_next", "⏭ 다음 문제 · Next question", { primary: true }),
    quiz_pause: quizButton("quiz_pause", "⏸ 멈춤 · Pause"),
    quiz_resume: quizButton("quiz_resume", "⏯ 계속 · Resume"),
    quiz_skip: quizButton("quiz_skip", "↷ 건너뛰기 · Skip"),
    quiz_end: quizButton("quiz_end", "⏹ 끝내기 · End"),
  };

  function quizAction(action) {
    if (action === "quiz_open") {
      const set = (setSelect.value || setOther.value).trim();
      if (!set) {
        toaster.show("퀴즈 세트 이름을 넣어 주세요 · Please name a question set.", { kind: "error" });
        setOther.focus();
        return;
      }
      const mode = modeInputs.find((input) => input.checked)?.value ?? "points";
      send("quiz_open", { set, mode }, set);
      return;
    }
    send(action);
  }

  function refreshQuizStatus() {
    const quiz = quizState();
    const words = {
      none: "진행 중인 퀴즈 없음 · No quiz running",
      open: "열림, 첫 문제 전 · Open, before the first question",
      asking: "문제 진행 중 · Asking",
      paused: "멈춤 · Paused",
      judged: "채점됨, 다음 문제 대기 · Judged, waiting for the next",
      ended: "끝남 · Ended",
    };
    const where = quiz.index >= 0 && quiz.total ? ` — ${quiz.index + 1}/${quiz.total}` : "";
    const text = `${words[quiz.state] ?? quiz.state}${where}`;
    if (quizStatus.textContent !== text) quizStatus.textContent = text;
  }

  // ---- Announcements ----
  const announceInput = el("textarea", { id: "mod-announce-input", rows: "2", maxlength: String(ANNOUNCE_MAX * 4), dataset: { testid: "mod-announce-input" }, "aria-describedby": "mod-announce-counter" });
  const announceCounter = el("span", { id: "mod-announce-counter", class: "counter", text: `0 / ${ANNOUNCE_MAX}` });
  const announceForm = el("form", { class: "mod-announce" },
    el("label", { for: "mod-announce-input", text: "모두에게 공지 · Announce to everyone" }),
    announceInput,
    el("div", { class: "row" }, announceCounter,
      el("button", { type: "submit", class: "button small primary", dataset: { testid: "mod-announce-send" }, text: "📣 공지 · Announce" })));

  // ---- The room ----
  const lockButton = el("button", { type: "button", class: "button small secondary", dataset: { testid: "mod-lock" }, "aria-pressed": "false" });
  function showLock() {
    lockButton.setAttribute("aria-pressed", String(roster.locked));
    lockButton.textContent = roster.locked ? "🔓 잠금 풀기 · Unlock the room" : "🔒 방 잠그기 · Lock the room";
  }

  // ---- People ----
  const filterInput = el("input", { type: "search", id: "mod-filter", placeholder: "이름 찾기 · Find a name", "aria-label": "이름으로 찾기 · Filter by name", autocomplete: "off" });
  const rosterList = el("ul", { class: "mod-roster", dataset: { testid: "mod-roster" }, "aria-label": "사람들 · People" });
  const rosterCount = el("span", { class: "badge" });

  let rendered = "";
  function renderRoster() {
    showLock();
    // Unchanged answers (every few seconds) leave the list, and the focus in it, alone.
    const key = JSON.stringify([roster.people, filter]);
    if (key === rendered) return;
    rendered = key;
    // A keyboard user on an action button keeps the focus on the same button.
    const active = document.activeElement;
    const focusPerson = rosterList.contains(active) ? active.closest(".mod-person")?.dataset.id : undefined;
    const focusAction = focusPerson ? active.dataset.testid : undefined;
    const selfId = session.world.selfId;
    const needle = filter.trim().toLocaleLowerCase();
    const people = roster.people.filter((person) => !needle || person.name.toLocaleLowerCase().includes(needle));
    rosterCount.textContent = String(roster.people.length);
    rosterList.replaceChildren(...people.slice(0, ROSTER_SHOWN).map((person) => {
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
    }));
    if (people.length > ROSTER_SHOWN) {
      rosterList.append(el("li", { class: "people-more", text: `외 ${people.length - ROSTER_SHOWN}명 — 이름으로 찾아 주세요 · ${people.length - ROSTER_SHOWN} more: filter by name` }));
    }
    if (!people.length) rosterList.append(el("li", { class: "people-more", text: needle ? "찾는 이름이 없어요 · No match" : "목록을 불러오는 중… · Loading…" }));
    if (focusPerson && focusAction) {
      const again = [...rosterList.querySelectorAll(".mod-person")].find((item) => item.dataset.id === focusPerson)
        ?.querySelector(`[data-testid="${focusAction}"]`);
      (again ?? filterInput).focus({ preventScroll: true });
    }
  }

  function teleportToMe(person) {
    const me = session.world.me;
    if (!me) return;
    const position = session.world.positionAt(me.id, session.tickNow());
    send("teleport", { avatar: person.id, x: Math.round(position.x), y: Math.round(position.y) }, person.name);
  }

  async function kickOrBan(action, person) {
    const answer = await confirmAction(action, person);
    if (!answer) return;
    send(action, { avatar: person.id, reason: answer.reason || undefined }, person.name);
  }

  /** The confirmation dialog for kick and ban; resolves to {reason} or null. */
  function confirmAction(action, person) {
    const title = confirm.querySelector("[data-part=title]");
    const message = confirm.querySelector("[data-part=message]");
    const reason = confirm.querySelector("[data-part=reason]");
    const ok = confirm.querySelector("[data-part=ok]");
    title.textContent = action === "kick" ? `${person.name} 님을 내보낼까요? · Remove ${person.name}?` : `${person.name} 님을 차단할까요? · Ban ${person.name}?`;
    message.textContent = action === "kick"
      ? "지금 방에서 나가게 돼요. 다시 들어올 수는 있어요 · They leave the room now and may come back."
      : "지금 나가게 되고, 이 행사에 다시 들어올 수 없어요 (재시작 후에도) · They leave now and cannot join this event again, even after a restart.";
    ok.textContent = action === "kick" ? "내보내기 · Kick" : "차단하기 · Ban";
    reason.value = "";
    confirm.returnValue = "";
    return new Promise((resolve) => {
      confirm.addEventListener("close", () => resolve(confirm.returnValue === "ok" ? { reason: reason.value.trim() } : null), { once: true });
      confirm.showModal();
      reason.focus();
    });
  }

  // ---- The panel ----
  panel.replaceChildren(
    el("h2", { class: "mod-heading", text: "🛠️ 진행자 도구 · Moderator tools" }),
    el("details", { class: "mod-section", open: true },
      el("summary", { text: "OX 퀴즈 · Quiz" }),
      el("div", { class: "mod-field" }, el("label", { for: "mod-quiz-set", text: "문제 세트 · Question set" }), el("div", { class: "row" }, setSelect, setOther)),
      el("fieldset", { class: "mod-mode" }, el("legend", { text: "방식 · Mode" }),
        ...modeInputs.map((input) => el("label", { class: "mod-radio" }, input, el("span", { text: modeLabels[input.value] })))),
      el("div", { class: "mod-buttons" }, ...Object.values(quizButtons)),
      quizStatus),
    el("details", { class: "mod-section", open: true },
      el("summary", { text: "공지와 방 · Announce and room" }),
      announceForm,
      el("div", { class: "row mod-room" }, lockButton)),
    el("details", { class: "mod-section mod-people", open: true },
      el("summary", {}, "사람들 · People ", rosterCount),
      el("div", { class: "row" }, filterInput,
        el("button", { type: "button", class: "button small secondary", dataset: { testid: "mod-roster-refresh" }, "aria-label": "목록 새로 고침 · Refresh the list", text: "↻", onclick: askRoster })),
      rosterList));

  const disposers = [
    listen(setSelect, "change", () => {
      setOther.hidden = setSelect.value !== "";
      if (!setOther.hidden) setOther.focus();
    }),
    listen(announceInput, "input", () => {
      const count = characterCount(announceInput.value.trim());
      announceCounter.textContent = `${count} / ${ANNOUNCE_MAX}`;
      announceCounter.classList.toggle("over", count > ANNOUNCE_MAX);
    }),
    listen(announceInput, "keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        announceForm.requestSubmit();
      }
    }),
    listen(announceForm, "submit", (event) => {
      event.preventDefault();
      const text = announceInput.value.trim();
      const count = characterCount(text);
      if (count === 0 || count > ANNOUNCE_MAX) {
        toaster.show(count === 0 ? "공지 내용을 써 주세요 · Write the announcement first." : `${ANNOUNCE_MAX}자까지 · At most ${ANNOUNCE_MAX} characters.`, { kind: "error" });
        return;
      }
      if (send("announce", { text })) announceInput.value = "";
      announceCounter.textContent = `0 / ${ANNOUNCE_MAX}`;
    }),
    listen(lockButton, "click", () => send("lock", { on: !roster.locked })),
    listen(filterInput, "input", () => {
      filter = filterInput.value;
      renderRoster();
    }),
    session.on("roster", (message) => {
      roster = { people: Array.isArray(message.people) ? message.people : [], locked: Boolean(message.locked) };
      if (message.ref) pending.delete(message.ref);
      renderRoster();
    }),
    session.on("mod_ok", (message) => {
      const request = pending.get(message.ref);
      pending.delete(message.ref);
      const action = message.action ?? request?.action;
      toaster.show(`✓ ${ACTION_TEXT[action] ?? action}${request?.subject ? `: ${request.subject}` : ""}`, { kind: "ok" });
      if (action === "lock") roster = { ...roster, locked: !roster.locked };
      if (!String(action).startsWith("quiz") && action !== "announce") askRoster();
      showLock();
    }),
    session.on("error", (error) => {
      const request = error.ref && pending.get(error.ref);
      if (!request) return;
      pending.delete(error.ref);
      let code = error.code;
      if (code === "not_found") code = request.action === "quiz_open" ? "quiz_not_found" : "person_not_found";
      toaster.show(`${errorText(code, error.message)}${error.code === "conflict" && error.message ? ` (${error.message})` : ""}`, { kind: "error" });
    }),
    session.on("welcome", ({ welcome }) => setEnabled(welcome.you.role === "moderator")),
    session.on("world", ({ entered, left }) => {
      if (entered?.length || left?.length) askRosterSoon();
    }),
  ];

  function setEnabled(on) {
    enabled = on;
    panel.hidden = !on;
    tab.hidden = !on;
    clearInterval(rosterTimer);
    rosterTimer = null;
    if (on) {
      askRoster();
      rosterTimer = setInterval(() => {
        if (panelShown()) askRoster();
      }, ROSTER_EVERY_MS);
    }
    renderRoster();
  }
  const statusTimer = setInterval(refreshQuizStatus, 500);
  setEnabled(session.role === "moderator");
  refreshQuizStatus();

  return {
    get enabled() {
      return enabled;
    },
    refresh: askRoster,
    dispose() {
      clearInterval(rosterTimer);
      clearInterval(statusTimer);
      clearTimeout(soonTimer);
      for (const dispose of disposers) dispose();
      panel.replaceChildren();
      panel.hidden = true;
      tab.hidden = true;
      if (confirm.open) confirm.close();
    },
  };
}
