// Pictures the renderer stamps instead of drawing shapes and text anew for every avatar
// every frame: avatar bodies (by colour and gaze) and name pills (by text and style).
// Each is painted once, at the screen's resolution, into a small canvas of its own; a
// new resolution (a zoom step, another display) starts afresh, and the cache is bounded,
// so a crowd of two hundred costs two hundred image copies a frame, not thousands of paths.

export class SpriteCache {
  /**
   * @param {object} [options]
   * @param {number} [options.limit] pictures kept at most; past it the cache starts afresh
   * @param {() => HTMLCanvasElement} [options.create] makes a canvas (tests pass a stand-in)
   */
  constructor({ limit = 600, create = () => document.createElement("canvas") } = {}) {
    this.limit = limit;
    this.create = create;
    this.pictures = new Map();
    this.resolution = 0;
  }

  /** Device pixels per map pixel the pictures are painted at; a change empties the cache. */
  useResolution(resolution) {
    if (resolution === this.resolution) return;
    this.resolution = resolution;
    this.pictures.clear();
  }

  /**
   * The picture for `key`, `width`×`height` device pixels, painted by `paint(ctx)` the
   * first time it is asked for at this resolution.
   */
  get(key, width, height, paint) {
    let picture = this.pictures.get(key);
    if (picture) return picture;
    if (this.pictures.size >= this.limit) this.pictures.clear();
    picture = this.create();
    picture.width = Math.max(1, Math.ceil(width));
    picture.height = Math.max(1, Math.ceil(height));
    paint(picture.getContext("2d"));
    this.pictures.set(key, picture);
    return picture;
  }

  get size() {
    return this.pictures.size;
  }
}

/** Which way an avatar walking with velocity (vx, vy) looks: 1–8 around from east, 0 standing. */
export function gazeOf(vx, vy) {
  if (!vx && !vy) return 0;
  return 1 + ((Math.round(Math.atan2(vy, vx) / (Math.PI / 4)) % 8) + 8) % 8;
}

/** The unit vector of a gaze (0: none). */
export function gazeVector(gaze) {
  if (!gaze) return { x: 0, y: 0 };
  const angle = (gaze - 1) * (Math.PI / 4);
  return { x: Math.cos(angle), y: Math.sin(angle) };
}
