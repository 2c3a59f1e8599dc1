// The comic viewer: one page at a time (buttons, ←/→, Home/End, a tap on the left or
// right half), the neighbouring pages loaded ahead.

import { el } from "../dom.js";
import { emptyContent, image, pager } from "./parts.js";

const PRELOADED = 4;

export function comicViewer(open) {
  const urls = open.content;
  if (!urls.length) return emptyContent();
  const img = image(urls[0], "", { class: "comic-page", dataset: { testid: "exhibit-image" } });
  const preload = [];
  const frame = el("div", { class: "comic-frame", tabindex: "0", "aria-label": `${open.title} — ←/→ 쪽 넘기기 · arrow keys turn pages` }, img);
  const pages = pager(urls.length, (index) => {
    img.src = urls[index];
    img.alt = `${open.title} — ${index + 1} / ${urls.length}쪽 · page ${index + 1} of ${urls.length}`;
    frame.scrollTop = 0;
    // The neighbours load ahead, so turning a page is instant.
    for (const near of [index + 1, index - 1]) if (urls[near]) preload.push(image(urls[near], ""));
    preload.splice(0, Math.max(0, preload.length - PRELOADED));
  });
  // On a phone: tap the right half for the next page, the left half for the previous.
  img.addEventListener("click", (event) => {
    const rect = img.getBoundingClientRect();
    pages.step(event.clientX > rect.left + rect.width / 2 ? 1 : -1);
  });
  pages.go(0);
  return {
    element: el("div", { class: "comic-viewer" }, frame, pages.element),
    focus: frame,
    onKey(event) {
      if (event.key === "ArrowRight" || event.key === "PageDown") pages.step(1);
      else if (event.key === "ArrowLeft" || event.key === "PageUp") pages.step(-1);
      else if (event.key === "Home") pages.go(0);
      else if (event.key === "End") pages.go(urls.length - 1);
      else return false;
      return true;
    },
  };
}
