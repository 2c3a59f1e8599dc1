// How the visitor shows themselves: the emote bar (also keys 1–8) and the status line.

import { EMOTES } from "./emotes.js";
import { el, isTyping, listen, modalOpen } from "./dom.js";

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {object} options.elements bar, toggle, dock, statusForm, statusInput
 */
export function attachPresence({ session, elements }) {
  const { bar, toggle, dock, statusForm, statusInput } = elements;

  const setOpen = (open) => {
    dock.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", String(open));
  };

  for (const [index, emote] of EMOTES.entries()) {
    bar.append(el("button", {
      type: "button",
      title: `${emote.label} (${index + 1})`,
      "aria-label": emote.label,
      "aria-keyshortcuts": String(index + 1),
      dataset: { testid: `emote-${emote.name}` },
      onclick: () => {
        session.emote(emote.name);
        setOpen(false);
      },
    }, emote.emoji, el("span", { class: "key", "aria-hidden": "true", text: String(index + 1) })));
  }

  const disposers = [
    listen(toggle, "click", () => setOpen(!dock.classList.contains("open"))),
    listen(window, "keydown", (event) => {
      if (isTyping(event) || event.ctrlKey || event.metaKey || event.altKey || modalOpen()) return;
      const emote = EMOTES[Number(event.key) - 1];
      if (emote && /^[1-8]$/.test(event.key)) session.emote(emote.name);
    }),
    listen(statusForm, "submit", (event) => {
      event.preventDefault();
      // An empty status clears it.
      session.status(statusInput.value.trim());
      statusInput.blur();
    }),
  ];

  return {
    dispose() {
      for (const dispose of disposers) dispose();
      bar.replaceChildren();
      setOpen(false);
    },
  };
}
