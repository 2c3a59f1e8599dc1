// The chat panel: the log (chat/log.js), the scope selector with who would hear you
// (chat/scopes.js), and the input. A message shows at once as "sending"; the server's
// copy carrying our `ref` marks it delivered (the server acknowledges only what it
// stored) with how many heard it, or "nobody heard this" when the server says no one
// did. Works with the keyboard and a screen reader alone: the canvas is never needed to talk.

import { el, isTyping, listen, modalOpen } from "./dom.js";
import { errorText } from "./text.js";
import { createChatLog, scopeInfo } from "./chat/log.js";
import { createScopes } from "./chat/scopes.js";

/** Errors about what the visitor did, shown in the chat log. */
const USER_ERRORS = new Set([
  "rate_limited", "forbidden", "not_found", "text_invalid", "text_too_long", "not_in_area", "not_on_stage",
  "muted", "message_too_large", "bad_message", "unknown_type", "internal_error",
]);
/** Scopes said out loud, shown in a bubble over the speaker. */
const BUBBLE_SCOPES = new Set(["nearby", "area", "stage"]);

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {object} options.elements log, form, input, scopes, audience, dmTarget, announcer, alerts, canvas
 * @param {import("./renderer.js").Renderer} options.renderer
 * @param {(count: number) => void} [options.onUnread] messages from others while the chat is not shown
 * @param {() => boolean} [options.isShown]
 */
export function attachChat({ session, elements, renderer, onUnread = () => {}, isShown = () => true }) {
  const { log, form, input, scopes, audience, dmTarget, announcer, alerts, canvas } = elements;
  let direct = null; // {id, name}
  let total = 0;
  let unread = 0;
  const pending = new Map(); // ref → {entry, scope, text, to}
  const names = new Map();
  const nameOf = (id) => names.get(id) ?? session.world.avatars.get(id)?.name ?? `#${id}`;

  const chatLog = createChatLog({ log, nameOf, onSender: openDirect });
  const scope = createScopes({ session, scopes, audience, direct: () => direct, total: () => total });

  // ---- Direct messages ----
  function openDirect(person) {
    if (person.id === session.world.selfId) return;
    direct = { id: person.id, name: person.name };
    dmTarget.replaceChildren(
      el("span", { text: `귓속말 받는 사람 · To: ${person.name}` }),
      el("button", { type: "button", text: "취소 · Cancel", "aria-label": "귓속말 취소 · Cancel direct message", onclick: closeDirect }),
    );
    dmTarget.hidden = false;
    scope.updateForRole();
    scope.select("dm");
    input.focus();
  }

  function closeDirect() {
    direct = null;
    dmTarget.hidden = true;
    scope.updateForRole();
    if (scope.scope === "dm") scope.select("nearby");
  }

  function system(text, { alert = false } = {}) {
    chatLog.system(text);
    if (alert) alerts.textContent = text;
  }

  function send(messageScope, text, to) {
    const ref = session.chat({ scope: messageScope, text, to });
    const me = session.welcome?.you;
    const entry = chatLog.entry({ from: me ?? { name: "?" }, scope: messageScope, text, time: Date.now(), to, mine: true });
    const message = { entry, scope: messageScope, text, to };
    chatLog.append(entry);
    if (!ref) {
      chatLog.setDelivery(entry, "failed", "연결 안 됨 · offline");
      chatLog.addRetry(entry, () => send(messageScope, text, to));
      return;
    }
    entry.dataset.ref = ref;
    chatLog.setDelivery(entry, "pending");
    pending.set(ref, message);
  }

  // ---- Events ----
  const disposers = [
    session.on("chat", (message) => {
      names.set(message.from.id, message.from.name);
      // What is said out loud shows over the speaker on the map too.
      if (BUBBLE_SCOPES.has(message.scope)) renderer.say?.(message.from.id, message.text);
      const own = message.ref && pending.get(message.ref);
      if (own) {
        pending.delete(message.ref);
        chatLog.confirm(own.entry, message);
        // How many heard it is the server's count, from positions at the tick it was said.
        const heard = Number.isInteger(message.heard) ? message.heard : null;
        chatLog.setDelivery(own.entry, heard === 0 ? "unheard" : "delivered", "", heard);
        return;
      }
      const mine = message.from.id === session.world.selfId;
      const entry = chatLog.entry({ ...message, mine });
      if (mine) chatLog.setDelivery(entry, "delivered");
      chatLog.append(entry);
      if (!mine) {
        const info = scopeInfo(message.scope);
        announcer.textContent = `${message.from.name} (${info.label} · ${info.english}): ${message.text}`;
        if (!isShown()) onUnread(++unread);
      }
    }),
    session.on("error", (error) => {
      const text = errorText(error.code, error.message);
      const own = error.ref && pending.get(error.ref);
      if (own) {
        pending.delete(error.ref);
        chatLog.setDelivery(own.entry, "failed", text);
        if (error.code === "rate_limited" || error.code === "not_found") chatLog.addRetry(own.entry, () => send(own.scope, own.text, own.to));
        alerts.textContent = text;
        return;
      }
      // An error with someone else's `ref` answers an exhibit, quiz or moderation request;
      // the feature that sent it shows it where it belongs.
      if (error.ref) return;
      if (USER_ERRORS.has(error.code)) system(text, { alert: true });
    }),
    session.on("connection", ({ state }) => {
      if (state !== "reconnecting") return;
      // The socket is gone: what was not acknowledged may or may not have been stored.
      for (const message of pending.values()) {
        chatLog.setDelivery(message.entry, "unconfirmed");
        chatLog.addRetry(message.entry, () => send(message.scope, message.text, message.to));
      }
      pending.clear();
    }),
    session.on("people", (people) => {
      total = people.total;
      for (const person of people.people) names.set(person.id, person.name);
    }),
    session.on("welcome", ({ welcome }) => {
      scope.updateForRole();
      if (welcome.resumed) system("다시 연결되었어요 · Reconnected");
    }),
    session.on("resume_lost", () => {
      system("이전 연결을 이어갈 수 없어 새로 입장했어요 · The old connection could not be resumed, so you joined again.");
    }),
    listen(form, "submit", (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      if (scope.scope === "dm" && !direct) {
        alerts.textContent = errorText("not_found");
        return;
      }
      send(scope.scope, text, scope.scope === "dm" ? direct.id : undefined);
      input.value = "";
    }),
    // Enter anywhere outside a field opens the chat; Escape in a field goes back to the map.
    listen(window, "keydown", (event) => {
      if (event.key === "Enter" && !isTyping(event) && !modalOpen() && !(event.target instanceof HTMLButtonElement) &&
          !(event.target instanceof HTMLElement && event.target.closest("summary, a, dialog"))) {
        event.preventDefault();
        input.focus();
      } else if (event.key === "Escape" && isTyping(event) && !(event.target instanceof HTMLElement && event.target.closest("dialog"))) {
        event.preventDefault();
        canvas.focus();
      }
    }),
    // The circle of who hears "nearby" chat shows while typing.
    listen(input, "focus", () => { renderer.showHearing = scope.scope === "nearby"; }),
    listen(input, "blur", () => { renderer.showHearing = false; }),
  ];

  scope.updateForRole();

  return {
    openDirect,
    /** A line in the log from the room itself (an announcement, a quiz result). */
    system,
    refreshAudience: scope.refresh,
    /** The chat became visible: nothing is unread any more. */
    markRead() {
      unread = 0;
      onUnread(0);
    },
    dispose() {
      for (const off of disposers) off();
      scope.dispose();
      chatLog.clear();
      dmTarget.hidden = true;
    },
  };
}
