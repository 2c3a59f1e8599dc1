// Portals and signposts of a map (Maps/README.md, "Portals and signposts"). A step onto a
// portal from outside it takes the avatar to the portal its `to` names; the server does
// the jump, this module only reads the map: which portals lead somewhere, where one
// lands, and which portal a jump of the own avatar went through, to say so. Pure.

/** How far (tiles, by walking) from a portal's landing tile the server may put an arrival (Room.landingSteps). */
const LANDING_STEPS = 4;
/** A change of the own position larger than this (tiles) in one state message is a jump. */
const JUMP_TILES = 3;
/** A way through a portal is taken when it is at most this share of the straight line there… */
const ROUTE_SHARE = 0.75;
/** …and saves at least this many tiles (a short walk is not worth a detour to a pad). */
const ROUTE_SAVES_TILES = 10;

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

/**
 * Whether "walk there" should go through a portal: from tile `from` to tile `to`, the
 * portal whose pad is near and whose destination lands near the goal, when that way is
 * much shorter than the straight line (which underestimates a walk around walls, so a
 * portal is only taken when it clearly helps). Returns {portal, destination, landing}
 * or null. The server's path finder walks around portals, so this is the client's choice.
 */
export function portalRoute(map, from, to) {
  if (!map || !from || !to) return null;
  const portals = portalsOf(map);
  const byId = new Map(portals.map((portal) => [portal.id, portal]));
  const direct = Math.hypot(to.x - from.x, to.y - from.y);
  let best = null;
  for (const portal of portals) {
    const destination = portal.to && byId.get(portal.to);
    const landing = destination && portalLanding(map, destination);
    if (!landing || inside(portal.rect, from.x, from.y)) continue;
    const pad = { x: portal.rect.x + portal.rect.width / 2, y: portal.rect.y + portal.rect.height / 2 };
    const cost = Math.hypot(pad.x - from.x, pad.y - from.y) + Math.hypot(to.x - landing.x, to.y - landing.y);
    if (!best || cost < best.cost) best = { portal, destination, landing, cost };
  }
  if (!best || best.cost > direct * ROUTE_SHARE || direct - best.cost < ROUTE_SAVES_TILES) return null;
  return { portal: best.portal, destination: best.destination, landing: best.landing };
}

/** Whether tile `tile` is where an arrival through `destination` stands (its landing, give or take the server's steps). */
export function arrivedThrough(map, destination, tile) {
  const landing = portalLanding(map, destination);
  return !!landing && !!tile && Math.abs(tile.x - landing.x) + Math.abs(tile.y - landing.y) <= LANDING_STEPS;
}
