// Which names to draw in a crowd, so every name shown can be read: the visitor's own
// first, then whoever is talking, on stage or hovered, then the nearest; a label that
// would overlap one already placed, or be cut by the edge of the view, is left out, and
// at most `max` are shown. Pure: it takes label boxes and returns the ids to label.

/**
 * How much a name matters (0 first): the visitor's own, then whoever talks (a bubble),
 * is spotlighted, stands on the stage or is under the pointer, then everyone else.
 */
export function labelPriority({ mine = false, talking = false, spotlight = false, onStage = false, hovered = false }) {
  if (mine) return 0;
  return talking || spotlight || onStage || hovered ? 1 : 2;
}

/** Whether two boxes {x, y, width, height} (x, y the top left) overlap. */
export function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * @param {{id: number, box: {x: number, y: number, width: number, height: number}, distance: number, priority: number}[]} candidates
 *   `priority` 0 for the visitor, 1 for someone talking, on stage or hovered, 2 for anyone else
 * @param {number} max at most this many labels
 * @param {{x: number, y: number, width: number, height: number}} [view] what is on screen, in the boxes' units:
 *   a label not wholly inside is left out (the own is drawn anyway)
 * @returns {Map<number, object>} the placed boxes by avatar id
 */
export function chooseLabels(candidates, max, view = null) {
  const ordered = [...candidates].sort((a, b) => a.priority - b.priority || a.distance - b.distance);
  const placed = new Map();
  for (const candidate of ordered) {
    if (placed.size >= max) break;
    let free = !view || inside(candidate.box, view);
    for (const box of placed.values()) {
      if (overlaps(box, candidate.box)) {
        free = false;
        break;
      }
    }
    if (free || candidate.priority === 0) placed.set(candidate.id, candidate.box);
  }
  return placed;
}

/** Whether `box` lies wholly inside `view`. */
function inside(box, view) {
  return box.x >= view.x && box.y >= view.y && box.x + box.width <= view.x + view.width && box.y + box.height <= view.y + view.height;
}
