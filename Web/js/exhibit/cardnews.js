// The card news viewer: a scroll-snap carousel (a swipe on a phone; arrows, dots and
// ←/→ elsewhere) that knows which card is in view once scrolling settles.

import { el } from "../dom.js";
import { emptyContent, image } from "./parts.js";

const SETTLE_MS = 80;

export function cardViewer(open) {
  const urls = open.content;
  if (!urls.length) return emptyContent();
  let current = 0;
  const cards = urls.map((url, index) => el("div", {
    class: "card", role: "group", "aria-roledescription": "카드 · card", "aria-label": `${index + 1} / ${urls.length}`,
  }, image(url, `${open.title} — 카드 ${index + 1} / ${urls.length} · card ${index + 1} of ${urls.length}`, {
    loading: index < 2 ? "eager" : "lazy",
    dataset: index === 0 ? { testid: "exhibit-image" } : {},
  })));
  // Native horizontal scrolling with snap points: a swipe on a phone, arrows and dots elsewhere.
  const track = el("div", {
    class: "cards", tabindex: "0", role: "region", "aria-roledescription": "카드뉴스 · carousel",
    "aria-label": `${open.title} — ←/→ 또는 밀어서 넘기기 · arrow keys or swipe`,
  }, ...cards);
  const status = el("span", { class: "pager-status", "aria-live": "polite", dataset: { testid: "exhibit-page" } });
  const dots = urls.map((_, index) => el("button", {
    type: "button", class: "dot", "aria-label": `카드 ${index + 1} · Card ${index + 1}`, onclick: () => go(index),
  }));
  const previous = el("button", { type: "button", class: "round", "aria-label": "이전 카드 · Previous card", dataset: { testid: "exhibit-previous" }, text: "‹", onclick: () => go(current - 1) });
  const next = el("button", { type: "button", class: "round", "aria-label": "다음 카드 · Next card", dataset: { testid: "exhibit-next" }, text: "›", onclick: () => go(current + 1) });
  function mark(index) {
    current = index;
    dots.forEach((dot, i) => dot.setAttribute("aria-current", String(i === index)));
    previous.disabled = index === 0;
    next.disabled = index === urls.length - 1;
    status.textContent = `카드 · Card ${index + 1} / ${urls.length}`;
    status.dataset.index = String(index);
  }
  function go(index) {
    const target = Math.min(urls.length - 1, Math.max(0, index));
    const smooth = !matchMedia("(prefers-reduced-motion: reduce)").matches;
    track.scrollTo({ left: target * track.clientWidth, behavior: smooth ? "smooth" : "auto" });
    mark(target);
  }
  let settle = null;
  track.addEventListener("scroll", () => {
    clearTimeout(settle);
    settle = setTimeout(() => mark(Math.round(track.scrollLeft / Math.max(1, track.clientWidth))), 80);
  });
  mark(0);
  return {
    element: el("div", { class: "card-viewer" }, track,
      el("div", { class: "card-controls" }, previous, el("div", { class: "dots", role: "group", "aria-label": "카드 고르기 · Choose a card" }, ...dots), next),
      status),
    focus: track,
    onKey(event) {
      if (event.key === "ArrowRight") go(current + 1);
      else if (event.key === "ArrowLeft") go(current - 1);
      else if (event.key === "Home") go(0);
      else if (event.key === "End") go(urls.length - 1);
      else return false;
      return true;
    },
    dispose() {
      clearTimeout(settle);
    },
  };
}
