// The moderator's panel, shown only to a visitor whose welcome says `role: "moderator"`:
// the OX quiz (moderation/quiz-controls.js), announcements (moderation/announce.js),
// the room lock, and the people from `roster` (moderation/roster.js, kick and ban
// confirmed by moderation/confirm.js). Every request carries a `ref`; `mod_ok` and
// errors come back as toasts. The server enforces who may do what; this only offers it.

import { el, listen } from "./dom.js";
import { errorText } from "./text.js";
import { createQuizControls } from "./moderation/quiz-controls.js";
import { createAnnounceForm } from "./moderation/announce.js";
import { createRoster } from "./moderation/roster.js";
import { confirmAction } from "./moderation/confirm.js";

export { QUIZ_SETS } from "./moderation/quiz-controls.js";

const ROSTER_EVERY_MS = 5000;
/** Someone came into or left view: the roster is asked again, at most this often. */
const ROSTER_SOON_MS = 1500;
const QUIZ_STATUS_MS = 500;

export const ACTION_TEXT = {
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
 * @param {() => {crowd: {o: number, x: number, none: number} | null}} [options.overview] the players on the quiz fields (the server's split)
 */
export function attachModeration({ session, toaster, elements, quizState = () => ({ state: "none", index: -1, total: 0 }), overview = () => null }) {
  const { panel, tab, confirm } = elements;
  const pending = new Map(); // ref → {action, subject}
  let locked = false;
  let lastRoster = [];
  let enabled = false;
  let rosterTimer = null;
  let soonTimer = null;

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
  function askRosterSoon() {
    if (!enabled || soonTimer || !panelShown()) return;
    soonTimer = setTimeout(() => {
      soonTimer = null;
      askRoster();
    }, ROSTER_SOON_MS);
  }

  const quiz = createQuizControls({ send, toaster, quizState });
  const announce = createAnnounceForm({ send, toaster });
  const roster = createRoster({ session, send, confirm: (action, person) => confirmAction(confirm, action, person), onRefresh: askRoster });
  const lockButton = el("button", { type: "button", class: "button small secondary", dataset: { testid: "mod-lock" }, "aria-pressed": "false" });
  function showLock() {
    lockButton.setAttribute("aria-pressed", String(locked));
    lockButton.textContent = locked ? "🔓 잠금 풀기 · Unlock the room" : "🔒 방 잠그기 · Lock the room";
  }

  // The full-width console: the panel over the whole page, its sections side by side.
  const consoleButton = el("button", {
    type: "button", class: "button small secondary mod-console-toggle", dataset: { testid: "mod-console-toggle" }, "aria-pressed": "false",
    text: "⤢ 넓게 · Full console",
  });
  const overviewLine = el("p", { class: "mod-overview", dataset: { testid: "mod-overview" }, "aria-live": "off" });
  function showOverview() {
    const people = lastRoster.length;
    const crowd = overview()?.crowd;
    const text = `👥 ${people}명 · people${crowd ? ` — ⭕ ${crowd.o} · ❌ ${crowd.x} · ? ${crowd.none} (참가자 · players)` : ""}`;
    if (overviewLine.textContent !== text) overviewLine.textContent = text;
  }
  function setConsole(open) {
    const world = panel.closest(".world");
    if (world) world.dataset.console = open ? "open" : "";
    consoleButton.setAttribute("aria-pressed", String(open));
    consoleButton.textContent = open ? "⤡ 작게 · Side panel" : "⤢ 넓게 · Full console";
  }

  panel.replaceChildren(
    el("div", { class: "mod-heading-row" }, el("h2", { class: "mod-heading", text: "🛠️ 진행자 도구 · Moderator tools" }), consoleButton),
    overviewLine,
    quiz.element,
    el("details", { class: "mod-section", open: true },
      el("summary", { text: "공지와 방 · Announce and room" }),
      announce.element,
      el("div", { class: "row mod-room" }, lockButton)),
    roster.element);

  const disposers = [
    quiz.dispose, announce.dispose, roster.dispose,
    listen(consoleButton, "click", () => setConsole(consoleButton.getAttribute("aria-pressed") !== "true")),
    listen(lockButton, "click", () => send("lock", { on: !locked })),
    session.on("roster", (message) => {
      locked = Boolean(message.locked);
      lastRoster = Array.isArray(message.people) ? message.people : [];
      showOverview();
      if (message.ref) pending.delete(message.ref);
      showLock();
      roster.show(message.people);
    }),
    session.on("mod_ok", (message) => {
      const request = pending.get(message.ref);
      pending.delete(message.ref);
      const action = message.action ?? request?.action;
      toaster.show(`✓ ${ACTION_TEXT[action] ?? action}${request?.subject ? `: ${request.subject}` : ""}`, { kind: "ok" });
      if (action === "lock") locked = !locked;
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
    showLock();
  }
  const statusTimer = setInterval(() => {
    quiz.refresh();
    showOverview();
  }, QUIZ_STATUS_MS);
  setEnabled(session.role === "moderator");

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
      setConsole(false);
      panel.replaceChildren();
      panel.hidden = true;
      tab.hidden = true;
      if (confirm.open) confirm.close();
    },
  };
}
