// The cheer wall (`board` exhibits): notes newest first, live notes on top with a short
// highlight, a form that counts characters as the server does and follows the post to
// its acknowledgement, paging to older notes, and a hide button for moderators.

import { NOTES_PAGE, NOTE_MAX, oldestNoteId } from "../exhibits.js";
import { el } from "../dom.js";
import { characterCount, errorText } from "../text.js";

function noteTime(ms) {
  const date = new Date(ms);
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/**
 * @param {object} open the open exhibit (exhibits.js)
 * @param {object} context
 * @param {{role: string, world: {selfId: number}}} context.session
 * @param {(type: string, fields: object) => string|null} context.request sends with a ref
 * @param {(action: object) => void} context.dispatch feeds the exhibits reducer
 * @param {() => object|null} context.current the open exhibit now
 */
export function boardViewer(open, { session, request, dispatch, current }) {
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
    send.disabled = count === 0 || count > NOTE_MAX || current()?.post.state === "sending";
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
    if (current()?.post.state === "sending") return;
    const ref = request("note_post", { id, text });
    if (ref) dispatch({ type: "note_request", text, ref });
    else setStatus("failed", "연결되지 않았어요 · Not connected.");
  });
  older.addEventListener("click", () => {
    const open = current();
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
