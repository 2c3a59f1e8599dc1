// Pieces the exhibit viewers share: an image, a previous/next pager, the empty message.

import { el } from "../dom.js";

export function image(url, alt, attributes = {}) {
  return el("img", { src: url, alt, decoding: "async", draggable: "false", ...attributes });
}

/** Previous/next over `count` pages with a "2 / 4" line; `show(index)` draws a page. */
export function pager(count, show, { label = "쪽 · Page" } = {}) {
  let index = 0;
  const status = el("span", { class: "pager-status", "aria-live": "polite", dataset: { testid: "exhibit-page" } });
  const previous = el("button", { type: "button", class: "button small secondary", "aria-label": "이전 · Previous", dataset: { testid: "exhibit-previous" }, text: "‹ 이전 · Prev" });
  const next = el("button", { type: "button", class: "button small secondary", "aria-label": "다음 · Next", dataset: { testid: "exhibit-next" }, text: "다음 · Next ›" });
  const go = (target) => {
    index = Math.min(count - 1, Math.max(0, target));
    previous.disabled = index === 0;
    next.disabled = index === count - 1;
    status.textContent = `${label} ${index + 1} / ${count}`;
    status.dataset.index = String(index);
    show(index);
  };
  previous.addEventListener("click", () => go(index - 1));
  next.addEventListener("click", () => go(index + 1));
  const element = el("div", { class: "pager", hidden: count < 2 }, previous, status, next);
  return { element, go, get index() { return index; }, step: (delta) => go(index + delta) };
}

export function emptyContent() {
  return { element: el("p", { class: "empty", text: "보여 줄 내용이 없어요 · Nothing to show." }) };
}
