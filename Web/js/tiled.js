// Reads a Tiled JSON map (.tmj) the way the server does (MapLoader.swift): tile layers,
// collisions, and the zones layer. Pure: fetching and drawing live in map.js.

const GID_MASK = 0x0fffffff; // the top four bits are Tiled's flip and rotation flags

function propertiesOf(list) {
  const result = {};
  for (const property of list ?? []) result[property.name] = property.value;
  return result;
}

function decodeLayerData(layer, count) {
  if (Array.isArray(layer.data)) return Uint32Array.from(layer.data, (gid) => gid & GID_MASK);
  if (typeof layer.data === "string" && !layer.compression) {
    const binary = atob(layer.data);
    const gids = new Uint32Array(binary.length / 4);
    for (let i = 0; i < gids.length; i++) {
      const o = i * 4;
      gids[i] = (binary.charCodeAt(o) | (binary.charCodeAt(o + 1) << 8) | (binary.charCodeAt(o + 2) << 16) | (binary.charCodeAt(o + 3) << 24)) & GID_MASK;
    }
    if (gids.length === count) return gids;
  }
  throw new Error(`layer "${layer.name}" has data this client cannot read`);
}

/**
 * The tiles whose centres lie inside a zone object's rectangle, as the server counts them.
 */
export function tileRect(object, tileWidth, tileHeight) {
  const width = object.width ?? 0;
  const height = object.height ?? 0;
  // First tile whose centre is at or right of the left edge, last one left of the right
  // edge; `| 0` turns Math.ceil's -0 into 0.
  const x = Math.ceil(object.x / tileWidth - 0.5) | 0;
  const endX = Math.ceil((object.x + width) / tileWidth - 0.5) | 0;
  const y = Math.ceil(object.y / tileHeight - 0.5) | 0;
  const endY = Math.ceil((object.y + height) / tileHeight - 0.5) | 0;
  return { x, y, width: Math.max(0, endX - x), height: Math.max(0, endY - y) };
}

/**
 * Parses a map document.
 * @param {object} document the .tmj JSON
 * @param {Map<string, object>} [externalTilesets] `.tsj` documents by their `source`
 */
export function parseMap(document, externalTilesets = new Map()) {
  const width = document.width;
  const height = document.height;
  const tileWidth = document.tilewidth;
  const tileHeight = document.tileheight;
  if (!(width > 0 && height > 0 && tileWidth > 0 && tileHeight > 0)) throw new Error("the map has no size");

  const tilesets = (document.tilesets ?? []).map((reference) => {
    const source = reference.source ? externalTilesets.get(reference.source) : reference;
    if (!source) throw new Error(`tileset ${reference.source} is missing`);
    const tiles = new Map();
    for (const tile of source.tiles ?? []) {
      tiles.set(tile.id, { kind: tile.type ?? tile.class ?? "", properties: propertiesOf(tile.properties) });
    }
    return {
      firstgid: reference.firstgid,
      name: source.name ?? "",
      // An image path is relative to the file that names it: the map, or the tileset.
      image: source.image ? { path: source.image, relativeTo: reference.source ?? null } : null,
      imageWidth: source.imagewidth ?? 0,
      tileWidth: source.tilewidth ?? tileWidth,
      tileHeight: source.tileheight ?? tileHeight,
      columns: source.columns || 1,
      tileCount: source.tilecount ?? 0,
      margin: source.margin ?? 0,
      spacing: source.spacing ?? 0,
      tiles,
    };
  }).sort((a, b) => a.firstgid - b.firstgid);

  const layers = [];
  const blocked = new Uint8Array(width * height);
  const zones = [];

  const tilesetOf = (gid) => {
    let found = null;
    for (const tileset of tilesets) if (tileset.firstgid <= gid) found = tileset;
    return found;
  };
  const tileOf = (gid) => {
    const tileset = tilesetOf(gid);
    return tileset ? tileset.tiles.get(gid - tileset.firstgid) : undefined;
  };

  const visit = (list, opacity, visible) => {
    for (const layer of list ?? []) {
      const layerOpacity = opacity * (layer.opacity ?? 1);
      const layerVisible = visible && layer.visible !== false;
      if (layer.type === "tilelayer") {
        const gids = decodeLayerData(layer, width * height);
        const collisions = layer.name === "collisions";
        for (let i = 0; i < gids.length; i++) {
          const gid = gids[i];
          if (gid !== 0 && (collisions || tileOf(gid)?.properties.collides === true)) blocked[i] = 1;
        }
        // The collisions layer is data, not scenery.
        if (!collisions) layers.push({ name: layer.name, gids, opacity: layerOpacity, visible: layerVisible });
      } else if (layer.type === "objectgroup" && layer.name === "zones") {
        for (const object of layer.objects ?? []) {
          const kind = object.type || object.class || "";
          const properties = propertiesOf(object.properties);
          zones.push({
            id: object.id,
            kind,
            name: object.name || properties.name || "",
            properties,
            rect: tileRect(object, tileWidth, tileHeight),
            pixels: { x: object.x, y: object.y, width: object.width ?? 0, height: object.height ?? 0 },
          });
        }
      } else if (layer.type === "group") {
        visit(layer.layers, layerOpacity, layerVisible);
      }
    }
  };
  visit(document.layers, 1, true);

  const properties = propertiesOf(document.properties);
  const zonesOf = (kind) => zones.filter((zone) => zone.kind === kind);
  const areas = zonesOf("area");

  return {
    width,
    height,
    tileWidth,
    tileHeight,
    properties,
    name: properties.name ?? "",
    tilesets,
    layers,
    blocked,
    zones,
    tilesetOf,
    /** Whether avatars cannot enter tile (x, y); outside the map counts as blocked. */
    isBlocked(x, y) {
      if (x < 0 || y < 0 || x >= width || y >= height) return true;
      return blocked[y * width + x] === 1;
    },
    /** The zones of `kind` that contain tile (x, y). */
    zonesAt(x, y, kind) {
      return zonesOf(kind).filter(({ rect }) => x >= rect.x && y >= rect.y && x < rect.x + rect.width && y < rect.y + rect.height);
    },
    /** The index of the private area holding tile (x, y), or -1; chat never crosses an area's edge. */
    areaIndex(x, y) {
      return areas.findIndex(({ rect }) => x >= rect.x && y >= rect.y && x < rect.x + rect.width && y < rect.y + rect.height);
    },
    areas,
  };
}
