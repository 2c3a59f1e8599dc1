// Draws the room on a 2D canvas at the display's frame rate: the map, its zones, and
// every avatar in view with its name, status and emote. The camera follows the own
// avatar. Other avatars are dead-reckoned every frame and their course corrections
// faded (world.js), so they glide instead of jumping at 20 Hz.

import { MapPainter } from "./map.js";
import { colourOf } from "./appearance.js";
import { emoteByCode } from "./emotes.js";
import { chooseLabels, labelPriority } from "./labels.js";
import { PORTAL_ICON } from "./places.js";
import { SpriteCache, gazeOf, gazeVector } from "./sprites.js";

const ZOOM_STEPS = [0.75, 1, 1.25, 1.5, 2, 2.5];
const EMOTE_POP_MS = 220;
const TARGET_MARK_MS = 1600;
/** How long the camera stays on a located person before it returns to the visitor. */
const LOCATE_MS = 4000;
const EXHIBIT_ICONS = { photo: "🖼️", comic: "📖", webtoon: "📱", video: "🎬", cardnews: "🗂️", board: "📝" };
const ROLE_BADGES = { moderator: "★ ", presenter: "🎤 " };
const FONT = '"Pretendard", "Apple SD Gothic Neo", "Noto Sans KR", "Noto Sans CJK KR", "Malgun Gothic", system-ui, sans-serif, "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji"';
/** Names drawn at most at once; the rest show on hover, when talking, or when nearer. */
const MAX_LABELS = 40;
/** How long a speech bubble stays over an avatar. */
const BUBBLE_MS = 6000;
const BUBBLE_CHARACTERS = 60;
/** Frames whose drawing time is kept for frameStats(). */
const TIMED_FRAMES = 120;

export class Renderer {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {import("./session.js").Session} session
   */
  constructor(canvas, session) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d");
    this.session = session;
    this.map = null;
    this.painter = null;
    this.zoomIndex = matchMedia("(max-width: 760px)").matches ? 1 : 3;
    this.camera = { x: 0, y: 0 };
    this.target = null;
    /** When true, the circle of who hears "nearby" chat is drawn around the own avatar. */
    this.showHearing = false;
    this.frameListeners = new Set();
    /** Drawn over the map's zones and under the avatars, in map pixels (exhibits, the quiz). */
    this.layers = new Set();
    this.frame = null;
    /** Speech bubbles: avatar id → {text, at}. */
    this.bubbles = new Map();
    /** The avatar under the mouse, whose name always shows. */
    this.hovered = null;
    this.pointer = null;
    /** The name labels drawn in the last frame: avatar id → box in map pixels (tests read them). */
    this.labelBoxes = new Map();
    this.widths = new Map();
    /** Avatar bodies by colour and gaze, and label pills by text and style, painted once (sprites.js). */
    this.bodies = new SpriteCache({ limit: 400 });
    this.pills = new SpriteCache({ limit: 1500 });
    /** How long the last frames took to draw (ms): the JavaScript's share of a frame. */
    this.drawTimes = [];
    this.onPointer = (event) => {
      this.pointer = event.type === "pointerleave" ? null : { x: event.clientX, y: event.clientY };
    };
    canvas.addEventListener("pointermove", this.onPointer);
    canvas.addEventListener("pointerleave", this.onPointer);
    /** A person being located: {id, x, y, until} (x, y in units, for someone out of view). */
    this.located = null;
    /** CSS pixels at the top of the canvas covered by cards (the quiz, an announcement). */
    this.insetTop = 0;
    this.shownInsetTop = 0;
    /** CSS pixels at the bottom covered by a sheet (the chat on a phone). */
    this.insetBottom = 0;
    this.shownInsetBottom = 0;
    this.resizeObserver = new ResizeObserver(() => this.#resize());
    this.resizeObserver.observe(canvas);
    this.#resize();
  }

  setMap(map) {
    this.map = map;
    this.painter = new MapPainter(map);
  }

  get zoom() {
    if (this.zoomIndex >= 0) return ZOOM_STEPS[this.zoomIndex];
    return this.#fitZoom();
  }

  /**
   * Zooms in or out by steps. One step out from the widest step shows the whole hall
   * (index −1, "fit"), however large the map.
   */
  zoomBy(steps) {
    this.zoomIndex = Math.min(ZOOM_STEPS.length - 1, Math.max(this.map ? -1 : 0, this.zoomIndex + steps));
  }

  /** Whether the whole map is shown. */
  get showsWholeMap() {
    return this.zoomIndex < 0;
  }

  /** The zoom at which the whole map fits the canvas (never more than the widest step). */
  #fitZoom() {
    const room = this.session.room;
    const tile = this.map?.tileWidth ?? 32;
    if (!room) return ZOOM_STEPS[0];
    const fit = Math.min(this.canvas.clientWidth / (room.width * tile), this.canvas.clientHeight / (room.height * tile));
    return Math.min(ZOOM_STEPS[0], Math.max(0.05, fit));
  }

  /**
   * Says how much of the canvas's top is covered (CSS pixels): the camera then keeps the
   * own avatar in the middle of what is left, so a card over the map never hides it.
   */
  setInsets({ top = 0, bottom = 0 } = {}) {
    this.insetTop = Math.max(0, top);
    this.insetBottom = Math.max(0, bottom);
  }

  /**
   * Pans to a person for a few seconds and makes their avatar pulse: `id` when they are in
   * view, else the position `x`, `y` (units) the people list gave.
   */
  locate({ id, x, y }) {
    this.located = { id, x, y, until: performance.now() + LOCATE_MS };
  }

  /** Where a located person is now (units), or null when nobody is being located. */
  #locatedPosition(now) {
    const located = this.located;
    if (!located) return null;
    if (now > located.until) {
      this.located = null;
      return null;
    }
    const live = this.session.world.avatars.has(located.id) ? this.session.avatarPosition(located.id, now) : null;
    if (live) return live;
    return Number.isFinite(located.x) && Number.isFinite(located.y) ? { x: located.x, y: located.y } : null;
  }

  /** Calls `listener(nowMs)` after every frame (the minimap, and later overlays). */
  onFrame(listener) {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  /**
   * Adds a map layer: `draw(ctx, {ppu, zoom, now, me})` runs every frame once the map is
   * loaded, with the context in map pixels (`ppu` pixels per unit); returns its remover.
   */
  addLayer(draw) {
    this.layers.add(draw);
    return () => this.layers.delete(draw);
  }

  /** A rounded text label centred at (x, y) in map pixels, sized for the screen (see #label). */
  drawLabel(ctx, text, x, y, options) {
    return this.#label(ctx, text, x, y, options);
  }

  start() {
    const loop = (now) => {
      this.draw(now);
      for (const listener of this.frameListeners) listener(now);
      this.frame = requestAnimationFrame(loop);
    };
    this.frame = requestAnimationFrame(loop);
  }

  stop() {
    cancelAnimationFrame(this.frame);
    this.resizeObserver.disconnect();
    this.canvas.removeEventListener("pointermove", this.onPointer);
    this.canvas.removeEventListener("pointerleave", this.onPointer);
  }

  /** Shows what avatar `id` said in a bubble over it for a few seconds. */
  say(id, text) {
    const short = [...text].length > BUBBLE_CHARACTERS ? `${[...text].slice(0, BUBBLE_CHARACTERS - 1).join("")}…` : text;
    this.bubbles.set(id, { text: short, at: performance.now() });
  }

  /** The speech bubbles shown now: [{id, text}] (tests). */
  bubbleTexts(now = performance.now()) {
    return [...this.bubbles].filter(([, bubble]) => now - bubble.at <= BUBBLE_MS).map(([id, { text }]) => ({ id, text }));
  }

  /** The drawing time of the last frames: {frames, median, p95} in ms (tests and the record). */
  frameStats() {
    const times = [...this.drawTimes].sort((a, b) => a - b);
    const at = (share) => (times.length ? times[Math.min(times.length - 1, Math.floor(share * times.length))] : 0);
    return { frames: times.length, median: at(0.5), p95: at(0.95) };
  }

  /** The name labels of the last frame, in page pixels: [{id, left, top, right, bottom}]. */
  labelRects() {
    const rects = [];
    for (const [id, box] of this.labelBoxes) {
      const a = this.mapPixelsToScreen(box.x, box.y);
      const b = this.mapPixelsToScreen(box.x + box.width, box.y + box.height);
      rects.push({ id, left: a.x, top: a.y, right: b.x, bottom: b.y });
    }
    return rects;
  }

  /** Where a point in map pixels is drawn, in page pixels. */
  mapPixelsToScreen(x, y) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: rect.left + ((x - this.camera.x) * this.scale + this.canvas.width / 2) / this.dpr,
      y: rect.top + ((y - this.camera.y) * this.scale + this.canvas.height / 2) / this.dpr,
    };
  }

  /** A text's width at `size` CSS pixels, measured once per text (measuring is costly in a crowd). */
  #textWidth(ctx, text, size, bold) {
    const key = `${bold ? 1 : 0}${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      if (this.widths.size > 4000) this.widths.clear();
      const font = ctx.font;
      ctx.font = `${bold ? 700 : 500} 100px ${FONT}`;
      width = ctx.measureText(text).width / 100;
      ctx.font = font;
      this.widths.set(key, width);
    }
    return width * size;
  }

  /** Marks where a click sent the avatar; the mark fades. */
  markTarget(units) {
    this.target = { ...units, at: performance.now() };
  }

  // ---- Coordinates ----

  get pixelsPerUnit() {
    return (this.map?.tileWidth ?? 32) / this.session.unitsPerTile;
  }

  get scale() {
    return this.zoom * this.dpr;
  }

  /** The map position (units) under a point in the canvas (CSS pixels). */
  screenToUnits(clientX, clientY) {
    const rect = this.canvas.getBoundingClientRect();
    const x = (clientX - rect.left) * this.dpr;
    const y = (clientY - rect.top) * this.dpr;
    const worldX = (x - this.canvas.width / 2) / this.scale + this.camera.x;
    const worldY = (y - this.canvas.height / 2) / this.scale + this.camera.y;
    return { x: worldX / this.pixelsPerUnit, y: worldY / this.pixelsPerUnit };
  }

  /** Where a map position (units) is in the page (CSS pixels): the inverse of screenToUnits. */
  unitsToScreen(x, y) {
    const rect = this.canvas.getBoundingClientRect();
    const ppu = this.pixelsPerUnit;
    return {
      x: rect.left + ((x * ppu - this.camera.x) * this.scale + this.canvas.width / 2) / this.dpr,
      y: rect.top + ((y * ppu - this.camera.y) * this.scale + this.canvas.height / 2) / this.dpr,
    };
  }

  #resize() {
    this.dpr = Math.min(window.devicePixelRatio || 1, 3);
    const width = Math.max(1, Math.round(this.canvas.clientWidth * this.dpr));
    const height = Math.max(1, Math.round(this.canvas.clientHeight * this.dpr));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
  }

  // ---- Drawing ----

  draw(now) {
    const started = performance.now();
    this.#drawFrame(now);
    this.drawTimes.push(performance.now() - started);
    if (this.drawTimes.length > TIMED_FRAMES) this.drawTimes.shift();
  }

  #drawFrame(now) {
    const ctx = this.context;
    const { width, height } = this.canvas;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#e9e4d8";
    ctx.fillRect(0, 0, width, height);
    const room = this.session.room;
    if (!room) return;
    this.bodies.useResolution(this.scale);
    this.pills.useResolution(this.dpr);

    const ppu = this.pixelsPerUnit;
    const me = this.session.myPosition(now);
    const located = this.#locatedPosition(now);
    this.#follow(located ?? me, ppu, room);
    const scale = this.scale;
    ctx.setTransform(scale, 0, 0, scale, width / 2 - this.camera.x * scale, height / 2 - this.camera.y * scale);
    const view = {
      x: this.camera.x - width / 2 / scale,
      y: this.camera.y - height / 2 / scale,
      width: width / scale,
      height: height / scale,
    };

    if (this.painter) {
      ctx.imageSmoothingEnabled = false;
      this.painter.draw(ctx, view);
      ctx.imageSmoothingEnabled = true;
      this.#drawZones(ctx, me, ppu, now);
      for (const layer of this.layers) {
        ctx.save();
        try {
          layer(ctx, { ppu, zoom: this.zoom, now, me });
        } catch (error) {
          console.error("Atrium: a map layer failed", error);
        }
        ctx.restore();
      }
    } else {
      this.#drawLoading(ctx, room, ppu);
    }
    if (me && this.showHearing) this.#drawHearing(ctx, me, ppu, room);
    if (located) this.#drawPulse(ctx, located, ppu, now);
    this.#drawTarget(ctx, now, ppu);
    this.#drawAvatars(ctx, now, ppu, view);
  }

  #follow(me, ppu, room) {
    const tile = this.map?.tileWidth ?? 32;
    const mapWidth = room.width * tile;
    const mapHeight = room.height * tile;
    const halfWidth = this.canvas.width / 2 / this.scale;
    const halfHeight = this.canvas.height / 2 / this.scale;
    // A card that appears or grows moves the view smoothly, not in a jump.
    const ease = (shown, target) => (Math.abs(target - shown) < 0.5 ? target : shown + (target - shown) * 0.2);
    this.shownInsetTop = ease(this.shownInsetTop, this.insetTop);
    this.shownInsetBottom = ease(this.shownInsetBottom, this.insetBottom);
    // The covered top and bottom, in map pixels: the avatar is kept in the middle of the
    // rest, and the map may start below the top cover rather than under it.
    const top = Math.min(this.shownInsetTop * this.dpr / this.scale, halfHeight);
    const bottom = Math.min(this.shownInsetBottom * this.dpr / this.scale, halfHeight);
    const wantX = me ? me.x * ppu : mapWidth / 2;
    const wantY = (me ? me.y * ppu : mapHeight / 2) - top / 2 + bottom / 2;
    // Keep the map filling the screen where it can; a small map sits in the middle.
    const clamp = (value, low, high, size) => (low > high ? size / 2 : Math.min(Math.max(value, low), high));
    this.camera.x = clamp(wantX, halfWidth, mapWidth - halfWidth, mapWidth);
    this.camera.y = mapHeight <= halfHeight * 2 - top - bottom
      ? mapHeight / 2 - top / 2 + bottom / 2
      : clamp(wantY, halfHeight - top, mapHeight - halfHeight + bottom, mapHeight);
  }

  #drawLoading(ctx, room, ppu) {
    const unit = this.session.unitsPerTile * ppu;
    ctx.fillStyle = "#f4f0e6";
    ctx.fillRect(0, 0, room.width * unit, room.height * unit);
  }

  /**
   * A pill with `text`, `size` CSS pixels high whatever the zoom, centred at (or starting
   * from) (x, y) in map pixels; returns its width in map pixels. Each text and style is
   * painted once at the screen's pixel ratio (this.pills) and stamped from then on.
   */
  #label(ctx, text, x, y, { size = 12, colour = "#1b2333", background = "rgba(255,255,255,0.92)", border = null, align = "center", bold = true } = {}) {
    const dpr = this.dpr;
    const padX = 6;
    const height = size * 1.55;
    const width = this.#textWidth(ctx, text, size, bold) + padX * 2;
    // A pixel of room around the pill for its border's stroke.
    const edge = 1;
    const key = `${size}|${colour}|${background}|${border ?? ""}|${bold ? 1 : 0}|${text}`;
    const pill = this.pills.get(key, (width + 2 * edge) * dpr, (height + 2 * edge) * dpr, (c) => {
      c.scale(dpr, dpr);
      c.translate(edge, edge);
      c.fillStyle = background;
      c.beginPath();
      c.roundRect(0, 0, width, height, height / 2);
      c.fill();
      if (border) {
        c.strokeStyle = border;
        c.lineWidth = 1.5;
        c.stroke();
      }
      c.font = `${bold ? 700 : 500} ${size}px ${FONT}`;
      c.fillStyle = colour;
      c.textAlign = "left";
      c.textBaseline = "middle";
      c.fillText(text, padX, height / 2 + size * 0.05);
    });
    const zoom = this.zoom;
    const left = align === "center" ? x - width / zoom / 2 : x;
    ctx.drawImage(pill, left - edge / zoom, y - (height / 2 + edge) / zoom, pill.width / dpr / zoom, pill.height / dpr / zoom);
    return width / zoom;
  }

  #drawZones(ctx, me, ppu, now) {
    const unitsPerTile = this.session.unitsPerTile;
    const near = (zone, tiles) => {
      if (!me) return false;
      const { x, y, width, height } = zone.pixels;
      const px = me.x * ppu;
      const py = me.y * ppu;
      const dx = Math.max(x - px, 0, px - (x + width));
      const dy = Math.max(y - py, 0, py - (y + height));
      return Math.hypot(dx, dy) <= tiles * unitsPerTile * ppu;
    };
    const line = 2 / this.zoom;
    for (const zone of this.map.zones) {
      const { x, y, width, height } = zone.pixels;
      switch (zone.kind) {
        case "quiz-o":
        case "quiz-x": {
          const o = zone.kind === "quiz-o";
          ctx.fillStyle = o ? "rgba(31,143,86,0.10)" : "rgba(200,50,40,0.10)";
          ctx.fillRect(x, y, width, height);
          ctx.strokeStyle = o ? "rgba(31,143,86,0.55)" : "rgba(200,50,40,0.55)";
          ctx.lineWidth = line;
          ctx.setLineDash([8 / this.zoom, 6 / this.zoom]);
          ctx.strokeRect(x, y, width, height);
          ctx.setLineDash([]);
          ctx.font = `800 ${Math.min(width, height) * 0.6}px ${FONT}`;
          ctx.textAlign = "center";
          ctx.textBaseline = "middle";
          ctx.fillStyle = o ? "rgba(31,143,86,0.22)" : "rgba(200,50,40,0.22)";
          ctx.fillText(o ? "O" : "X", x + width / 2, y + height / 2);
          if (zone.name) this.#label(ctx, zone.name, x + width / 2, y + 14 / this.zoom, { size: 11 });
          break;
        }
        case "stage":
          ctx.strokeStyle = "rgba(230,150,20,0.8)";
          ctx.lineWidth = line;
          ctx.strokeRect(x, y, width, height);
          this.#label(ctx, `🎤 ${zone.name || "무대 · Stage"}`, x + 8 / this.zoom, y + 14 / this.zoom,
            { size: 12, align: "left", colour: "#6b3f00", background: "rgba(255,243,214,0.95)" });
          break;
        case "area":
          ctx.strokeStyle = "rgba(31,59,115,0.55)";
          ctx.lineWidth = line;
          ctx.setLineDash([6 / this.zoom, 5 / this.zoom]);
          ctx.strokeRect(x, y, width, height);
          ctx.setLineDash([]);
          this.#label(ctx, `🔒 ${zone.name || "테이블 · Table"}`, x + width / 2, y + 12 / this.zoom,
            { size: 11, colour: "#1f3b73" });
          break;
        case "exhibit": {
          const title = zone.properties.title || zone.name;
          const icon = EXHIBIT_ICONS[zone.properties.kind] ?? "✨";
          ctx.fillStyle = "rgba(255,181,71,0.16)";
          ctx.fillRect(x, y, width, height);
          // Titles only near the visitor: a hall full of labels is unreadable.
          const cx = x + width / 2;
          const cy = y + height / 2;
          if (title && near(zone, 8)) {
            this.#label(ctx, `${icon} ${title}`, cx, cy, { size: 11, border: "rgba(230,150,20,0.7)" });
          } else {
            this.#label(ctx, icon, cx, cy, { size: 11 });
          }
          break;
        }
        case "portal": {
          // A ring that turns slowly, and where it leads; one that leads nowhere is only an arrival pad.
          const cx = x + width / 2;
          const cy = y + height / 2;
          const radius = Math.min(width, height) * 0.46;
          ctx.beginPath();
          ctx.arc(cx, cy, radius, 0, Math.PI * 2);
          ctx.fillStyle = "rgba(108,75,216,0.14)";
          ctx.fill();
          ctx.strokeStyle = "rgba(108,75,216,0.85)";
          ctx.lineWidth = 2.5 / this.zoom;
          ctx.setLineDash([radius * 0.5, radius * 0.3]);
          ctx.lineDashOffset = -(now / 40) % (radius * 0.8);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.lineDashOffset = 0;
          if (zone.properties.to) {
            this.#label(ctx, `${PORTAL_ICON} ${zone.name || zone.properties.id}`, cx, y - 10 / this.zoom,
              { size: 11, colour: "#3b2380", background: "rgba(243,238,255,0.95)", border: "rgba(108,75,216,0.7)" });
          }
          break;
        }
        case "signpost":
          if (zone.name) {
            this.#label(ctx, zone.name, x + width / 2, y + height / 2,
              { size: 11, colour: "#5a3a12", background: "rgba(246,231,200,0.97)", border: "#8a5a2b" });
          }
          break;
        default:
          break;
      }
    }
  }

  #drawHearing(ctx, me, ppu, room) {
    const radius = room.chatRadius * this.session.unitsPerTile * ppu;
    ctx.beginPath();
    ctx.arc(me.x * ppu, me.y * ppu, radius, 0, Math.PI * 2);
    ctx.fillStyle = "rgba(31,143,86,0.07)";
    ctx.fill();
    ctx.strokeStyle = "rgba(31,143,86,0.5)";
    ctx.lineWidth = 1.5 / this.zoom;
    ctx.setLineDash([6 / this.zoom, 6 / this.zoom]);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  #drawPulse(ctx, at, ppu, now) {
    const tile = this.session.unitsPerTile * ppu;
    for (const phase of [0, 0.5]) {
      const t = ((now / 900) + phase) % 1;
      ctx.beginPath();
      ctx.arc(at.x * ppu, at.y * ppu, tile * (0.45 + 1.1 * t), 0, Math.PI * 2);
      ctx.strokeStyle = `rgba(230,120,20,${0.85 * (1 - t)})`;
      ctx.lineWidth = 3 / this.zoom;
      ctx.stroke();
    }
  }

  #drawTarget(ctx, now, ppu) {
    if (!this.target) return;
    const age = now - this.target.at;
    if (age > TARGET_MARK_MS) {
      this.target = null;
      return;
    }
    const t = age / TARGET_MARK_MS;
    const tile = this.session.unitsPerTile * ppu;
    ctx.beginPath();
    ctx.arc(this.target.x * ppu, this.target.y * ppu, tile * (0.2 + 0.25 * t), 0, Math.PI * 2);
    ctx.strokeStyle = `rgba(31,59,115,${0.8 * (1 - t)})`;
    ctx.lineWidth = 2.5 / this.zoom;
    ctx.stroke();
  }

  #drawAvatars(ctx, now, ppu, view) {
    const session = this.session;
    const tile = session.unitsPerTile * ppu;
    const margin = tile * 3;
    const visible = [];
    for (const avatar of session.world.avatars.values()) {
      const position = session.avatarPosition(avatar.id, now);
      if (!position) continue;
      const x = position.x * ppu;
      const y = position.y * ppu;
      if (x < view.x - margin || x > view.x + view.width + margin || y < view.y - margin || y > view.y + view.height + margin) continue;
      visible.push({ avatar, x, y });
    }
    // Lower avatars are drawn last, so they stand in front; the visitor's own last of all.
    visible.sort((a, b) => a.y - b.y);
    const selfId = session.world.selfId;
    const mine = visible.find((entry) => entry.avatar.id === selfId);
    const hovered = this.#hoveredAvatar(visible, tile);
    for (const [id, bubble] of this.bubbles) if (now - bubble.at > BUBBLE_MS) this.bubbles.delete(id);

    // Names: the own first, then talking, on stage or hovered, then the nearest; none overlapping, none cut by the edge.
    const candidates = visible.map((entry) => {
      const { avatar } = entry;
      entry.name = this.#nameOf(avatar);
      const width = this.#textWidth(ctx, entry.name, 12 / this.zoom, true) + 12 / this.zoom;
      const height = (12 / this.zoom) * 1.55;
      const nameY = entry.y - tile * 0.36 - 12 / this.zoom;
      const priority = labelPriority({
        mine: avatar.id === selfId,
        talking: this.bubbles.has(avatar.id),
        spotlight: avatar.spotlight,
        onStage: this.#onStage(entry, tile),
        hovered: avatar.id === hovered?.avatar.id,
      });
      return {
        id: avatar.id,
        box: { x: entry.x - width / 2, y: nameY - height / 2, width, height },
        distance: mine ? Math.hypot(entry.x - mine.x, entry.y - mine.y) : 0,
        priority,
      };
    });
    this.labelBoxes = chooseLabels(candidates, MAX_LABELS, view);

    for (const entry of visible) if (entry !== mine) this.#drawBody(ctx, entry, tile, now);
    for (const entry of visible) if (entry !== mine) this.#drawTags(ctx, entry, tile, now, this.labelBoxes.has(entry.avatar.id));
    if (mine) {
      this.#drawBody(ctx, mine, tile, now);
      this.#drawTags(ctx, mine, tile, now, true);
    }
  }

  /** Whether an avatar drawn at (x, y) map pixels stands on a stage tile (`tile`: map pixels per tile). */
  #onStage({ x, y }, tile) {
    return (this.map?.zonesAt(Math.floor(x / tile), Math.floor(y / tile), "stage").length ?? 0) > 0;
  }

  #nameOf(avatar) {
    return `${ROLE_BADGES[avatar.role] ?? ""}${avatar.name}${avatar.away ? " 💤" : ""}`;
  }

  /** The avatar under the mouse pointer (within half a tile), or null. */
  #hoveredAvatar(visible, tile) {
    if (!this.pointer) return null;
    const at = this.screenToUnits(this.pointer.x, this.pointer.y);
    const ppu = this.pixelsPerUnit;
    let best = null;
    let bestDistance = tile * 0.6;
    for (const entry of visible) {
      const distance = Math.hypot(entry.x - at.x * ppu, entry.y - at.y * ppu);
      if (distance < bestDistance) {
        best = entry;
        bestDistance = distance;
      }
    }
    return best;
  }

  /**
   * An avatar's body. The own avatar (its pulse) and a spotlighted one (its glow) are
   * painted every frame; everyone else is a picture per colour and gaze (this.bodies),
   * painted once at this zoom and stamped.
   */
  #drawBody(ctx, { avatar, x, y }, tile, now) {
    const isMe = avatar.id === this.session.world.selfId;
    const radius = tile * 0.36;
    ctx.save();
    if (avatar.away) ctx.globalAlpha = 0.38;
    if (isMe || avatar.spotlight) {
      const speed = Math.hypot(avatar.vx, avatar.vy);
      this.#paintBody(ctx, x, y, radius, tile, {
        colour: colourOf(avatar.appearance), look: speed ? { x: avatar.vx / speed, y: avatar.vy / speed } : null,
        me: isMe, spotlight: avatar.spotlight, now,
      });
    } else {
      const scale = this.scale;
      const gaze = gazeOf(avatar.vx, avatar.vy);
      // The picture spans the body and its stroke, and the shadow below it.
      const half = radius * 1.15;
      const below = radius * 1.3;
      const sprite = this.bodies.get(`${avatar.appearance ?? 0}|${gaze}`, 2 * half * scale, (half + below) * scale, (c) => {
        c.scale(scale, scale);
        this.#paintBody(c, half, half, radius, tile, { colour: colourOf(avatar.appearance), look: gaze ? gazeVector(gaze) : null });
      });
      ctx.drawImage(sprite, x - half, y - half, sprite.width / scale, sprite.height / scale);
    }
    ctx.restore();
  }

  /** Paints a body at (x, y): shadow, disc, stroke, eyes looking along `look` (a unit vector) or down. */
  #paintBody(ctx, x, y, radius, tile, { colour, look, me = false, spotlight = false, now = 0 }) {
    // Shadow on the floor.
    ctx.fillStyle = "rgba(20,30,50,0.18)";
    ctx.beginPath();
    ctx.ellipse(x, y + radius * 0.85, radius * 0.9, radius * 0.35, 0, 0, Math.PI * 2);
    ctx.fill();
    if (spotlight) {
      ctx.shadowColor = "rgba(255,200,60,0.95)";
      ctx.shadowBlur = 18 * this.dpr;
    }
    if (me) {
      const pulse = 1 + 0.06 * Math.sin(now / 300);
      ctx.beginPath();
      ctx.arc(x, y, radius * 1.35 * pulse, 0, Math.PI * 2);
      ctx.fillStyle = "rgba(255,181,71,0.35)";
      ctx.fill();
    }
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, Math.PI * 2);
    ctx.fillStyle = colour;
    ctx.fill();
    ctx.shadowBlur = 0;
    ctx.lineWidth = Math.max(1.5, tile * 0.06);
    ctx.strokeStyle = me ? "#ffb547" : "rgba(255,255,255,0.95)";
    ctx.stroke();
    // Eyes look where the avatar walks.
    const lookX = look ? look.x * radius * 0.25 : 0;
    const lookY = look ? look.y * radius * 0.25 : radius * 0.08;
    ctx.fillStyle = "#fff";
    for (const side of [-1, 1]) {
      ctx.beginPath();
      ctx.arc(x + side * radius * 0.33 + lookX, y - radius * 0.12 + lookY, radius * 0.2, 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.fillStyle = "#1b2333";
    for (const side of [-1, 1]) {
      ctx.beginPath();
      ctx.arc(x + side * radius * 0.33 + lookX * 1.4, y - radius * 0.12 + lookY * 1.4, radius * 0.1, 0, Math.PI * 2);
      ctx.fill();
    }
  }

  #drawTags(ctx, { avatar, x, y, name }, tile, now, labelled) {
    const isMe = avatar.id === this.session.world.selfId;
    const radius = tile * 0.36;
    const nameY = y - radius - 12 / this.zoom;
    ctx.save();
    if (avatar.away) ctx.globalAlpha = 0.55;
    if (labelled) {
      this.#label(ctx, name, x, nameY, {
        size: isMe ? 13 : 12,
        background: isMe ? "rgba(255,181,71,0.98)" : "rgba(255,255,255,0.92)",
        colour: isMe ? "#3d2400" : "#1b2333",
        border: isMe ? "#6b3f00" : null,
      });
      if (avatar.status) {
        this.#label(ctx, avatar.status, x, y + radius + 12 / this.zoom,
          { size: 10.5, bold: false, colour: "#4a5568", background: "rgba(255,255,255,0.8)" });
      }
    }
    ctx.restore();
    let top = labelled ? nameY - 12 / this.zoom : y - radius;
    const bubble = this.bubbles.get(avatar.id);
    if (bubble) top = this.#drawBubble(ctx, bubble, x, top, now);
    const emote = emoteByCode(avatar.emote);
    if (emote) this.#drawEmote(ctx, emote, x, top - 20 / this.zoom, now - avatar.emoteAt);
  }

  /** A speech bubble whose bottom is at `bottom`; returns its top. */
  #drawBubble(ctx, bubble, x, bottom, now) {
    const age = now - bubble.at;
    const fontSize = 12 / this.zoom;
    const padX = 8 / this.zoom;
    const height = fontSize * 1.7;
    const width = this.#textWidth(ctx, bubble.text, fontSize, false) + padX * 2;
    const tail = 6 / this.zoom;
    const top = bottom - tail - height;
    ctx.save();
    ctx.globalAlpha = age > BUBBLE_MS - 600 ? Math.max(0, (BUBBLE_MS - age) / 600) : 1;
    ctx.fillStyle = "#ffffff";
    ctx.strokeStyle = "rgba(31,59,115,0.55)";
    ctx.lineWidth = 1.2 / this.zoom;
    ctx.beginPath();
    ctx.roundRect(x - width / 2, top, width, height, 8 / this.zoom);
    ctx.moveTo(x - tail, top + height);
    ctx.lineTo(x, bottom);
    ctx.lineTo(x + tail, top + height);
    ctx.fill();
    ctx.stroke();
    ctx.font = `500 ${fontSize}px ${FONT}`;
    ctx.fillStyle = "#1b2333";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(bubble.text, x, top + height / 2);
    ctx.restore();
    return top;
  }

  #drawEmote(ctx, emote, x, y, age) {
    const t = Math.min(1, Math.max(0, age / EMOTE_POP_MS));
    // Ease out with a little overshoot, so the bubble pops.
    const pop = 1 + 2.2 * (t - 1) ** 3 + 1.2 * (t - 1) ** 2;
    const size = (18 / this.zoom) * Math.max(0.2, pop);
    ctx.save();
    ctx.fillStyle = "#fff";
    ctx.strokeStyle = "rgba(27,35,51,0.15)";
    ctx.lineWidth = 1 / this.zoom;
    ctx.beginPath();
    ctx.arc(x, y, size * 0.95, 0, Math.PI * 2);
    ctx.moveTo(x - size * 0.25, y + size * 0.85);
    ctx.lineTo(x, y + size * 1.3);
    ctx.lineTo(x + size * 0.25, y + size * 0.85);
    ctx.fill();
    ctx.stroke();
    ctx.font = `${size}px ${FONT}`;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(emote.emoji, x, y + size * 0.06);
    ctx.restore();
  }
}
