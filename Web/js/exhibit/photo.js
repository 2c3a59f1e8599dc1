// The photo viewer: zoom in steps (+/−/0, double click, Ctrl+wheel), scroll to pan, and
// previous/next when an exhibit holds several photos.

import { el } from "../dom.js";
import { emptyContent, image, pager } from "./parts.js";

export const ZOOM_STEPS = [1, 1.5, 2, 3, 4];

/** @param {object} open the open exhibit (exhibits.js) @param {{dialog: HTMLElement}} context */
export function photoViewer(open, { dialog }) {
  const urls = open.content;
  if (!urls.length) return emptyContent();
  let zoomIndex = 0;
  const img = image(urls[0], open.title, { class: "photo", dataset: { testid: "exhibit-image" } });
  const stage = el("div", { class: "photo-stage", tabindex: "0", "aria-label": `${open.title} — +/− 확대, 확대하면 스크롤로 이동 · +/− to zoom, scroll to pan` }, img);
  const level = el("output", { class: "zoom-level", text: "100%", "aria-live": "polite" });
  const setZoom = (target) => {
    const before = ZOOM_STEPS[zoomIndex];
    zoomIndex = Math.min(ZOOM_STEPS.length - 1, Math.max(0, target));
    const zoom = ZOOM_STEPS[zoomIndex];
    // Keep the middle of what is seen in the middle.
    const cx = (stage.scrollLeft + stage.clientWidth / 2) / Math.max(1, stage.scrollWidth);
    const cy = (stage.scrollTop + stage.clientHeight / 2) / Math.max(1, stage.scrollHeight);
    if (zoom === 1) {
      img.style.width = "";
      stage.classList.remove("zoomed");
    } else {
      if (before === 1) img.dataset.base = String(img.getBoundingClientRect().width || stage.clientWidth);
      img.style.width = `${Number(img.dataset.base) * zoom}px`;
      stage.classList.add("zoomed");
    }
    stage.scrollLeft = cx * stage.scrollWidth - stage.clientWidth / 2;
    stage.scrollTop = cy * stage.scrollHeight - stage.clientHeight / 2;
    level.textContent = `${Math.round(zoom * 100)}%`;
    dialog.dataset.zoom = String(zoom);
  };
  const tools = el("div", { class: "viewer-tools", role: "group", "aria-label": "확대 · Zoom" },
    el("button", { type: "button", class: "round", "aria-label": "축소 · Zoom out", dataset: { testid: "photo-zoom-out" }, text: "−", onclick: () => setZoom(zoomIndex - 1) }),
    level,
    el("button", { type: "button", class: "round", "aria-label": "확대 · Zoom in", dataset: { testid: "photo-zoom-in" }, text: "+", onclick: () => setZoom(zoomIndex + 1) }),
    el("button", { type: "button", class: "button small secondary", text: "맞춤 · Fit", onclick: () => setZoom(0) }));
  img.addEventListener("dblclick", () => setZoom(zoomIndex === 0 ? 2 : 0));
  stage.addEventListener("wheel", (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    setZoom(zoomIndex + (event.deltaY < 0 ? 1 : -1));
  }, { passive: false });
  const pages = pager(urls.length, (index) => {
    setZoom(0);
    img.src = urls[index];
    img.alt = urls.length > 1 ? `${open.title} (${index + 1} / ${urls.length})` : open.title;
  }, { label: "사진 · Photo" });
  pages.go(0);
  dialog.dataset.zoom = "1";
  return {
    element: el("div", { class: "photo-viewer" }, stage, el("div", { class: "viewer-bar" }, tools, pages.element)),
    focus: stage,
    onKey(event) {
      if (event.key === "+" || event.key === "=") setZoom(zoomIndex + 1);
      else if (event.key === "-" || event.key === "_") setZoom(zoomIndex - 1);
      else if (event.key === "0") setZoom(0);
      else if (event.key === "ArrowRight" && urls.length > 1 && zoomIndex === 0) pages.step(1);
      else if (event.key === "ArrowLeft" && urls.length > 1 && zoomIndex === 0) pages.step(-1);
      else return false;
      return true;
    },
  };
}
