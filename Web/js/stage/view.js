// What the visitor sees of the stage: in the sidebar's stage panel, a video per presenter
// on air (their name, a LIVE badge, and a mute for the listener), or the map's external
// stream when the stage has no video of its own; for moderators, who is on air (stop),
// the raised hands (spotlight, dismiss) and the broadcasts they stopped (start again).
// In the toolbar over the map: raise hand, and screen sharing for whoever is on air.

import { el } from "../dom.js";
import { streamKind } from "./model.js";

const WORDS = {
  title: "무대 · Stage",
  live: "LIVE",
  empty: "무대가 비어 있어요 · Nobody is on stage",
  noVideo: "무대 영상이 없어요: 무대 채팅으로 이어져요 · No stage video: follow the stage chat",
  stream: "외부 중계 · External stream",
  handUp: "손 들기 · Raise hand",
  handDown: "손 내리기 · Lower hand",
  shareOn: "화면 공유 · Share screen",
  shareOff: "화면 공유 끝내기 · Stop sharing",
  mute: "소리 끄기 · Mute",
  unmute: "소리 켜기 · Unmute",
  onAir: "방송 중 · On air",
  hands: "손 든 사람 · Raised hands",
  stopped: "멈춘 방송 · Stopped",
  stop: "멈추기 · Stop",
  start: "다시 시작 · Start",
  answer: "발언권 주기 · Spotlight",
  dismiss: "내리기 · Dismiss",
  onAirSelf: "방송 중이에요 · You are on air",
};

/**
 * @param {object} options
 * @param {{toolbar: HTMLElement, panel: HTMLElement}} options.slots
 * @param {boolean} options.moderator shows the moderator's controls
 * @param {{onHand: () => void, onShare: () => void, onStop: (id: number) => void, onStart: (id: number) => void,
 *          onSpotlight: (id: number) => void, onDismiss: (id: number) => void}} options.actions
 */
export function createStageView({ slots, moderator, actions }) {
  const hand = el("button", { type: "button", class: "media-button", "aria-pressed": "false", "aria-label": WORDS.handUp, title: WORDS.handUp, dataset: { testid: "stage-hand" }, onclick: () => actions.onHand() }, "✋");
  const share = el("button", { type: "button", class: "media-button", "aria-pressed": "false", "aria-label": WORDS.shareOn, title: WORDS.shareOn, hidden: true, dataset: { testid: "stage-share" }, onclick: () => actions.onShare() }, "🖥️");
  slots.toolbar.append(hand, share);

  const status = el("p", { class: "stage-status", "aria-live": "polite", dataset: { testid: "stage-status" } });
  const videos = el("div", { class: "stage-videos", role: "list", dataset: { testid: "stage-videos" } });
  const stream = el("div", { class: "stage-stream", hidden: true, dataset: { testid: "stage-stream" } });
  const controls = el("div", { class: "stage-mod", hidden: !moderator, dataset: { testid: "stage-mod" } });
  const root = el("div", { class: "stage-panel", dataset: { testid: "stage-panel" } },
    el("h2", { class: "stage-title" }, WORDS.title), status, videos, stream, controls);
  /** @type {Map<number, {root: HTMLElement, video: HTMLVideoElement, mute: HTMLButtonElement, caption: HTMLElement}>} */
  const tiles = new Map();
  let shown = false;
  let streamUrl = null;

  function tile(feed, name, onMute) {
    const video = el("video", { autoplay: true, playsinline: true });
    const caption = el("span", { class: "stage-name" });
    const badge = el("span", { class: "stage-live", dataset: { testid: "stage-live" } }, WORDS.live);
    const mute = el("button", { type: "button", class: "stage-mute", "aria-pressed": "false", "aria-label": WORDS.mute, title: WORDS.mute, dataset: { testid: "stage-mute" } }, "🔊");
    mute.addEventListener("click", () => onMute(!video.muted));
    const root = el("figure", { class: "stage-tile", role: "listitem", dataset: { feed: String(feed), testid: "stage-tile" } },
      video, el("figcaption", {}, badge, caption, mute));
    const entry = { root, video, mute, caption };
    caption.textContent = name;
    return entry;
  }

  function list(title, people, buttons, testid) {
    if (people.length === 0) return null;
    return el("section", { class: "stage-list", dataset: { testid } }, el("h3", {}, title),
      el("ul", {}, ...people.map((person) => el("li", { dataset: { avatar: String(person.id) } },
        el("span", {}, person.name), ...buttons.map(([label, act, testidButton]) =>
          el("button", { type: "button", class: "button quiet", dataset: { testid: testidButton }, onclick: () => act(person.id) }, label))))));
  }

  return {
    /** Shows the panel when something is on, the own controls, and the moderator's lists. */
    render({ model, video, stopped = [], sharing = false, canShare = false }) {
      hand.setAttribute("aria-pressed", String(model.handUp));
      hand.setAttribute("aria-label", model.handUp ? WORDS.handDown : WORDS.handUp);
      hand.title = model.handUp ? WORDS.handDown : WORDS.handUp;
      share.hidden = !canShare;
      share.setAttribute("aria-pressed", String(sharing));
      share.title = sharing ? WORDS.shareOff : WORDS.shareOn;
      share.setAttribute("aria-label", share.title);
      const kind = streamKind(streamUrl);
      const fallback = !video && kind !== null;
      stream.hidden = !fallback;
      if (model.mayPublish) status.textContent = WORDS.onAirSelf;
      else if (!video && model.busy) status.textContent = WORDS.noVideo;
      else status.textContent = model.onAir.length === 0 && !fallback ? WORDS.empty : "";
      if (moderator) {
        controls.replaceChildren(...[
          list(WORDS.onAir, model.onAir, [[WORDS.stop, actions.onStop, "stage-stop"]], "stage-on-air"),
          list(WORDS.hands, model.hands, [[WORDS.answer, actions.onSpotlight, "stage-answer"], [WORDS.dismiss, actions.onDismiss, "stage-dismiss"]], "stage-hands"),
          list(WORDS.stopped, stopped, [[WORDS.start, actions.onStart, "stage-start"]], "stage-stopped"),
        ].filter(Boolean));
      }
      const wanted = model.busy || fallback || moderator || tiles.size > 0;
      if (wanted !== shown) {
        shown = wanted;
        if (wanted) slots.panel.append(root);
        else root.remove();
      }
    },

    /** The map's external stream, shown while the stage has no video of its own. */
    setStreamUrl(url) {
      streamUrl = url ?? null;
      const kind = streamKind(streamUrl);
      stream.replaceChildren();
      if (kind === "video") stream.append(el("video", { src: streamUrl, controls: true, playsinline: true, autoplay: true, muted: true }));
      if (kind === "page") stream.append(el("iframe", { src: streamUrl, title: WORDS.stream, allow: "autoplay; fullscreen", referrerpolicy: "no-referrer" }));
      if (kind) stream.append(el("a", { href: streamUrl, target: "_blank", rel: "noopener" }, WORDS.stream));
    },

    /** A video for a feed on air; its stream arrives with `setTracks`. */
    addFeed(feed, name, onMute) {
      if (tiles.has(feed)) return;
      const entry = tile(feed, name, (muted) => {
        entry.video.muted = muted;
        entry.mute.setAttribute("aria-pressed", String(muted));
        entry.mute.textContent = muted ? "🔇" : "🔊";
        entry.mute.title = muted ? WORDS.unmute : WORDS.mute;
        entry.mute.setAttribute("aria-label", entry.mute.title);
        onMute?.(muted);
      });
      tiles.set(feed, entry);
      videos.append(entry.root);
    },

    setName(feed, name) {
      const entry = tiles.get(feed);
      if (entry) entry.caption.textContent = name;
    },

    setStream(feed, mediaStream) {
      const entry = tiles.get(feed);
      if (entry && entry.video.srcObject !== mediaStream) entry.video.srcObject = mediaStream;
    },

    removeFeed(feed) {
      const entry = tiles.get(feed);
      if (!entry) return;
      entry.video.srcObject = null;
      entry.root.remove();
      tiles.delete(feed);
    },

    get feeds() {
      return [...tiles.keys()];
    },

    dispose() {
      for (const feed of [...tiles.keys()]) this.removeFeed(feed);
      hand.remove();
      share.remove();
      root.remove();
    },
  };
}
