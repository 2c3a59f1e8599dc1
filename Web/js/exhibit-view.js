// Exhibits on screen: the hint when one is in reach ("X 키로 열기 · press X to open"),
// X or a tap to open it, the overlay (a modal dialog: the browser traps focus in it and
// Escape closes it) with a viewer per kind, reactions and live viewers, the cheer wall's
// notes, and the viewers count drawn on the map. The state lives in exhibits.js.

import {
  KINDS, NOTES_PAGE, NOTE_MAX, REACTIONS, approachTile, exhibitAtPoint, exhibitInReach, exhibitsOf,
  initialExhibitState, oldestNoteId, ownsRef, reduceExhibits,
} from "./exhibits.js";
import { el, isTyping, listen, modalOpen } from "./dom.js";
import { characterCount, errorText } from "./text.js";

const CHECK_MS = 150;
const SERVER_TYPES = ["exhibit", "exhibit_state", "exhibit_closed", "reacted", "note", "note_hidden", "notes"];
const ZOOM_STEPS = [1, 1.5, 2, 3, 4];

function noteTime(ms) {
  const date = new Date(ms);
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

function errorFor(code) {
  if (code === "not_found") return errorText("exhibit_not_found");
  return errorText(code);
}

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {import("./renderer.js").Renderer} options.renderer
 * @param {{walk: Function, onTap: Function}} options.input
 * @param {{show: Function}} options.toaster
 * @param {object} options.elements hint (a button), dialog (the overlay <dialog>), canvas
 */
export function attachExhibits({ session, renderer, input, toaster, elements }) {
  const { hint, dialog, canvas } = elements;
  const part = (name) => dialog.querySelector(`[data-part="${name}"]`);
  const parts = {
    kind: part("kind"), title: part("title"), description: part("description"), viewers: part("viewers"),
    body: part("body"), reactions: part("reactions"), status: part("status"), close: part("close"),
  };

  let state = initialExhibitState();
  let exhibits = exhibitsOf(session.map);
  let reach = null;
  /** Walking to an exhibit that was tapped: opened on arrival. */
  let autoOpen = null;
  let ownWalk = false;
  let viewer = null;
  let shownId = null;

  // ---- State ----

  function dispatch(action) {
    const previous = state;
    state = reduceExhibits(state, action);
    render(previous);
  }

  function request(type, fields) {
    const ref = session.request(type, fields, "x");
    if (!ref) toaster.show("연결되지 않았어요 · Not connected.", { kind: "error" });
    return ref;
  }

  function openExhibit(id) {
    if (state.opening || state.open?.id === id) return;
    const ref = request("exhibit_open", { id });
    if (ref) dispatch({ type: "open_request", id, ref });
  }

  function closeByVisitor() {
    if (!state.open) return;
    session.send("exhibit_close");
    dispatch({ type: "close_request" });
  }

  // ---- Rendering ----

  function render(previous) {
    const open = state.open;
    if (open && open.id !== shownId) build(open);
    if (!open && shownId !== null) teardownOverlay();
    if (open) {
      updateLive(open);
      viewer?.update?.(open);
    }
    hint.setAttribute("aria-busy", String(Boolean(state.opening)));
    if (state.seq !== previous.seq && state.notice) tell(state.notice);
  }

  function tell(notice) {
    switch (notice.what) {
      case "open":
        toaster.show(errorFor(notice.code), { kind: "error" });
        break;
      case "closed":
        toaster.show("전시물에서 멀어져서 닫혔어요 · You walked away, so the exhibit closed.", { kind: "info" });
        break;
      case "react":
        parts.status.textContent = `반응을 남기지 못했어요 · The reaction was not saved: ${errorText(notice.code)}`;
        break;
      case "hide":
        toaster.show(notice.code === "not_found" ? errorText("note_not_found") : errorText(notice.code), { kind: "error" });
        break;
      default:
        viewer?.notice?.(notice); // post and page errors show in the board itself
        break;
    }
  }

  function build(open) {
    viewer?.dispose?.();
    shownId = open.id;
    const kind = KINDS[open.kind] ?? { icon: "✨", label: "전시", english: "Exhibit" };
    dialog.dataset.kind = open.kind;
    dialog.dataset.id = open.id;
    parts.kind.textContent = `${kind.icon} ${kind.label} · ${kind.english}`;
    parts.title.textContent = open.title;
    parts.description.textContent = open.description;
    parts.description.hidden = !open.description;
    parts.status.textContent = "";
    const make = { photo: photoViewer, comic: comicViewer, webtoon: webtoonViewer, video: videoViewer, cardnews: cardViewer, board: boardViewer }[open.kind] ?? photoViewer;
    viewer = make(open);
    parts.body.replaceChildren(viewer.element);
    buildReactions();
    if (!dialog.open) dialog.showModal();
    (viewer.focus ?? parts.close).focus({ preventScroll: true });
  }

  function teardownOverlay() {
    shownId = null;
    viewer?.dispose?.();
    viewer = null;
    // Removing the content stops a playing video at once.
    parts.body.replaceChildren();
    delete dialog.dataset.id;
    if (dialog.open) dialog.close();
    if (!modalOpen()) canvas.focus({ preventScroll: true });
  }

  function buildReactions() {
    parts.reactions.replaceChildren(...REACTIONS.map((reaction) => el("button", {
      type: "button",
      class: "reaction",
      dataset: { testid: `react-${reaction.id}`, reaction: reaction.id },
      "aria-pressed": "false",
      onclick: () => react(reaction.id),
    }, el("span", { class: "emoji", "aria-hidden": "true", text: reaction.emoji }),
    el("span", { class: "reaction-label", text: `${reaction.label} · ${reaction.english}` }),
    el("span", { class: "reaction-count", text: "0" }))));
  }

  function react(reaction) {
    const open = state.open;
    if (!open || open.pendingReactions[reaction]) return;
    const on = !open.mine.includes(reaction);
    parts.status.textContent = "";
    const ref = request("react", { id: open.id, reaction, on });
    if (ref) dispatch({ type: "react_request", reaction, on, ref });
  }

  function updateLive(open) {
    const live = state.live[open.id] ?? { viewers: 0, reactions: { cheer: 0, like: 0, empathy: 0 } };
    parts.viewers.textContent = `👀 ${live.viewers}명이 보는 중 · ${live.viewers} viewing`;
    parts.viewers.dataset.count = String(live.viewers);
    for (const button of parts.reactions.querySelectorAll("button.reaction")) {
      const id = button.dataset.reaction;
      const count = live.reactions[id] ?? 0;
      const mine = open.mine.includes(id);
      const reaction = REACTIONS.find((r) => r.id === id);
      button.setAttribute("aria-pressed", String(mine));
      button.dataset.count = String(count);
      button.setAttribute("aria-busy", String(Boolean(open.pendingReactions[id])));
      button.setAttribute("aria-label", `${reaction.label} · ${reaction.english}: ${count}${mine ? " (내가 누름 · yours)" : ""}`);
      button.querySelector(".reaction-count").textContent = String(count);
    }
  }

  // ---- Viewers, one per kind ----

  function image(url, alt, attributes = {}) {
    return el("img", { src: url, alt, decoding: "async", draggable: "false", ...attributes });
  }

  /** Previous/next over `count` pages with a "2 / 4" line; `show(index)` draws a page. */
  function pager(count, show, { label = "쪽 · Page" } = {}) {
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

  function emptyContent() {
    return { element: el("p", { class: "empty", text: "보여 줄 내용이 없어요 · Nothing to show." }) };
  }

  function photoViewer(open) {
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

  function comicViewer(open) {
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
      preload.splice(0, Math.max(0, preload.length - 4));
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

  function webtoonViewer(open) {
    const urls = open.content;
    if (!urls.length) return emptyContent();
    const scroller = el("div", { class: "webtoon", tabindex: "0", "aria-label": `${open.title} — 스크롤해서 읽어요 · scroll to read` },
      ...urls.map((url, index) => image(url, `${open.title} (${index + 1} / ${urls.length})`, {
        loading: index === 0 ? "eager" : "lazy",
        dataset: index === 0 ? { testid: "exhibit-image" } : {},
      })));
    return { element: scroller, focus: scroller };
  }

  function videoViewer(open) {
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

  function cardViewer(open) {
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

  function boardViewer(open) {
    const id = open.id;
    const moderator = session.role === "moderator";
    const items = new Map(); // note id → <li>
    const list = el("ol", { class: "note-list", dataset: { testid: "note-list" }, "aria-label": "응원 메시지 · Notes", "aria-live": "polite", "aria-relevant": "additions" });
    const empty = el("p", { class: "empty", text: "아직 메시지가 없어요. 첫 응원을 남겨 주세요! · No notes yet — be the first to cheer!" });
    const older = el("button", { type: "button", class: "button small secondary older", dataset: { testid: "notes-older" }, text: "이전 메시지 더 보기 · Older notes" });
    const end = el("p", { class: "notes-end", text: "더 이전 메시지는 없어요 · No older notes." });
    const pageStatus = el("p", { class: "form-error", role: "alert" });

    const textarea = el("textarea", {
      id: "note-input", rows: "2", maxlength: String(NOTE_MAX * 4), autocomplete: "off", enterkeyhint: "send",
      placeholder: "따뜻한 응원을 남겨 주세요 · Leave a note of encouragement", "aria-describedby": "note-counter note-status",
      dataset: { testid: "note-input" },
    });
    const counter = el("span", { id: "note-counter", class: "counter", dataset: { testid: "note-counter" }, text: `0 / ${NOTE_MAX}` });
    const status = el("span", { id: "note-status", class: "note-status", role: "status", dataset: { testid: "note-status", state: "idle" } });
    const send = el("button", { type: "submit", class: "button primary small", dataset: { testid: "note-send" }, text: "남기기 · Post" });
    const form = el("form", { class: "note-form" },
      el("label", { for: "note-input", text: "응원 메시지 · Your note (Enter로 보내기 · Enter sends)" }),
      textarea,
      el("div", { class: "row" }, counter, status, send));

    let lastPost = "idle";
    const countNow = () => characterCount(textarea.value.trim());
    function updateCounter() {
      const count = countNow();
      counter.textContent = `${count} / ${NOTE_MAX}`;
      counter.classList.toggle("over", count > NOTE_MAX);
      send.disabled = count === 0 || count > NOTE_MAX || state.open?.post.state === "sending";
    }
    function setStatus(stateName, text) {
      status.dataset.state = stateName;
      status.textContent = text;
    }

    textarea.addEventListener("input", () => {
      updateCounter();
      if (status.dataset.state === "saved") setStatus("idle", "");
    });
    textarea.addEventListener("keydown", (event) => {
      // Enter sends; Shift+Enter is a new line; never while an IME is composing (Korean input).
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = textarea.value.trim();
      const count = characterCount(text);
      if (count === 0) {
        setStatus("failed", errorText("text_invalid"));
        return;
      }
      if (count > NOTE_MAX) {
        setStatus("failed", `${NOTE_MAX}자까지 쓸 수 있어요 · At most ${NOTE_MAX} characters.`);
        return;
      }
      if (state.open?.post.state === "sending") return;
      const ref = request("note_post", { id, text });
      if (ref) dispatch({ type: "note_request", text, ref });
      else setStatus("failed", "연결되지 않았어요 · Not connected.");
    });
    older.addEventListener("click", () => {
      const open = state.open;
      if (!open || open.paging) return;
      pageStatus.textContent = "";
      const ref = request("notes_page", { id, before: oldestNoteId(open.notes), limit: NOTES_PAGE });
      if (ref) dispatch({ type: "page_request", ref });
    });

    function noteItem(note) {
      const mine = note.authorID === session.world.selfId;
      const item = el("li", { class: `note${mine ? " mine" : ""}`, dataset: { testid: "note", id: String(note.id) } },
        el("div", { class: "meta" },
          el("span", { class: "author", text: `${note.author}${mine ? " (나 · me)" : ""}` }),
          el("time", { datetime: new Date(note.time).toISOString(), text: noteTime(note.time) })),
        el("p", { class: "text", text: note.text }));
      if (moderator) {
        item.querySelector(".meta").append(el("button", {
          type: "button", class: "note-hide", dataset: { testid: "note-hide" },
          "aria-label": `${note.author} 님의 메시지 숨기기 · Hide this note by ${note.author}`, text: "숨기기 · Hide",
          onclick: () => {
            // eslint-disable-next-line no-alert
            if (!confirm(`이 메시지를 숨길까요? · Hide this note?\n\n${note.text}`)) return;
            const ref = request("note_hide", { id, note: note.id });
            if (ref) dispatch({ type: "hide_request", note: note.id, ref });
          },
        }));
      }
      return item;
    }

    function update(open) {
      // Notes: keep the elements of notes already shown; new ones get a short highlight.
      const fresh = new Set(open.fresh);
      const wanted = new Set(open.notes.map((note) => note.id));
      for (const [noteId, item] of items) {
        if (!wanted.has(noteId)) {
          item.remove();
          items.delete(noteId);
        }
      }
      let previous = null;
      for (const note of open.notes) {
        let item = items.get(note.id);
        if (!item) {
          item = noteItem(note);
          if (fresh.has(note.id)) item.classList.add("fresh");
          items.set(note.id, item);
        }
        const hiding = open.hiding[note.id] !== undefined;
        item.setAttribute("aria-busy", String(hiding));
        const expected = previous ? previous.nextElementSibling : list.firstElementChild;
        if (expected !== item) {
          if (previous) previous.after(item);
          else list.prepend(item);
        }
        previous = item;
      }
      empty.hidden = open.notes.length > 0;
      older.hidden = open.notes.length === 0 || open.more === false;
      older.disabled = Boolean(open.paging);
      older.textContent = open.paging ? "불러오는 중… · Loading…" : "이전 메시지 더 보기 · Older notes";
      end.hidden = !(open.notes.length > 0 && open.more === false);

      // The post form follows the acknowledgement of what was sent.
      const post = open.post;
      if (post.state !== lastPost) {
        if (post.state === "sending") setStatus("sending", "보내는 중… · Sending…");
        if (post.state === "saved") {
          textarea.value = "";
          setStatus("saved", "✓ 저장됨 · Saved");
        }
        if (post.state === "failed") {
          const retry = post.code === "store_unavailable" || post.code === "rate_limited";
          setStatus("failed", `${errorText(post.code)}${retry ? " — 글은 그대로 있어요. 다시 보내 보세요 · Your text is kept; try again." : ""}`);
        }
        lastPost = post.state;
      }
      updateCounter();
    }

    update(open);
    // With a mouse the note field takes the focus; on a phone that would pop the keyboard up.
    const fine = matchMedia("(pointer: fine)").matches;
    return {
      element: el("div", { class: "board" }, form, empty, list, older, end, pageStatus),
      focus: fine ? textarea : null,
      update,
      notice(notice) {
        if (notice.what === "page") pageStatus.textContent = errorText(notice.code);
      },
    };
  }

  // ---- Where the visitor stands: the hint, tap to open, walking to a tapped exhibit ----

  function myTile() {
    const me = session.myPosition();
    if (!me) return null;
    return { x: Math.floor(me.x / session.unitsPerTile), y: Math.floor(me.y / session.unitsPerTile) };
  }

  function check() {
    const tile = myTile();
    const next = tile && session.map ? exhibitInReach(exhibits, tile.x, tile.y) : null;
    if (next?.id !== reach?.id) {
      reach = next;
      if (reach) {
        const kind = KINDS[reach.kind] ?? { icon: "✨" };
        hint.replaceChildren(
          el("span", { class: "hint-title", text: `${kind.icon} ${reach.title}` }),
          el("span", { class: "hint-action" }, el("kbd", { text: "X" }), " 키로 열기 · press X to open"));
        hint.dataset.id = reach.id;
        hint.setAttribute("aria-label", `${reach.title}: X 키로 열기 · press X to open`);
      }
    }
    hint.hidden = !reach || Boolean(state.open);
    if (autoOpen && tile && !state.open && !state.opening) {
      const target = exhibits.find((exhibit) => exhibit.id === autoOpen);
      if (target && exhibitInReach([target], tile.x, tile.y)) {
        autoOpen = null;
        openExhibit(target.id);
      }
    }
  }

  function onTap(units) {
    const exhibit = exhibitAtPoint(exhibits, units, session.unitsPerTile);
    if (!exhibit) return false;
    const tile = myTile();
    if (!tile) return false;
    if (exhibitInReach([exhibit], tile.x, tile.y)) {
      openExhibit(exhibit.id);
      return true;
    }
    const spot = approachTile(session.map, exhibit, tile);
    if (!spot) return false;
    ownWalk = true;
    input.walk({ x: (spot.x + 0.5) * session.unitsPerTile, y: (spot.y + 0.5) * session.unitsPerTile });
    ownWalk = false;
    autoOpen = exhibit.id;
    return true;
  }

  // ---- The map layer: which exhibit is in reach, and how many look at each ----

  const offLayer = renderer.addLayer((ctx, { zoom, now }) => {
    for (const exhibit of exhibits) {
      const { x, y, width, height } = exhibit.pixels;
      if (reach?.id === exhibit.id && !state.open) {
        const pulse = 0.55 + 0.35 * Math.sin(now / 260);
        ctx.strokeStyle = `rgba(230,150,20,${pulse})`;
        ctx.lineWidth = 3 / zoom;
        ctx.strokeRect(x - 3 / zoom, y - 3 / zoom, width + 6 / zoom, height + 6 / zoom);
      }
      const live = state.live[exhibit.id];
      if (live && live.viewers > 0) {
        renderer.drawLabel(ctx, `👀 ${live.viewers}`, x + width, y, { size: 10.5, colour: "#ffffff", background: "rgba(31,59,115,0.92)" });
      }
    }
  });

  // ---- Events ----

  const disposers = [
    ...SERVER_TYPES.map((type) => session.on(type, (message) => dispatch(message))),
    session.on("error", (error) => {
      if (ownsRef(state, error.ref)) dispatch(error);
    }),
    session.on("welcome", ({ first }) => {
      if (first) {
        dispatch({ type: "reset" });
        return;
      }
      // After a reconnection the server may have forgotten what was open: ask again.
      if (state.open) {
        const ref = session.request("exhibit_open", { id: state.open.id }, "x");
        if (ref) dispatch({ type: "open_request", id: state.open.id, ref });
      }
    }),
    session.on("move", () => {
      if (!ownWalk) autoOpen = null;
    }),
    input.onTap(onTap),
    offLayer,
    listen(hint, "click", () => reach && openExhibit(reach.id)),
    listen(window, "keydown", (event) => {
      if (event.code !== "KeyX" || event.repeat || isTyping(event) || event.ctrlKey || event.metaKey || event.altKey || modalOpen()) return;
      if (!reach) return;
      event.preventDefault();
      openExhibit(reach.id);
    }),
    listen(dialog, "keydown", (event) => {
      if (isTyping(event) || event.target.closest?.("video")) return;
      if (viewer?.onKey?.(event)) event.preventDefault();
    }),
    listen(parts.close, "click", () => closeByVisitor()),
    // Escape, or anything else that closes the dialog, closes the exhibit.
    listen(dialog, "close", () => {
      if (state.open) closeByVisitor();
      if (shownId !== null) teardownOverlay();
    }),
    // A click on the backdrop (outside the dialog's box) closes it too.
    listen(dialog, "click", (event) => {
      if (event.target !== dialog) return;
      const rect = dialog.getBoundingClientRect();
      const inside = event.clientX >= rect.left && event.clientX <= rect.right && event.clientY >= rect.top && event.clientY <= rect.bottom;
      if (!inside) closeByVisitor();
    }),
  ];
  const timer = setInterval(check, CHECK_MS);

  return {
    setMap(map) {
      exhibits = exhibitsOf(map);
      check();
    },
    /** Opens exhibit `id` (the visitor must be in reach). */
    open: openExhibit,
    close: closeByVisitor,
    /** For window.atrium: what is open and what is in reach. */
    snapshot() {
      const open = state.open;
      const live = open ? state.live[open.id] : null;
      return {
        open: open ? {
          id: open.id, kind: open.kind, title: open.title, viewers: live?.viewers ?? 0,
          reactions: { ...(live?.reactions ?? {}) }, mine: [...open.mine], notes: open.notes.length,
        } : null,
        inReach: reach?.id ?? null,
        live: JSON.parse(JSON.stringify(state.live)),
      };
    },
    dispose() {
      clearInterval(timer);
      for (const dispose of disposers) dispose();
      state = initialExhibitState();
      if (shownId !== null) teardownOverlay();
      hint.hidden = true;
    },
  };
}
