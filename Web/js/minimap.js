// A small overview of the whole map: walls, zones, a dot for each avatar in view, the
// own position and the part of the map on screen. Clicking it walks there.

import { listen } from "./dom.js";

const MAX_WIDTH = 260;
const MAX_HEIGHT = 190;
const LABELLED = new Set(["stage", "area", "quiz-o", "quiz-x", "spawn"]);
const REDRAW_MS = 100;

const ZONE_COLOURS = {
  stage: "rgba(230,150,20,0.55)",
  area: "rgba(31,59,115,0.35)",
  "quiz-o": "rgba(31,143,86,0.5)",
  "quiz-x": "rgba(200,50,40,0.5)",
  exhibit: "rgba(255,181,71,0.6)",
  portal: "rgba(108,75,216,0.85)",
};

/**
 * @param {HTMLCanvasElement} canvas
 * @param {import("./session.js").Session} session
 * @param {(units: {x: number, y: number}) => void} walk
 */
export function attachMinimap(canvas, session, walk) {
  const context = canvas.getContext("2d");
  let base = null;
  let scale = 1;
  let last = 0;

  function setMap(map) {
    scale = Math.min(MAX_WIDTH / map.width, MAX_HEIGHT / map.height);
    const width = Math.round(map.width * scale);
    const height = Math.round(map.height * scale);
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    // Walls and zones do not change: painted once.
    base = document.createElement("canvas");
    base.width = canvas.width;
    base.height = canvas.height;
    const b = base.getContext("2d");
    b.scale(dpr * scale, dpr * scale);
    b.fillStyle = "#f6f3ec";
    b.fillRect(0, 0, map.width, map.height);
    b.fillStyle = "#5b6478";
    for (let y = 0; y < map.height; y++) {
      for (let x = 0; x < map.width; x++) if (map.blocked[y * map.width + x]) b.fillRect(x, y, 1, 1);
    }
    for (const zone of map.zones) {
      const colour = ZONE_COLOURS[zone.kind];
      if (!colour) continue;
      b.fillStyle = colour;
      b.fillRect(zone.rect.x, zone.rect.y, Math.max(zone.rect.width, 1), Math.max(zone.rect.height, 1));
    }
    // The big places get their names: the first of the map's two (they are "Korean · English").
    b.setTransform(1, 0, 0, 1, 0, 0);
    b.font = `700 ${9 * dpr}px system-ui, sans-serif`;
    b.textAlign = "center";
    b.textBaseline = "middle";
    for (const zone of map.zones) {
      if (!LABELLED.has(zone.kind) || !zone.name) continue;
      const short = zone.name.split(" · ")[0];
      const x = (zone.rect.x + zone.rect.width / 2) * scale * dpr;
      const y = (zone.rect.y + zone.rect.height / 2) * scale * dpr;
      b.lineWidth = 3 * dpr;
      b.strokeStyle = "rgba(255,255,255,0.9)";
      b.strokeText(short, x, y);
      b.fillStyle = "#1b2333";
      b.fillText(short, x, y);
    }
    canvas.setAttribute("aria-label", `미니맵: ${map.name || map.id} · Minimap`);
  }

  function draw(now, viewport) {
    if (!base || canvas.hidden || now - last < REDRAW_MS) return;
    last = now;
    const dpr = canvas.width / parseFloat(canvas.style.width);
    const perUnit = (scale * dpr) / session.unitsPerTile;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.drawImage(base, 0, 0);
    for (const avatar of session.world.avatars.values()) {
      if (avatar.id === session.world.selfId) continue;
      const p = session.avatarPosition(avatar.id, now);
      if (!p) continue;
      context.fillStyle = avatar.away ? "rgba(27,35,51,0.35)" : "#1f3b73";
      context.beginPath();
      context.arc(p.x * perUnit, p.y * perUnit, 2 * dpr, 0, Math.PI * 2);
      context.fill();
    }
    if (viewport) {
      context.strokeStyle = "rgba(27,35,51,0.55)";
      context.lineWidth = dpr;
      context.strokeRect(viewport.x * perUnit, viewport.y * perUnit, viewport.width * perUnit, viewport.height * perUnit);
    }
    const me = session.myPosition(now);
    if (me) {
      // You are here: a dot with a pulsing ring and a pointer that says so.
      const x = me.x * perUnit;
      const y = me.y * perUnit;
      const pulse = 4 + 3 * ((now / 900) % 1);
      context.strokeStyle = `rgba(230,120,20,${1 - ((now / 900) % 1)})`;
      context.lineWidth = 1.5 * dpr;
      context.beginPath();
      context.arc(x, y, pulse * dpr, 0, Math.PI * 2);
      context.stroke();
      context.fillStyle = "#ffb547";
      context.strokeStyle = "#6b3f00";
      context.beginPath();
      context.arc(x, y, 4 * dpr, 0, Math.PI * 2);
      context.fill();
      context.stroke();
      const above = y > 22 * dpr;
      const tipY = above ? y - 6 * dpr : y + 6 * dpr;
      const boxY = above ? tipY - 16 * dpr : tipY + 3 * dpr;
      context.font = `800 ${10 * dpr}px system-ui, sans-serif`;
      const label = "나 · You";
      const width = context.measureText(label).width + 8 * dpr;
      const left = Math.min(Math.max(x - width / 2, 0), canvas.width - width);
      context.fillStyle = "#6b3f00";
      context.beginPath();
      context.moveTo(x, tipY);
      context.lineTo(x - 4 * dpr, above ? tipY - 4 * dpr : tipY + 4 * dpr);
      context.lineTo(x + 4 * dpr, above ? tipY - 4 * dpr : tipY + 4 * dpr);
      context.fill();
      context.fillRect(left, boxY, width, 13 * dpr);
      context.fillStyle = "#ffffff";
      context.textAlign = "left";
      context.textBaseline = "middle";
      context.fillText(label, left + 4 * dpr, boxY + 6.5 * dpr);
    }
  }

  const offClick = listen(canvas, "click", (event) => {
    const rect = canvas.getBoundingClientRect();
    const tiles = { x: (event.clientX - rect.left) / scale, y: (event.clientY - rect.top) / scale };
    walk({ x: tiles.x * session.unitsPerTile, y: tiles.y * session.unitsPerTile });
  });

  return { setMap, draw, dispose: offClick };
}
