// The video viewer: the browser's own controls; closing the exhibit stops playback.

import { el } from "../dom.js";
import { emptyContent } from "./parts.js";

export function videoViewer(open) {
  const urls = open.content;
  if (!urls.length) return emptyContent();
  const videos = urls.map((url, index) => el("video", {
    src: url, controls: true, preload: "metadata", playsinline: true,
    "aria-label": urls.length > 1 ? `${open.title} (${index + 1} / ${urls.length})` : open.title,
    dataset: { testid: "exhibit-video" },
  }, el("a", { href: url, text: "영상 내려받기 · Download the video" })));
  return {
    element: el("div", { class: "video-viewer" }, ...videos),
    focus: videos[0],
    dispose() {
      for (const video of videos) video.pause();
    },
  };
}
