// The exhibit overlay: a native modal <dialog> (the browser keeps focus inside and
// Escape closes it) with the title, the viewer for the exhibit's kind, live viewers and
// the three reactions. It draws what it is given; exhibit-view.js owns the state.

import { KINDS, REACTIONS } from "../exhibits.js";
import { el, modalOpen } from "../dom.js";
import { viewerFor } from "./viewers.js";

const UNKNOWN_KIND = { icon: "✨", label: "전시", english: "Exhibit" };

/**
 * @param {object} options
 * @param {HTMLDialogElement} options.dialog with parts kind, title, description, viewers, body, reactions, status, close
 * @param {HTMLElement} options.canvas gets the focus back when the overlay closes
 * @param {object} options.context handed to viewers (viewers.js)
 * @param {(reaction: string) => void} options.onReact
 */
export function createOverlay({ dialog, canvas, context, onReact }) {
  const part = (name) => dialog.querySelector(`[data-part="${name}"]`);
  const parts = {
    kind: part("kind"), title: part("title"), description: part("description"), viewers: part("viewers"),
    body: part("body"), reactions: part("reactions"), status: part("status"), close: part("close"),
  };
  let viewer = null;
  let shownId = null;

  function buildReactions() {
    parts.reactions.replaceChildren(...REACTIONS.map((reaction) => el("button", {
      type: "button",
      class: "reaction",
      dataset: { testid: `react-${reaction.id}`, reaction: reaction.id },
      "aria-pressed": "false",
      onclick: () => onReact(reaction.id),
    }, el("span", { class: "emoji", "aria-hidden": "true", text: reaction.emoji }),
    el("span", { class: "reaction-label", text: `${reaction.label} · ${reaction.english}` }),
    el("span", { class: "reaction-count", text: "0" }))));
  }

  function show(open) {
    viewer?.dispose?.();
    shownId = open.id;
    const kind = KINDS[open.kind] ?? UNKNOWN_KIND;
    dialog.dataset.kind = open.kind;
    dialog.dataset.id = open.id;
    parts.kind.textContent = `${kind.icon} ${kind.label} · ${kind.english}`;
    parts.title.textContent = open.title;
    parts.description.textContent = open.description;
    parts.description.hidden = !open.description;
    parts.status.textContent = "";
    viewer = viewerFor(open.kind)(open, { ...context, dialog });
    parts.body.replaceChildren(viewer.element);
    buildReactions();
    if (!dialog.open) dialog.showModal();
    (viewer.focus ?? parts.close).focus({ preventScroll: true });
  }

  function hide() {
    shownId = null;
    viewer?.dispose?.();
    viewer = null;
    // Removing the content stops a playing video at once.
    parts.body.replaceChildren();
    delete dialog.dataset.id;
    if (dialog.open) dialog.close();
    if (!modalOpen()) canvas.focus({ preventScroll: true });
  }

  /** Live viewers and reaction counts, and which reactions are the visitor's. */
  function update(open, live) {
    const counts = live ?? { viewers: 0, reactions: { cheer: 0, like: 0, empathy: 0 } };
    parts.viewers.textContent = `👀 ${counts.viewers}명이 보는 중 · ${counts.viewers} viewing`;
    parts.viewers.dataset.count = String(counts.viewers);
    for (const button of parts.reactions.querySelectorAll("button.reaction")) {
      const id = button.dataset.reaction;
      const count = counts.reactions[id] ?? 0;
      const mine = open.mine.includes(id);
      const reaction = REACTIONS.find((r) => r.id === id);
      button.setAttribute("aria-pressed", String(mine));
      button.dataset.count = String(count);
      button.setAttribute("aria-busy", String(Boolean(open.pendingReactions[id])));
      button.setAttribute("aria-label", `${reaction.label} · ${reaction.english}: ${count}${mine ? " (내가 누름 · yours)" : ""}`);
      button.querySelector(".reaction-count").textContent = String(count);
    }
    viewer?.update?.(open);
  }

  return {
    show,
    hide,
    update,
    get shownId() {
      return shownId;
    },
    get closeButton() {
      return parts.close;
    },
    /** A line under the reactions (a reaction that was not saved). */
    status(text) {
      parts.status.textContent = text;
    },
    /** A notice the viewer shows itself (a board's post or page error). */
    notice(notice) {
      viewer?.notice?.(notice);
    },
    /** A key inside the dialog: true when the viewer used it. */
    onKey(event) {
      return Boolean(viewer?.onKey?.(event));
    },
  };
}
