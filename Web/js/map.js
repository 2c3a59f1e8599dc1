// Loads a room's Tiled map from the server and paints its tile layers. Paths inside a
// .tmj are relative to the map file, which the server serves at /maps/<map id>.tmj, so
// a tileset image "expo-hall/tiles.png" is /maps/expo-hall/tiles.png. A tileset without
// an image (or whose image fails) is painted in a readable colour scheme instead.

import { parseMap } from "./tiled.js";

const CHUNK_TILES = 16;
/** Painted chunks kept; enough for a large screen, bounded for phones. */
const MAX_CHUNKS = 48;

async function fetchJSON(url) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return response.json();
}

function loadImage(url) {
  return new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => resolve(null);
    image.src = url.href;
  });
}

/** Fetches and parses map `mapId`, with its external tilesets and tileset images. */
export async function loadMap(mapId) {
  const mapUrl = new URL(`/maps/${encodeURIComponent(mapId)}.tmj`, location.href);
  const document = await fetchJSON(mapUrl);
  const externals = new Map();
  for (const reference of document.tilesets ?? []) {
    if (reference.source) externals.set(reference.source, await fetchJSON(new URL(reference.source, mapUrl)));
  }
  const map = parseMap(document, externals);
  await Promise.all(map.tilesets.map(async (tileset) => {
    if (!tileset.image) return;
    const base = tileset.image.relativeTo ? new URL(tileset.image.relativeTo, mapUrl) : mapUrl;
    tileset.bitmap = await loadImage(new URL(tileset.image.path, base));
  }));
  map.id = mapId;
  return map;
}

// Colours for tiles without an image, by the tile's class in Tiled, else by whether it
// blocks: light floors, dark walls, so the walkable space reads at a glance.
const KIND_COLOURS = {
  floor: "#f4f0e6", lobby: "#f1ece0", parquet: "#ead9bd", carpet: "#dfe6f3", carpet_coral: "#f6d9cf",
  carpet_teal: "#cfeae8", red_carpet: "#e7a9a1", path: "#ece3cf", grass: "#cfe5bf", stage: "#f3dfb2",
  o_floor: "#d3efdc", x_floor: "#f6d6d3", doormat: "#d8cbb2", chair: "#e7dcc6", bench: "#d9c6a3",
  flowers: "#e9d3e6", wall: "#4b5568", booth_wall: "#6b7a99", counter: "#8a6d4b", table: "#a07c55",
  plant: "#5f8f5a", water: "#7fb3d9", door: "#8d6e63", board: "#b08d57", frame: "#7d6b5a",
  stage_edge: "#8c6d2c", speaker: "#3d3d46", screen: "#2b3448", kiosk: "#5b6b86",
};

function fallbackColour(tile, gid) {
  if (tile?.kind && KIND_COLOURS[tile.kind]) return KIND_COLOURS[tile.kind];
  if (tile?.properties.collides === true) return "#4b5568";
  // Unknown walkable tiles: gentle variations of the floor, so patterns stay visible.
  const shades = ["#f4f0e6", "#ece6d8", "#e3ecf1", "#efe4d6"];
  return shades[gid % shades.length];
}

/** Paints tile layers in chunks of 16×16 tiles, cached, so a frame draws a few images. */
export class MapPainter {
  constructor(map) {
    this.map = map;
    this.chunks = new Map();
    this.imageless = map.tilesets.every((tileset) => !tileset.bitmap);
  }

  /** Draws the part of the map inside `view` ({x, y, width, height} in map pixels). */
  draw(context, view) {
    const map = this.map;
    const chunkWidth = CHUNK_TILES * map.tileWidth;
    const chunkHeight = CHUNK_TILES * map.tileHeight;
    const firstX = Math.max(0, Math.floor(view.x / chunkWidth));
    const firstY = Math.max(0, Math.floor(view.y / chunkHeight));
    const lastX = Math.min(Math.ceil(map.width / CHUNK_TILES) - 1, Math.floor((view.x + view.width) / chunkWidth));
    const lastY = Math.min(Math.ceil(map.height / CHUNK_TILES) - 1, Math.floor((view.y + view.height) / chunkHeight));
    for (let cy = firstY; cy <= lastY; cy++) {
      for (let cx = firstX; cx <= lastX; cx++) {
        context.drawImage(this.#chunk(cx, cy), cx * chunkWidth, cy * chunkHeight);
      }
    }
  }

  #chunk(cx, cy) {
    const key = `${cx},${cy}`;
    let canvas = this.chunks.get(key);
    if (canvas) {
      // Most recently used last, so the oldest is dropped first.
      this.chunks.delete(key);
      this.chunks.set(key, canvas);
      return canvas;
    }
    canvas = this.#paint(cx, cy);
    this.chunks.set(key, canvas);
    if (this.chunks.size > MAX_CHUNKS) this.chunks.delete(this.chunks.keys().next().value);
    return canvas;
  }

  #paint(cx, cy) {
    const map = this.map;
    const tw = map.tileWidth;
    const th = map.tileHeight;
    const canvas = document.createElement("canvas");
    canvas.width = CHUNK_TILES * tw;
    canvas.height = CHUNK_TILES * th;
    const context = canvas.getContext("2d");
    context.imageSmoothingEnabled = false;
    const x0 = cx * CHUNK_TILES;
    const y0 = cy * CHUNK_TILES;
    for (const layer of map.layers) {
      if (!layer.visible) continue;
      context.globalAlpha = layer.opacity;
      for (let ty = y0; ty < Math.min(y0 + CHUNK_TILES, map.height); ty++) {
        for (let tx = x0; tx < Math.min(x0 + CHUNK_TILES, map.width); tx++) {
          const gid = layer.gids[ty * map.width + tx];
          if (gid === 0) continue;
          this.#paintTile(context, gid, (tx - x0) * tw, (ty - y0) * th, tw, th);
        }
      }
    }
    context.globalAlpha = 1;
    if (this.imageless) this.#paintGrid(context, x0, y0, tw, th);
    return canvas;
  }

  #paintTile(context, gid, x, y, tw, th) {
    const tileset = this.map.tilesetOf(gid);
    if (!tileset) return;
    const id = gid - tileset.firstgid;
    if (tileset.bitmap) {
      const column = id % tileset.columns;
      const row = Math.floor(id / tileset.columns);
      const sx = tileset.margin + column * (tileset.tileWidth + tileset.spacing);
      const sy = tileset.margin + row * (tileset.tileHeight + tileset.spacing);
      // Tiles taller than the grid stand on their cell's bottom edge, as in Tiled.
      context.drawImage(tileset.bitmap, sx, sy, tileset.tileWidth, tileset.tileHeight,
        x, y + th - tileset.tileHeight, tileset.tileWidth, tileset.tileHeight);
      return;
    }
    const tile = tileset.tiles.get(id);
    context.fillStyle = fallbackColour(tile, gid);
    context.fillRect(x, y, tw, th);
    if (tile?.properties.collides === true) {
      // A lighter top edge gives walls a little depth.
      context.fillStyle = "rgba(255,255,255,0.18)";
      context.fillRect(x, y, tw, Math.max(2, th / 8));
    }
  }

  // A faint tile grid helps see movement on plain floors.
  #paintGrid(context, x0, y0, tw, th) {
    context.strokeStyle = "rgba(27,35,51,0.06)";
    context.lineWidth = 1;
    context.beginPath();
    for (let i = 0; i <= CHUNK_TILES; i++) {
      context.moveTo(i * tw + 0.5, 0);
      context.lineTo(i * tw + 0.5, CHUNK_TILES * th);
      context.moveTo(0, i * th + 0.5);
      context.lineTo(CHUNK_TILES * tw, i * th + 0.5);
    }
    context.stroke();
  }
}
