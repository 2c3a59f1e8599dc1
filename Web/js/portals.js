// Portals and signposts of a map (Maps/README.md, "Portals and signposts"). A step onto a
// portal from outside it takes the avatar to the portal its `to` names; the server does
// the jump, this module only reads the map: which portals lead somewhere, where one
// lands, and which portal a jump of the own avatar went through, to say so. Pure.

/** How far (tiles, by walking) from a portal's landing tile the server may put an arrival (Room.landingSteps). */
const LANDING_STEPS = 4;
/** A change of the own position larger than this (tiles) in one state message is a jump. */
const JUMP_TILES = 3;

/** The portals of `map` with an id: {id, to, name, rect, zone}, in map order. */
export function portalsOf(map) {
  if (!map) return [];
  return map.zones
    .filter((zone) => zone.kind === "portal" && typeof zone.properties.id === "string" && zone.properties.id)
    .map((zone) => ({
      id: zone.properties.id,
      to: typeof zone.properties.to === "string" && zone.properties.to ? zone.properties.to : null,
      name: zone.name || zone.properties.id,
      rect: zone.rect,
      zone,
    }));
}

/** The signposts of `map`: {name, rect, zone}; one without words is left out. */
export function signpostsOf(map) {
  if (!map) return [];
  return map.zones.filter((zone) => zone.kind === "signpost" && zone.name.trim()).map((zone) => ({ name: zone.name, rect: zone.rect, zone }));
}

const inside = (rect, x, y) => x >= rect.x && y >= rect.y && x < rect.x + rect.width && y < rect.y + rect.height;

/** The portal holding tile (x, y), or null. */
export function portalAt(map, x, y) {
  return portalsOf(map).find((portal) => inside(portal.rect, x, y)) ?? null;
}

/**
 * The tile an arrival at `portal` lands on first, as the server's WorldMap.portalLanding:
 * the walkable tile nearest the rectangle's centre, the upper left of the middle first.
 */
export function portalLanding(map, portal) {
  const { x: left, y: top, width, height } = portal.rect;
  const centreX = 2 * left + width - 1;
  const centreY = 2 * top + height - 1;
  let best = null;
  let bestKey = null;
  for (let y = top; y < top + height; y++) {
    for (let x = left; x < left + width; x++) {
      if (map.isBlocked(x, y)) continue;
      const key = [Math.abs(2 * x - centreX) + Math.abs(2 * y - centreY), y, x];
      if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))) {
        best = { x, y };
        bestKey = key;
      }
    }
  }
  return best;
}

/**
 * Which portal a move of the own avatar from tile `from` to tile `to` went through: a
 * jump longer than a few tiles that ends near the landing of a portal's destination,
 * from a portal next to where the avatar was. Null for anything else (a walk, a
 * moderator's teleport, a resume).
 */
export function portalTaken(map, from, to) {
  if (!map || !from || !to || Math.hypot(to.x - from.x, to.y - from.y) <= JUMP_TILES) return null;
  const portals = portalsOf(map);
  const byId = new Map(portals.map((portal) => [portal.id, portal]));
  const near = (rect, tile, margin) => tile.x >= rect.x - margin && tile.y >= rect.y - margin
    && tile.x < rect.x + rect.width + margin && tile.y < rect.y + rect.height + margin;
  for (const portal of portals) {
    const destination = portal.to && byId.get(portal.to);
    if (!destination || !near(portal.rect, from, 1)) continue;
    const landing = portalLanding(map, destination);
    if (landing && Math.abs(to.x - landing.x) + Math.abs(to.y - landing.y) <= LANDING_STEPS) return portal;
  }
  return null;
}
