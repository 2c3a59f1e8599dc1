// Atrium's browser client: the entry point. It shows the join screen, starts a session
// for the room in the URL, and wires the feature modules to it. Each feature lives in
// its own module under js/ and talks to the server only through the session: it
// subscribes to session events, draws on the map through renderer.addLayer, and owns
// its part of the page (exhibits, the quiz, the moderator panel, announcements).

import { Connection } from "./js/connection.js";
import { Session } from "./js/session.js";
import { loadMap } from "./js/map.js";
import { Renderer } from "./js/renderer.js";
import { attachInput } from "./js/input.js";
import { attachChat } from "./js/chat.js";
import { attachPeople } from "./js/people.js";
import { arrivalText, attachFindMe } from "./js/find-me.js";
import { attachMinimap } from "./js/minimap.js";
import { attachPresence } from "./js/presence.js";
import { setupJoin } from "./js/join.js";
import { attachExhibits } from "./js/exhibit-view.js";
import { attachQuiz } from "./js/quiz-view.js";
import { attachModeration } from "./js/moderation.js";
import { attachAnnouncements } from "./js/announcements.js";
import { createToaster } from "./js/toast.js";
import { FEATURES } from "./js/features.js";
import { attachDirectory } from "./js/directory.js";
import { attachIntro } from "./js/intro.js";
import { placeAt } from "./js/places.js";
import { attachJoystick } from "./js/joystick.js";
import { attachPortals } from "./js/portal-view.js";
import { reachFrom } from "./js/exhibit/reach.js";
import { KINDS, exhibitsOf } from "./js/exhibits.js";
import { byId, el, listen } from "./js/dom.js";
import { CONNECTION_TEXT, errorText } from "./js/text.js";

const RESUME_KEY = "atrium.resume";
/** A reload within this time resumes the same avatar (the server keeps it for 30 s). */
const RESUME_WITHIN_MS = 25000;
const REFRESH_MS = 250;

const params = new URLSearchParams(location.search);
const roomParam = params.get("room");
/** A friend's "come find me" token: the server starts this visitor next to them. */
const nearParam = params.get("near");
const narrow = matchMedia("(max-width: 760px)");

let current = null; // {session, disposers, joined, features}
const toaster = createToaster(byId("toasts"));

const join = setupJoin({ token: params.get("token"), room: roomParam, onJoin: (choice) => start(choice) });
if (roomParam) byId("join-room").append(el("strong", { class: "room-chip", text: `방 · Room: ${roomParam}` }));
if (nearParam) {
  byId("join-room").append(el("strong", { class: "room-chip", dataset: { testid: "near-chip" },
    text: "📍 친구가 보낸 링크: 친구 곁에서 시작해요 · A friend's link: you start next to them" }));
}
exposeDebugHook();
resumeAfterReload();

function socketUrl() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = roomParam ? `?room=${encodeURIComponent(roomParam)}` : "";
  return `${scheme}://${location.host}/ws${query}`;
}

// ---- Resuming across a reload ----

function readResume() {
  try {
    return JSON.parse(sessionStorage.getItem(RESUME_KEY) ?? "null");
  } catch {
    return null;
  }
}

function writeResume(record) {
  try {
    if (record) sessionStorage.setItem(RESUME_KEY, JSON.stringify(record));
    else sessionStorage.removeItem(RESUME_KEY);
  } catch {
    // Without storage a reload joins afresh; nothing else depends on it.
  }
}

function resumeAfterReload() {
  const record = readResume();
  writeResume(null);
  if (record && record.room === roomParam && Date.now() - record.at < RESUME_WITHIN_MS) {
    join.setBusy(true);
    start(record.choice, record.resume);
  } else {
    join.focus();
  }
}

// ---- A session ----

function start(choice, resumeToken = null) {
  const hello = nearParam ? { ...choice, near: nearParam } : choice;
  const connection = new Connection({ url: socketUrl(), hello: () => hello, resumeToken, seats: true });
  const session = new Session(connection);
  const state = { session, disposers: [], joined: false, choice };
  current = state;

  state.disposers.push(
    session.on("connection", showConnection),
    session.on("welcome", ({ welcome, first }) => {
      if (first) enterRoom(state, welcome);
      else state.input?.resync();
      if (first && nearParam && !welcome.resumed) {
        toaster.show(arrivalText(welcome), { kind: welcome.near === undefined ? "info" : "ok", ms: 8000 });
        // Used: a later reload resumes, and a fresh join starts at the entrance.
        forgetNear();
      }
    }),
    session.on("terminal", ({ code, message }) => ended(state, code, message)),
    listen(window, "online", () => connection.retryNow()),
    listen(window, "pagehide", () => {
      if (connection.resumeToken && connection.state !== "closed") {
        writeResume({ room: roomParam, choice, resume: connection.resumeToken, at: Date.now() });
      }
    }),
  );
  connection.start();
}

/**
 * Where notices go, so that they never cover a control or a card.
 *
 * On a desktop: inside the top bar, in the free stretch between the room's name and the
 * connection status, the newest one only and at most two lines (styles.css). A stack
 * growing down from there covered the minimap, the quiz card and the announcement's close
 * button as soon as a moderator did two things in a row.
 *
 * On a phone the toasts go just below the cards over the map (the quiz, an announcement)
 * and the location line, never over them: a notice must not hide the question or its
 * countdown. The controls are at the bottom, out of the way.
 */
function placeToasts(topStack, covered) {
  const toasts = byId("toasts");
  if (!narrow.matches) {
    const name = document.createRange();
    name.selectNodeContents(byId("room-name"));
    const left = name.getBoundingClientRect().right + 16;
    const right = byId("connection-status").getBoundingClientRect().left - 16;
    const bar = byId("world-screen").querySelector(".topbar").getBoundingClientRect();
    toasts.style.left = `${Math.round(left)}px`;
    toasts.style.width = `${Math.max(0, Math.round(right - left))}px`;
    toasts.style.top = `${Math.round(bar.top)}px`;
    toasts.style.height = `${Math.round(bar.height)}px`;
    toasts.dataset.place = "bar";
    return;
  }
  for (const property of ["left", "width", "top", "height"]) toasts.style.removeProperty(property);
  delete toasts.dataset.place;
  const below = [byId("location-text"), covered ? topStack : null]
    .filter((element) => element && element.getClientRects().length)
    .reduce((bottom, element) => Math.max(bottom, element.getBoundingClientRect().bottom), 0);
  toasts.style.setProperty("--toasts-top", `${Math.round(below + 8)}px`);
}

/**
 * The first-visit card on a phone spans the map's width and most of its height: the camera
 * keeps the newcomer's own avatar above it instead of behind it. On a wider screen it sits
 * in a corner, clear of the middle, and moves nothing.
 */
function introInset(canvas) {
  const card = byId("intro-card");
  if (card.hidden || !card.getClientRects().length) return 0;
  const map = canvas.getBoundingClientRect();
  const box = card.getBoundingClientRect();
  const middle = (map.left + map.right) / 2;
  if (box.left > middle || box.right < middle) return 0;
  return Math.max(0, map.bottom - box.top) + 12;
}

function forgetNear() {
  try {
    const url = new URL(location.href);
    url.searchParams.delete("near");
    history.replaceState(null, "", url);
  } catch {
    // The link stays in the address bar; it expires on its own.
  }
}

function enterRoom(state, welcome) {
  const { session } = state;
  state.joined = true;
  join.setBusy(false);
  byId("join-screen").hidden = true;
  const world = byId("world-screen");
  world.hidden = false;
  world.dataset.panel = "map";
  byId("room-name").textContent = welcome.room.name;
  document.title = `${welcome.room.name} · Atrium`;

  const canvas = byId("world-canvas");
  const renderer = new Renderer(canvas, session);
  const input = attachInput({ canvas, session, renderer });
  state.input = input;
  const chatShown = () => !narrow.matches || world.dataset.panel === "chat";
  const chat = attachChat({
    session,
    renderer,
    elements: {
      log: byId("chat-log"), form: byId("chat-form"), input: byId("chat-input"), scopes: byId("scope-options"),
      audience: byId("audience"), dmTarget: byId("dm-target"), announcer: byId("announcer"), alerts: byId("alerts"), canvas,
    },
    isShown: chatShown,
    onUnread: (count) => {
      const badge = byId("unread");
      badge.hidden = count === 0;
      badge.textContent = String(count);
    },
  });
  const people = attachPeople({
    session,
    elements: {
      panel: byId("people-panel"), list: byId("people-list"), total: byId("people-total"), count: byId("people-count"),
      search: byId("people-search"),
    },
    onDirectMessage: (person) => {
      showPanel("chat");
      chat.openDirect(person);
    },
    onLocate: (person) => {
      // On a phone the list covers the map: show the map to see the person.
      if (narrow.matches) showPanel("map");
      renderer.locate(person);
    },
    walk: (units) => input.walk(units),
    isShown: () => (narrow.matches ? world.dataset.panel === "people" : byId("people-panel").open),
  });
  const findMe = attachFindMe({
    session, toaster,
    elements: { button: byId("find-me-button"), panel: byId("find-me-panel"), link: byId("find-me-link"),
      copy: byId("find-me-copy"), note: byId("find-me-note") },
  });
  state.disposers.push(() => findMe.dispose());
  const minimap = attachMinimap(byId("minimap"), session, input.walk);
  const presence = attachPresence({
    session,
    elements: {
      bar: byId("emote-bar"), toggle: byId("emote-toggle"), dock: byId("emote-toggle").parentElement,
      statusForm: byId("status-form"), statusInput: byId("status-input"),
    },
  });

  const exhibits = attachExhibits({
    session, renderer, input, toaster,
    elements: { hint: byId("exhibit-hint"), dialog: byId("exhibit-dialog"), canvas },
  });
  const quiz = attachQuiz({ session, renderer, input, elements: { banner: byId("quiz-banner"), announcer: byId("announcer") } });
  const moderation = attachModeration({
    session, toaster, quizState: () => quiz.state, overview: () => ({ crowd: quiz.snapshot().crowd }),
    elements: { panel: byId("mod-panel"), tab: byId("mod-tab"), confirm: byId("confirm-dialog") },
  });
  const joystick = attachJoystick({ pad: byId("joystick"), knob: byId("joystick-knob"), onDirection: (dx, dy) => input.setDirection(dx, dy) });
  const directory = attachDirectory({ session, input, exhibits, elements: { dialog: byId("directory-dialog"), button: byId("directory-button") } });
  const intro = attachIntro({ session, card: byId("intro-card"), onDirectory: () => directory.open(), touch: matchMedia("(pointer: coarse)").matches });
  const portals = attachPortals({ session, toaster, announcer: byId("announcer") });
  const announcements = attachAnnouncements({ session, elements: { banner: byId("announcement"), alerts: byId("alerts") }, log: chat.system });
  state.features = { exhibits, quiz, moderation, renderer, people, portals, directory, extra: new Map() };

  // Features that plug in (features.js): media, the stage, …
  const slots = { toolbar: byId("feature-toolbar"), panel: byId("feature-panel"), overlay: byId("feature-overlay") };
  for (const feature of FEATURES) {
    try {
      const attached = feature.attach({ session, renderer, input, toaster, chat: { system: chat.system }, slots, features: state.features.extra });
      state.features.extra.set(feature.name, attached);
      state.disposers.push(() => attached.dispose());
    } catch (error) {
      console.error(`Atrium: the feature "${feature.name}" did not start`, error);
    }
  }
  const showSlots = () => {
    for (const slot of Object.values(slots)) slot.hidden = slot.childElementCount === 0;
  };

  renderer.onFrame((now) => minimap.draw(now, viewportInUnits(renderer, session)));
  renderer.start();

  function showPanel(panel) {
    world.dataset.panel = panel;
    for (const tab of world.querySelectorAll(".mobile-tabs .tab")) tab.setAttribute("aria-pressed", String(tab.dataset.panel === panel));
    if (panel === "people") {
      byId("people-panel").open = true;
      people.refresh();
    }
    if (panel === "chat") chat.markRead();
    if (panel === "mod") moderation.refresh();
  }

  const minimapToggle = byId("minimap-toggle");
  state.disposers.push(
    listen(world.querySelector(".mobile-tabs"), "click", (event) => {
      const tab = event.target.closest(".tab");
      if (tab) showPanel(world.dataset.panel === tab.dataset.panel && tab.dataset.panel !== "map" ? "map" : tab.dataset.panel);
    }),
    listen(byId("zoom-in"), "click", () => renderer.zoomBy(1)),
    listen(byId("zoom-out"), "click", () => renderer.zoomBy(-1)),
    listen(minimapToggle, "click", () => {
      const minimapCanvas = byId("minimap");
      minimapCanvas.hidden = !minimapCanvas.hidden;
      minimapToggle.setAttribute("aria-pressed", String(!minimapCanvas.hidden));
    }),
    listen(byId("leave-button"), "click", () => {
      writeResume(null);
      session.leave();
      teardown(state);
      showJoin();
    }),
    listen(narrow, "change", () => showPanel("map")),
    // A player asked a question must be free to walk to O or X: an open exhibit closes.
    session.on("quiz_question", () => {
      if (quiz.state.role === "player") exhibits.close();
    }),
  );
  // Phones start with the map only, minimap folded away.
  byId("minimap").hidden = narrow.matches;
  minimapToggle.setAttribute("aria-pressed", String(!narrow.matches));

  const topStack = world.querySelector(".top-stack");
  const refresh = setInterval(() => {
    showSlots();
    // Cards over the top of the map (the quiz, an announcement): the camera keeps the avatar below them.
    const covered = [...topStack.children].some((card) => !card.hidden);
    // On a phone the chat or people sheet covers the bottom: the avatar stays above it.
    const sheet = narrow.matches && world.dataset.panel !== "map" ? byId("sidebar").getBoundingClientRect().height : 0;
    renderer.setInsets({
      top: covered ? Math.max(0, topStack.getBoundingClientRect().bottom - canvas.getBoundingClientRect().top) + 12 : 0,
      bottom: Math.max(sheet, introInset(canvas)),
    });
    placeToasts(topStack, covered);
    chat.refreshAudience();
    showLocation(session);
    const count = byId("avatar-count");
    count.textContent = String(session.world.avatars.size);
    count.dataset.count = String(session.world.avatars.size);
  }, REFRESH_MS);

  state.disposers.push(
    () => clearInterval(refresh),
    () => renderer.stop(),
    input.dispose, chat.dispose, people.dispose, minimap.dispose, presence.dispose,
    exhibits.dispose, quiz.dispose, moderation.dispose, announcements.dispose, directory.dispose, intro.dispose, joystick.dispose,
    portals.dispose,
  );

  loadMap(welcome.room.map).then((map) => {
    if (current !== state) return;
    session.setMap(map);
    renderer.setMap(map);
    minimap.setMap(map);
    exhibits.setMap(map);
    directory.setMap(map);
    intro.setMap(map);
  }).catch((error) => {
    console.error("Atrium: the map did not load", error);
    byId("alerts").textContent = "지도를 불러오지 못했어요. 채팅은 쓸 수 있어요 · The map did not load; chat still works.";
  });

  input.resync();
  canvas.focus({ preventScroll: true });
}

function viewportInUnits(renderer, session) {
  if (!session.room) return null;
  const rect = renderer.canvas.getBoundingClientRect();
  const topLeft = renderer.screenToUnits(rect.left, rect.top);
  const bottomRight = renderer.screenToUnits(rect.right, rect.bottom);
  return { x: topLeft.x, y: topLeft.y, width: bottomRight.x - topLeft.x, height: bottomRight.y - topLeft.y };
}

function showConnection({ state, attempt }) {
  const status = byId("connection-status");
  status.dataset.state = state;
  status.querySelector(".label").textContent = CONNECTION_TEXT[state] ?? state;
  const banner = byId("banner");
  if (state === "reconnecting") {
    banner.textContent = `다시 연결하는 중… · Reconnecting…${attempt > 1 ? ` (${attempt})` : ""}`;
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
}

/** Says where the visitor stands: a table, the stage, a quiz field, an exhibit nearby. */
function showLocation(session) {
  const map = session.map;
  const me = session.myPosition();
  const element = byId("location-text");
  if (!map || !me) return;
  const x = Math.floor(me.x / session.unitsPerTile);
  const y = Math.floor(me.y / session.unitsPerTile);
  const place = placeAt(map, x, y);
  let text = "";
  if (place?.kind === "area") text = `🔒 ${place.name} — 테이블 대화는 여기 있는 사람만 들어요 · only people here hear table chat`;
  else if (place) text = `${place.icon} ${place.name}`;
  // The same rule as the "press X" hint: the exhibit the server would open from here.
  const exhibit = reachFrom(exhibitsOf(map), me, session.unitsPerTile);
  // With the hint's icon too, so the two read as the same exhibit.
  if (exhibit && (!place || place.kind === "spawn")) text = `${KINDS[exhibit.kind]?.icon ?? "✨"} ${exhibit.title}${place ? ` · ${place.icon} ${place.name}` : ""}`;
  if (element.textContent !== text) element.textContent = text;
}

function ended(state, code, message) {
  const wasJoined = state.joined;
  teardown(state);
  let text = errorText(code);
  if (code === "name_invalid" && message) text += ` (${message})`;
  showJoin(text);
  if (wasJoined) {
    byId("terminal-message").textContent = text;
    const dialog = byId("terminal-dialog");
    if (!dialog.open) dialog.showModal();
  }
}

function teardown(state) {
  for (const dispose of state.disposers) dispose();
  state.disposers = [];
  state.features = null;
  if (state.session.connection.state !== "closed") state.session.connection.stop("closed", { reason: "teardown" });
  if (current === state) current = null;
}

function showJoin(error = "") {
  byId("world-screen").hidden = true;
  byId("join-screen").hidden = false;
  document.title = "Atrium · 온라인 행사장";
  join.setBusy(false);
  join.showError(error);
  join.focus();
}

// ---- The debug hook for browser tests: read-only, positions in 1/64 tile units ----

function exposeDebugHook() {
  const snapshot = () => {
    const session = current?.session;
    if (!session?.room) return null;
    const tick = Math.floor(session.tickNow());
    const avatars = [...session.world.avatars.values()].map((avatar) => {
      const p = session.world.positionAt(avatar.id, tick);
      return Object.freeze({ id: avatar.id, name: avatar.name, x: Math.round(p.x), y: Math.round(p.y), away: avatar.away, emote: avatar.emote });
    });
    return { session, tick, avatars };
  };
  const hook = {
    get connectionState() {
      return current?.session.connection.state ?? "idle";
    },
    get tick() {
      return snapshot()?.tick ?? 0;
    },
    get me() {
      const view = snapshot();
      const me = view?.avatars.find((avatar) => avatar.id === view.session.world.selfId);
      return me ? Object.freeze({ id: me.id, name: me.name, x: me.x, y: me.y }) : null;
    },
    get avatars() {
      return Object.freeze(snapshot()?.avatars ?? []);
    },
    get room() {
      const room = current?.session.room;
      return room ? Object.freeze({ ...room }) : null;
    },
    get roundTripMs() {
      return current?.session.roundTripMs ?? null;
    },
    /** The role the server gave: guest, participant, presenter or moderator. */
    get role() {
      return current?.session.welcome?.you.role ?? null;
    },
    /** Server time minus local time (ms), as estimated from welcome and pongs. */
    get serverTimeOffset() {
      return current?.session.serverClock.known ? current.session.serverClock.offset : null;
    },
    /** Where map position (x, y) in units is drawn now, in CSS pixels of the page (for clicking it). */
    toScreen(x, y) {
      const renderer = current?.features?.renderer;
      return renderer ? Object.freeze(renderer.unitsToScreen(x, y)) : null;
    },
    /** {open: {id, kind, title, viewers, reactions, mine, notes} | null, inReach, live}. */
    get exhibit() {
      return current?.features ? Object.freeze(current.features.exhibits.snapshot()) : null;
    },
    /** {state, role, mode, index, total, question, remainingMs, seconds, field, result, verdict, score, final}. */
    get quiz() {
      return current?.features ? Object.freeze(current.features.quiz.snapshot()) : null;
    },
    /** The name labels drawn in the last frame, in page pixels: [{id, left, top, right, bottom}]. */
    labels() {
      return Object.freeze(current?.features?.renderer.labelRects() ?? []);
    },
    /** The speech bubbles over avatars now: [{id, text}]. */
    bubbles() {
      return Object.freeze(current?.features?.renderer.bubbleTexts() ?? []);
    },
    /** How long the last frames took to draw in JavaScript: {frames, median, p95} in ms. */
    frameStats() {
      return Object.freeze(current?.features?.renderer.frameStats() ?? { frames: 0, median: 0, p95: 0 });
    },
    /** The last portal the own avatar went through: {id, name, at} or null. */
    get portal() {
      const taken = current?.features?.portals.snapshot();
      return taken ? Object.freeze({ ...taken }) : null;
    },
    /** The portal a "walk there" from the directory is going through (its destination's id), or null. */
    get via() {
      return current?.features?.directory.via ?? null;
    },
    /** The person being followed (their avatar id), or null. */
    get following() {
      return current?.features?.people.following ?? null;
    },
    /** The person the camera is on (locate), or null. */
    get located() {
      return current?.features?.renderer.located?.id ?? null;
    },
    /** What a plugged-in feature (features.js) reports about itself, or null. */
    feature(name) {
      const feature = current?.features?.extra.get(name);
      return feature?.snapshot ? Object.freeze(feature.snapshot()) : null;
    },
  };
  Object.defineProperty(window, "atrium", { value: Object.freeze(hook), writable: false, configurable: false });
}
