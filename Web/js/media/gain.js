// How loud a peer is: volume falls with distance, so that people drift into groups the
// way they do in a room. Pure; Node tests check the curve.

/** Full volume up to this distance (tiles): someone standing right beside you. */
export const FULL_VOLUME_TILES = 1;
/** The gain at the edge of hearing (`avRadius + 1` tiles, where the server disconnects): −20 dB. */
export const EDGE_GAIN = 0.1;

/**
 * The gain (0…1) for a peer `distanceTiles` away: 1 within a tile, then falling evenly in
 * decibels to −20 dB at `radius + 1` tiles (perceived loudness follows decibels, so the
 * fall sounds even). Everyone at the same private table hears each other fully; a peer a
 * moderator muted is silent whatever its client sends.
 */
export function gainFor({ distanceTiles, radius, sameArea = false, muted = false }) {
  if (muted) return 0;
  if (sameArea) return 1;
  const span = Math.max(radius, 1);
  const t = Math.min(Math.max((distanceTiles - FULL_VOLUME_TILES) / span, 0), 1);
  return Math.pow(EDGE_GAIN, t);
}
