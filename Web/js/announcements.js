// Announcements from a moderator (`announcement` {text, from, time}): a banner over the
// map that everyone sees until they close it (or for a while), a line in the chat log,
// and the text for screen readers.

import { el, listen } from "./dom.js";

const SHOW_MS = 30000;

/** `from` is a name, or an object with one. */
function senderName(from) {
  if (typeof from === "string") return from;
  if (from && typeof from.name === "string") return from.name;
  return "";
}

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {object} options.elements banner, alerts (an assertive live region)
 * @param {(text: string) => void} [options.log] writes a line in the chat log
 */
export function attachAnnouncements({ session, elements, log = () => {} }) {
  const { banner, alerts } = elements;
  let timer = null;
  const text = el("p", { class: "announcement-text", dataset: { testid: "announcement-text" } });
  const meta = el("p", { class: "announcement-meta" });
  const close = el("button", { type: "button", class: "announcement-close", "aria-label": "공지 닫기 · Dismiss the announcement", text: "×" });
  banner.replaceChildren(el("span", { class: "announcement-icon", "aria-hidden": "true", text: "📣" }), el("div", {}, meta, text), close);
  banner.hidden = true;

  const hide = () => {
    banner.hidden = true;
    clearTimeout(timer);
  };

  const disposers = [
    listen(close, "click", hide),
    session.on("announcement", (message) => {
      if (typeof message.text !== "string") return;
      const from = senderName(message.from);
      const time = Number.isFinite(message.time) ? new Date(message.time) : new Date();
      meta.textContent = `공지 · Announcement${from ? ` — ${from}` : ""} · ${time.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
      text.textContent = message.text;
      banner.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(hide, SHOW_MS);
      alerts.textContent = `공지 · Announcement: ${message.text}`;
      log(`📣 ${from ? `${from}: ` : ""}${message.text}`);
    }),
  ];

  return {
    dispose() {
      clearTimeout(timer);
      for (const dispose of disposers) dispose();
      banner.hidden = true;
    },
  };
}
