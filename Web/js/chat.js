// The chat panel: the log, the scope selector with who would hear you, and the input.
// A message shows at once as "sending"; the server's copy carrying our `ref` marks it
// delivered (the server acknowledges only what it stored). Works with the keyboard and
// a screen reader alone: the canvas is never needed to talk.

import { audience } from "./audience.js";
import { el, isTyping, listen, modalOpen } from "./dom.js";
import { SCOPES, errorText } from "./text.js";

const MAX_ENTRIES = 300;
/** Errors about what the visitor did, shown in the chat log. */
const USER_ERRORS = new Set([
  "rate_limited", "forbidden", "not_found", "text_invalid", "text_too_long", "not_in_area", "not_on_stage",
  "muted", "message_too_large", "bad_message", "unknown_type", "internal_error",
]);

const scopeInfo = (id) => SCOPES.find((scope) => scope.id === id) ?? SCOPES[0];

function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {object} options.elements log, form, input, scopes, audience, dmTarget, announcer, alerts, canvas
 * @param {import("./renderer.js").Renderer} options.renderer
 * @param {(count: number) => void} [options.onUnread] messages from others while the chat is not shown
 * @param {() => boolean} [options.isShown]
 */
export function attachChat({ session, elements, renderer, onUnread = () => {}, isShown = () => true }) {
  const { log, form, input, scopes, audience: audienceText, dmTarget, announcer, alerts, canvas } = elements;
  let scope = "nearby";
  let direct = null; // {id, name}
  let total = 0;
  let unread = 0;
  const pending = new Map(); // ref → {entry, scope, text, to}

  // ---- Scope selector ----
  const radios = new Map();
  for (const { id, label, english } of SCOPES) {
    const radio = el("input", { type: "radio", name: "scope", value: id, checked: id === scope });
    radios.set(id, radio);
    scopes.append(el("label", { class: `scope-option scope-option-${id}`, dataset: { testid: `scope-${id}` } },
      radio, el("span", { text: `${label} · ${english}` })));
  }
  const offScope = listen(scopes, "change", (event) => {
    scope = event.target.value;
    refreshAudience();
  });

  function updateRoleScopes() {
    // Whole-room announcements are for moderators; the option is not offered to others.
    const moderator = session.welcome?.you.role === "moderator";
    radios.get("room").closest("label").hidden = !moderator;
    radios.get("dm").disabled = !direct;
  }

  function selectScope(id) {
    scope = id;
    radios.get(id).checked = true;
    refreshAudience();
  }

  // ---- Direct messages ----
  function openDirect(person) {
    if (person.id === session.world.selfId) return;
    direct = { id: person.id, name: person.name };
    dmTarget.replaceChildren(
      el("span", { text: `귓속말 받는 사람 · To: ${person.name}` }),
      el("button", { type: "button", text: "취소 · Cancel", "aria-label": "귓속말 취소 · Cancel direct message", onclick: closeDirect }),
    );
    dmTarget.hidden = false;
    updateRoleScopes();
    selectScope("dm");
    input.focus();
  }

  function closeDirect() {
    direct = null;
    dmTarget.hidden = true;
    updateRoleScopes();
    if (scope === "dm") selectScope("nearby");
  }

  // ---- Who hears you ----
  function refreshAudience() {
    const me = session.myPosition();
    if (!me || !session.room) {
      audienceText.textContent = "";
      return;
    }
    const meAvatar = session.me;
    const others = [];
    for (const avatar of session.world.avatars.values()) {
      if (avatar.id === session.world.selfId) continue;
      const position = session.world.positionAt(avatar.id, session.tickNow());
      others.push({ x: position.x, y: position.y, away: avatar.away });
    }
    const result = audience({
      scope,
      me,
      others,
      map: session.map,
      chatRadius: session.room.chatRadius,
      unitsPerTile: session.unitsPerTile,
      hasStageVoice: meAvatar ? ["presenter", "moderator"].includes(meAvatar.role) || meAvatar.spotlight : false,
      isModerator: meAvatar?.role === "moderator",
      dmName: direct?.name,
      total,
    });
    audienceText.textContent = result.text;
    audienceText.classList.toggle("blocked", !result.ok);
    audienceText.dataset.count = result.count ?? "";
  }

  // ---- The log ----
  function append(entry) {
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 60;
    log.append(entry);
    while (log.children.length > MAX_ENTRIES) log.firstElementChild.remove();
    if (nearBottom) log.scrollTop = log.scrollHeight;
  }

  function entryFor({ from, scope: messageScope, text, time, to, mine }) {
    const info = scopeInfo(messageScope);
    let scopeLabel = `${info.label} · ${info.english}`;
    if (messageScope === "dm" && mine && to !== undefined) scopeLabel += ` → ${nameOf(to)}`;
    const sender = mine
      ? el("span", { class: "sender", text: `${from.name} (나 · me)` })
      : el("button", {
        type: "button", class: "sender", text: from.name,
        "aria-label": `${from.name} 님에게 귓속말 · Message ${from.name}`,
        onclick: () => openDirect(from),
      });
    return el("li", { class: `message${mine ? " mine" : ""}`, dataset: { testid: "chat-entry", scope: messageScope } },
      el("div", { class: "meta" },
        sender,
        el("span", { class: `scope-tag scope-${messageScope}`, text: scopeLabel }),
        el("time", { datetime: new Date(time).toISOString(), text: clock(time) }),
        el("span", { class: "delivery" })),
      el("div", { class: "text", text }));
  }

  const names = new Map();
  const nameOf = (id) => names.get(id) ?? session.world.avatars.get(id)?.name ?? `#${id}`;

  function setDelivery(entry, state, note = "") {
    entry.dataset.state = state;
    entry.classList.toggle("failed", state === "failed" || state === "unconfirmed");
    const delivery = entry.querySelector(".delivery");
    delivery.className = `delivery ${state === "delivered" ? "sent" : state === "pending" ? "" : "failed"}`;
    delivery.textContent = {
      pending: "보내는 중… · sending…",
      delivered: "✓ 전달됨 · delivered",
      failed: `보내지 못함 · not sent${note ? `: ${note}` : ""}`,
      unconfirmed: "전달 확인 안 됨 · not confirmed",
    }[state];
  }

  function addRetry(entry, message) {
    if (entry.querySelector(".retry")) return;
    entry.querySelector(".meta").append(el("button", {
      type: "button", class: "retry", text: "다시 보내기 · Retry",
      onclick: () => {
        entry.remove();
        send(message.scope, message.text, message.to);
      },
    }));
  }

  function system(text, { alert = false } = {}) {
    append(el("li", { class: "message system", dataset: { testid: "chat-system" }, text }));
    if (alert) alerts.textContent = text;
  }

  function send(messageScope, text, to) {
    const ref = session.chat({ scope: messageScope, text, to });
    const me = session.welcome?.you;
    const entry = entryFor({ from: me ?? { name: "?" }, scope: messageScope, text, time: Date.now(), to, mine: true });
    const message = { entry, scope: messageScope, text, to };
    append(entry);
    if (!ref) {
      setDelivery(entry, "failed", "연결 안 됨 · offline");
      addRetry(entry, message);
      return;
    }
    entry.dataset.ref = ref;
    setDelivery(entry, "pending");
    pending.set(ref, message);
  }

  // ---- Events ----
  const offChat = session.on("chat", (message) => {
    names.set(message.from.id, message.from.name);
    const own = message.ref && pending.get(message.ref);
    if (own) {
      pending.delete(message.ref);
      // The server's copy is the truth: its cleaned text and its time.
      own.entry.querySelector(".text").textContent = message.text;
      const time = own.entry.querySelector("time");
      time.dateTime = new Date(message.time).toISOString();
      time.textContent = clock(message.time);
      setDelivery(own.entry, "delivered");
      return;
    }
    const mine = message.from.id === session.world.selfId;
    const entry = entryFor({ ...message, mine });
    if (mine) setDelivery(entry, "delivered");
    append(entry);
    if (!mine) {
      const info = scopeInfo(message.scope);
      announcer.textContent = `${message.from.name} (${info.label} · ${info.english}): ${message.text}`;
      if (!isShown()) onUnread(++unread);
    }
  });

  const offError = session.on("error", (error) => {
    const text = errorText(error.code, error.message);
    const own = error.ref && pending.get(error.ref);
    if (own) {
      pending.delete(error.ref);
      setDelivery(own.entry, "failed", text);
      if (error.code === "rate_limited" || error.code === "not_found") addRetry(own.entry, own);
      alerts.textContent = text;
      return;
    }
    // An error with someone else's `ref` answers an exhibit, quiz or moderation request;
    // the feature that sent it shows it where it belongs.
    if (error.ref) return;
    if (USER_ERRORS.has(error.code)) system(text, { alert: true });
  });

  const offConnection = session.on("connection", ({ state }) => {
    if (state !== "reconnecting") return;
    // The socket is gone: what was not acknowledged may or may not have been stored.
    for (const message of pending.values()) {
      setDelivery(message.entry, "unconfirmed");
      addRetry(message.entry, message);
    }
    pending.clear();
  });

  const offPeople = session.on("people", (people) => {
    total = people.total;
    for (const person of people.people) names.set(person.id, person.name);
  });

  const offWelcome = session.on("welcome", ({ welcome }) => {
    updateRoleScopes();
    if (welcome.resumed) system("다시 연결되었어요 · Reconnected");
  });

  const offResumeLost = session.on("resume_lost", () => {
    system("이전 연결을 이어갈 수 없어 새로 입장했어요 · The old connection could not be resumed, so you joined again.");
  });

  const offSubmit = listen(form, "submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    if (scope === "dm" && !direct) {
      alerts.textContent = errorText("not_found");
      return;
    }
    send(scope, text, scope === "dm" ? direct.id : undefined);
    input.value = "";
  });

  // Enter anywhere outside a field opens the chat; Escape in a field goes back to the map.
  const offKeys = listen(window, "keydown", (event) => {
    if (event.key === "Enter" && !isTyping(event) && !modalOpen() && !(event.target instanceof HTMLButtonElement) &&
        !(event.target instanceof HTMLElement && event.target.closest("summary, a, dialog"))) {
      event.preventDefault();
      input.focus();
    } else if (event.key === "Escape" && isTyping(event) && !(event.target instanceof HTMLElement && event.target.closest("dialog"))) {
      event.preventDefault();
      canvas.focus();
    }
  });
  // The circle of who hears "nearby" chat shows while typing.
  const offFocus = listen(input, "focus", () => { renderer.showHearing = scope === "nearby"; });
  const offBlur = listen(input, "blur", () => { renderer.showHearing = false; });

  updateRoleScopes();

  return {
    openDirect,
    /** A line in the log from the room itself (an announcement, a quiz result). */
    system,
    refreshAudience,
    /** The chat became visible: nothing is unread any more. */
    markRead() {
      unread = 0;
      onUnread(0);
    },
    dispose() {
      for (const off of [offScope, offSubmit, offChat, offError, offConnection, offPeople, offWelcome, offResumeLost, offKeys, offFocus, offBlur]) off();
      scopes.querySelectorAll("label").forEach((label) => label.remove());
      log.replaceChildren();
      dmTarget.hidden = true;
      audienceText.textContent = "";
    },
  };
}
