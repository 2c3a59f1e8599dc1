// The named places of a map, for the directory, the location line and the minimap: the
// entrances (spawn zones), the stage, the quiz field, tables and rooms (areas), every
// exhibit, and the portals that lead somewhere. Pure: it reads a parsed map (tiled.js).

import { KINDS, exhibitsOf } from "./exhibits.js";
import { portalAt, portalsOf } from "./portals.js";

export const PLACE_GROUPS = [
  { id: "event", label: "행사 · Event" },
  { id: "exhibit", label: "전시 · Exhibits" },
  { id: "table", label: "테이블과 방 · Tables and rooms" },
  { id: "portal", label: "포털 · Portals" },
  { id: "entrance", label: "입구 · Entrances" },
];

/** The icon of a portal on the map, in the directory and in the location line. */
export const PORTAL_ICON = "🌀";

const ZONE_PLACES = {
  spawn: { group: "entrance", icon: "🚪", fallback: "입구 · Entrance" },
  stage: { group: "event", icon: "🎤", fallback: "무대 · Stage" },
  area: { group: "table", icon: "🔒", fallback: "테이블 · Table" },
};

/** The middle of a rectangle of tiles, in tiles. */
const middle = (rect) => ({ x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 });

/**
 * The places of `map`: {id, group, icon, name, rect (tiles), exhibit?} in the order of
 * PLACE_GROUPS, exhibits by kind then title. The O and X fields are one place, the quiz.
 */
export function placesOf(map) {
  if (!map) return [];
  const places = [];
  const fields = map.zones.filter((zone) => zone.kind === "quiz-o" || zone.kind === "quiz-x");
  if (fields.length) {
    const left = Math.min(...fields.map((zone) => zone.rect.x));
    const top = Math.min(...fields.map((zone) => zone.rect.y));
    const right = Math.max(...fields.map((zone) => zone.rect.x + zone.rect.width));
    const bottom = Math.max(...fields.map((zone) => zone.rect.y + zone.rect.height));
    places.push({ id: "quiz", group: "event", icon: "⭕", name: "OX 퀴즈 구역 · OX quiz field", rect: { x: left, y: top, width: right - left, height: bottom - top } });
  }
  for (const zone of map.zones) {
    const kind = ZONE_PLACES[zone.kind];
    if (!kind) continue;
    places.push({ id: `zone-${zone.id}`, group: kind.group, icon: kind.icon, name: zone.name || kind.fallback, rect: zone.rect });
  }
  const exhibits = exhibitsOf(map).sort((a, b) => a.kind.localeCompare(b.kind) || a.title.localeCompare(b.title));
  for (const exhibit of exhibits) {
    const kind = KINDS[exhibit.kind] ?? { icon: "✨", label: "전시", english: "Exhibit" };
    places.push({ id: `exhibit-${exhibit.id}`, group: "exhibit", icon: kind.icon, name: exhibit.title, kindLabel: `${kind.label} · ${kind.english}`, rect: exhibit.rect, exhibit: exhibit.id });
  }
  for (const portal of portalsOf(map)) {
    // A portal that leads nowhere is only somewhere to arrive.
    if (!portal.to) continue;
    places.push({ id: `portal-${portal.id}`, group: "portal", icon: PORTAL_ICON, name: portal.name, kindLabel: "포털 · Portal", rect: portal.rect, portal: portal.id });
  }
  const order = new Map(PLACE_GROUPS.map((group, index) => [group.id, index]));
  return places.sort((a, b) => order.get(a.group) - order.get(b.group));
}

/** The places whose name (or kind) contains `query`, ignoring case and width. */
export function searchPlaces(places, query) {
  const needle = query.normalize("NFKC").trim().toLocaleLowerCase();
  if (!needle) return places;
  return places.filter((place) => `${place.name} ${place.kindLabel ?? ""}`.normalize("NFKC").toLocaleLowerCase().includes(needle));
}

/**
 * Where "walk there" goes for a zone place, in units: the walkable tile of the place
 * nearest to its middle (a stage or a table may be partly furniture). Null if none.
 */
export function placeTarget(map, place, unitsPerTile) {
  const centre = middle(place.rect);
  let best = null;
  let bestDistance = Infinity;
  const { x: left, y: top, width, height } = place.rect;
  for (let y = top; y < top + Math.max(1, height); y++) {
    for (let x = left; x < left + Math.max(1, width); x++) {
      if (map.isBlocked(x, y)) continue;
      const distance = Math.hypot(x + 0.5 - centre.x, y + 0.5 - centre.y);
      if (distance < bestDistance) {
        best = { x: (x + 0.5) * unitsPerTile, y: (y + 0.5) * unitsPerTile };
        bestDistance = distance;
      }
    }
  }
  return best;
}

/** The named place holding tile (x, y), for the location line: stage, table, quiz field, portal or entrance; or null. */
export function placeAt(map, x, y) {
  const inside = (kind) => map.zonesAt(x, y, kind)[0];
  const portal = portalAt(map, x, y);
  if (portal) return { kind: "portal", icon: PORTAL_ICON, name: portal.name };
  const stage = inside("stage");
  if (stage) return { kind: "stage", icon: "🎤", name: stage.name || "무대 · Stage" };
  const area = inside("area");
  if (area) return { kind: "area", icon: "🔒", name: area.name || "테이블 · Table" };
  const field = inside("quiz-o") ?? inside("quiz-x");
  if (field) {
    const o = field.kind === "quiz-o";
    return { kind: field.kind, icon: o ? "⭕" : "❌", name: field.name || (o ? "O 구역 · O field" : "X 구역 · X field") };
  }
  const entrance = inside("spawn");
  if (entrance) return { kind: "spawn", icon: "🚪", name: entrance.name || "입구 · Entrance" };
  return null;
}
