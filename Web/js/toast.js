// Short notices that come and go (a moderator's action done, an error about a request):
// stacked in one polite live region, each gone after a few seconds or when dismissed.

import { el } from "./dom.js";

const SHOW_MS = { ok: 3500, info: 5000, error: 7000 };
const MAX_TOASTS = 4;

/** @param {HTMLElement} container the stack (role="status") */
export function createToaster(container) {
  return {
    /** Shows `text`; `kind` is ok, info or error. Returns the element. */
    show(text, { kind = "info", ms = SHOW_MS[kind] ?? 5000 } = {}) {
      const toast = el("div", { class: `toast toast-${kind}`, dataset: { testid: "toast", kind } },
        el("span", { class: "toast-text", text }),
        el("button", { type: "button", class: "toast-close", "aria-label": "닫기 · Dismiss", text: "×", onclick: () => toast.remove() }));
      container.append(toast);
      while (container.children.length > MAX_TOASTS) container.firstElementChild.remove();
      setTimeout(() => toast.remove(), ms);
      return toast;
    },
    clear() {
      container.replaceChildren();
    },
  };
}
