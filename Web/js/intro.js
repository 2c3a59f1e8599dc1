// The first-visit card: how to walk, talk to people nearby, open exhibits, and where the
// quiz and the stage are, with a way into the directory. Shown once per device: closing
// it, or setting off walking, is remembered.

import { el, listen } from "./dom.js";
import { placesOf } from "./places.js";

export const INTRO_KEY = "atrium.intro.seen";

function seen() {
  try {
    return localStorage.getItem(INTRO_KEY) === "1";
  } catch {
    return false;
  }
}

function remember() {
  try {
    localStorage.setItem(INTRO_KEY, "1");
  } catch {
    // Without storage the card shows again next time; nothing else depends on it.
  }
}

/** Compass words for where `rect` lies from `from` (tiles): "북동쪽 · north-east". */
export function direction(from, rect) {
  const dx = rect.x + rect.width / 2 - from.x;
  const dy = rect.y + rect.height / 2 - from.y;
  const ns = dy < -Math.abs(dx) / 2 ? ["북", "north"] : dy > Math.abs(dx) / 2 ? ["남", "south"] : null;
  const ew = dx > Math.abs(dy) / 2 ? ["동", "east"] : dx < -Math.abs(dy) / 2 ? ["서", "west"] : null;
  const korean = `${ns?.[0] ?? ""}${ew?.[0] ?? ""}쪽`;
  const english = [ns?.[1], ew?.[1]].filter(Boolean).join("-");
  return english ? `${korean} · ${english}` : "바로 여기 · right here";
}

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {HTMLElement} options.card
 * @param {() => void} options.onDirectory opens the directory
 * @param {boolean} options.touch a touch screen (other words for walking)
 */
export function attachIntro({ session, card, onDirectory, touch }) {
  let shown = false;

  function dismiss() {
    if (!shown) return;
    shown = false;
    card.hidden = true;
    remember();
  }

  function show(map) {
    if (seen() || !map) return;
    const me = session.myPosition();
    const from = me ? { x: me.x / session.unitsPerTile, y: me.y / session.unitsPerTile } : { x: map.width / 2, y: map.height / 2 };
    const places = placesOf(map);
    const stage = places.find((place) => place.icon === "🎤" && place.group === "event");
    const quiz = places.find((place) => place.id === "quiz");
    const where = [
      stage ? `🎤 ${stage.name}: ${direction(from, stage.rect)}` : null,
      quiz ? `⭕❌ ${quiz.name}: ${direction(from, quiz.rect)}` : null,
    ].filter(Boolean);
    card.replaceChildren(
      el("h2", { text: "환영해요! · Welcome!" }),
      el("ul", { class: "intro-tips" },
        el("li", { text: touch
          ? "🚶 지도를 누르면 그곳으로, 조이스틱으로 원하는 방향으로 걸어요 · Tap the map to walk there, or steer with the joystick"
          : "🚶 방향키나 WASD로 걷고, 지도를 누르면 그곳으로 가요 · Walk with the arrow keys or WASD, or click the map" }),
        el("li", { text: "💬 채팅은 가까이 있는 사람에게 들려요 · Chat reaches the people near you" }),
        el("li", { text: touch ? "🖼️ 전시물 가까이에서 눌러서 열어요 · Tap an exhibit nearby to open it" : "🖼️ 전시물 가까이에서 X 키로 열어요 · Press X near an exhibit to open it" }),
        ...where.map((text) => el("li", { text }))),
      el("div", { class: "row intro-buttons" },
        el("button", { type: "button", class: "button secondary small", dataset: { testid: "intro-directory" }, text: "🧭 길 안내 · Directory",
          onclick: () => {
            dismiss();
            onDirectory();
          } }),
        el("button", { type: "button", class: "button primary small", dataset: { testid: "intro-dismiss" }, text: "시작하기 · Got it", onclick: dismiss })));
    card.hidden = false;
    shown = true;
  }

  const disposers = [
    // Setting off walking says the visitor knows how.
    session.on("move", dismiss),
    listen(card, "keydown", (event) => event.key === "Escape" && dismiss()),
  ];

  return {
    setMap: show,
    get shown() {
      return shown;
    },
    dispose() {
      for (const dispose of disposers) dispose();
      card.hidden = true;
    },
  };
}
