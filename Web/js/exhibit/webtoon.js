// The webtoon viewer: every panel in one vertical scroller, loaded as it comes near.

import { el } from "../dom.js";
import { emptyContent, image } from "./parts.js";

export function webtoonViewer(open) {
  const urls = open.content;
  if (!urls.length) return emptyContent();
  const scroller = el("div", { class: "webtoon", tabindex: "0", "aria-label": `${open.title} — 스크롤해서 읽어요 · scroll to read` },
    ...urls.map((url, index) => image(url, `${open.title} (${index + 1} / ${urls.length})`, {
      loading: index === 0 ? "eager" : "lazy",
      dataset: index === 0 ? { testid: "exhibit-image" } : {},
    })));
  return { element: scroller, focus: scroller };
}
