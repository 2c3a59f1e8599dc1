// The moderator's announcement form: counts characters as the server does (1–300),
// Enter sends (not while an IME composes), Shift+Enter is a new line.

import { el, listen } from "../dom.js";
import { characterCount } from "../text.js";

export const ANNOUNCE_MAX = 300;

/**
 * @param {object} options
 * @param {(action: string, fields: object) => string|null} options.send
 * @param {{show: Function}} options.toaster
 */
export function createAnnounceForm({ send, toaster }) {
  const input = el("textarea", { id: "mod-announce-input", rows: "2", maxlength: String(ANNOUNCE_MAX * 4), dataset: { testid: "mod-announce-input" }, "aria-describedby": "mod-announce-counter" });
  const counter = el("span", { id: "mod-announce-counter", class: "counter", text: `0 / ${ANNOUNCE_MAX}` });
  const form = el("form", { class: "mod-announce" },
    el("label", { for: "mod-announce-input", text: "모두에게 공지 · Announce to everyone" }),
    input,
    el("div", { class: "row" }, counter,
      el("button", { type: "submit", class: "button small primary", dataset: { testid: "mod-announce-send" }, text: "📣 공지 · Announce" })));

  const count = () => characterCount(input.value.trim());
  const showCount = () => {
    counter.textContent = `${count()} / ${ANNOUNCE_MAX}`;
    counter.classList.toggle("over", count() > ANNOUNCE_MAX);
  };

  const disposers = [
    listen(input, "input", showCount),
    listen(input, "keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        form.requestSubmit();
      }
    }),
    listen(form, "submit", (event) => {
      event.preventDefault();
      const text = input.value.trim();
      const length = characterCount(text);
      if (length === 0 || length > ANNOUNCE_MAX) {
        toaster.show(length === 0 ? "공지 내용을 써 주세요 · Write the announcement first." : `${ANNOUNCE_MAX}자까지 · At most ${ANNOUNCE_MAX} characters.`, { kind: "error" });
        return;
      }
      if (send("announce", { text })) input.value = "";
      showCount();
    }),
  ];
  return { element: form, dispose: () => disposers.forEach((dispose) => dispose()) };
}
