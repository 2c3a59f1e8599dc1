// Portals on screen: after the server took the own avatar through a portal, a notice
// says where to ("🌀 To the comics corner"), and screen readers hear it. The jump itself
// is the server's; the map drawing is the renderer's (#drawZones).

import { portalTaken } from "./portals.js";
import { PORTAL_ICON } from "./places.js";
import { deadReckon } from "./world.js";

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {{show: Function}} options.toaster
 * @param {HTMLElement} [options.announcer] a polite live region
 */
export function attachPortals({ session, toaster, announcer }) {
  // The server's last motion of the own avatar {x, y, vx, vy, since}: a walk in a straight
  // line sends nothing, so where the avatar was just before a jump is this motion carried
  // on to the tick of the jump.
  let last = null;
  let taken = null;
  const tileOf = (position) => ({ x: Math.floor(position.x / session.unitsPerTile), y: Math.floor(position.y / session.unitsPerTile) });

  const disposers = [
    session.on("welcome", () => {
      last = null;
    }),
    session.on("world", () => {
      const me = session.me;
      if (!me || typeof me.x !== "number") return;
      const before = last && last.since !== me.since ? deadReckon(last, last.since, me.since) : null;
      last = { x: me.x, y: me.y, vx: me.vx, vy: me.vy, since: me.since };
      const portal = before && portalTaken(session.map, tileOf(before), tileOf(me));
      if (!portal) return;
      taken = { id: portal.id, name: portal.name, at: Date.now() };
      const text = `${PORTAL_ICON} ${portal.name}`;
      toaster.show(text, { kind: "info" });
      if (announcer) announcer.textContent = text;
    }),
  ];

  return {
    /** The last portal the own avatar went through: {id, name, at} or null. */
    snapshot: () => taken,
    dispose() {
      for (const dispose of disposers) dispose();
    },
  };
}
