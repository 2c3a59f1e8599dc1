// The chat log: one entry per message, newest last, capped; own messages follow their
// delivery (pending → delivered, failed or unconfirmed) and offer a retry; lines from
// the room itself (announcements, reconnections).

import { el } from "../dom.js";
import { SCOPES } from "../text.js";

export const MAX_ENTRIES = 300;
/** Scrolled this close to the bottom, the log follows new messages. */
const FOLLOW_PX = 60;

export const scopeInfo = (id) => SCOPES.find((scope) => scope.id === id) ?? SCOPES[0];

function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export const DELIVERY_TEXT = {
  pending: "보내는 중… · sending…",
  delivered: "✓ 전달됨 · delivered",
  unheard: "아무도 듣지 못했어요 · nobody heard this",
  failed: "보내지 못함 · not sent",
  unconfirmed: "전달 확인 안 됨 · not confirmed",
};

/** "Heard by N", as the server counted: the listeners besides the sender. */
export const heardText = (count) => `✓ ${count}명이 들었어요 · heard by ${count}`;

/**
 * @param {object} options
 * @param {HTMLElement} options.log the <ol>
 * @param {(id: number) => string} options.nameOf a name for an avatar id
 * @param {(person: {id: number, name: string}) => void} options.onSender a sender's name was pressed
 */
export function createChatLog({ log, nameOf, onSender }) {
  function append(entry) {
    const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < FOLLOW_PX;
    log.append(entry);
    while (log.children.length > MAX_ENTRIES) log.firstElementChild.remove();
    if (nearBottom) log.scrollTop = log.scrollHeight;
  }

  function entry({ from, scope, text, time, to, mine }) {
    const info = scopeInfo(scope);
    let scopeLabel = `${info.label} · ${info.english}`;
    if (scope === "dm" && mine && to !== undefined) scopeLabel += ` → ${nameOf(to)}`;
    const sender = mine
      ? el("span", { class: "sender", text: `${from.name} (나 · me)` })
      : el("button", {
        type: "button", class: "sender", text: from.name,
        "aria-label": `${from.name} 님에게 귓속말 · Message ${from.name}`,
        onclick: () => onSender(from),
      });
    return el("li", { class: `message${mine ? " mine" : ""}`, dataset: { testid: "chat-entry", scope } },
      el("div", { class: "meta" },
        sender,
        el("span", { class: `scope-tag scope-${scope}`, text: scopeLabel }),
        el("time", { datetime: new Date(time).toISOString(), text: clock(time) }),
        el("span", { class: "delivery" })),
      el("div", { class: "text", text }));
  }

  /**
   * Marks an own entry: pending, delivered, unheard, failed or unconfirmed; a delivered
   * one says how many heard it when the server told (`heard`).
   */
  function setDelivery(item, state, note = "", heard = null) {
    item.dataset.state = state;
    if (heard === null) delete item.dataset.heard;
    else item.dataset.heard = String(heard);
    item.classList.toggle("failed", state === "failed" || state === "unconfirmed");
    const delivery = item.querySelector(".delivery");
    delivery.className = `delivery ${state === "delivered" ? "sent" : state === "pending" || state === "unheard" ? state : "failed"}`;
    delivery.textContent = state === "failed" && note ? `${DELIVERY_TEXT.failed}: ${note}`
      : state === "delivered" && heard ? heardText(heard) : DELIVERY_TEXT[state];
  }

  /** The server's copy of an own message: its cleaned text and its time are the truth. */
  function confirm(item, message) {
    item.querySelector(".text").textContent = message.text;
    const time = item.querySelector("time");
    time.dateTime = new Date(message.time).toISOString();
    time.textContent = clock(message.time);
  }

  function addRetry(item, retry) {
    if (item.querySelector(".retry")) return;
    item.querySelector(".meta").append(el("button", {
      type: "button", class: "retry", text: "다시 보내기 · Retry",
      onclick: () => {
        item.remove();
        retry();
      },
    }));
  }

  function system(text) {
    append(el("li", { class: "message system", dataset: { testid: "chat-system" }, text }));
  }

  return { append, entry, setDelivery, confirm, addRetry, system, clear: () => log.replaceChildren() };
}
