// Who would hear a chat message, worked out from the mirror by the server's rules
// (Protocol/README.md, "Chat"), so the chat panel can say so before anyone types.
// Pure: it takes positions and zones, not the DOM.

/**
 * Who hears a message in `scope` from `me`, by the server's rules (Room+Chat.swift):
 * `nearby` reaches connected avatars within `chatRadius` tiles (straight line, walls do
 * not matter) on the same side of every private area's edge; `area` everyone in the
 * sender's area; `stage` everyone, for a speaker with stage voice on a stage tile; `room`
 * everyone, for moderators. Away avatars have no connection and hear nothing.
 * Protocol/rules.json holds cases that this and the server's tests both run.
 * @param {object} input
 * @param {string} input.scope nearby · area · stage · room
 * @param {{x: number, y: number}} input.me own position in units
 * @param {{id?: number, x: number, y: number, away: boolean}[]} input.others the other avatars in view
 * @param {object} input.map parsed map (tiled.js), or null while it loads
 * @param {number} input.chatRadius tiles
 * @param {number} input.unitsPerTile
 * @param {boolean} input.hasStageVoice presenter, moderator or spotlighted
 * @param {boolean} input.isModerator
 * @returns {{refused: string} | {hears: object[]}} the refusal's error code, or who hears
 */
export function hearers({ scope, me, others, map, chatRadius, unitsPerTile, hasStageVoice, isModerator }) {
  const tile = (p) => ({ x: Math.floor(p.x / unitsPerTile), y: Math.floor(p.y / unitsPerTile) });
  const areaOf = (p) => {
    const t = tile(p);
    return map ? map.areaIndex(t.x, t.y) : -1;
  };
  const present = others.filter((other) => !other.away);
  switch (scope) {
    case "nearby": {
      const reach = chatRadius * unitsPerTile;
      const myArea = areaOf(me);
      // Squared, in whole units, as the server compares them.
      return { hears: present.filter((o) => (o.x - me.x) ** 2 + (o.y - me.y) ** 2 <= reach * reach && areaOf(o) === myArea) };
    }
    case "area": {
      const myArea = areaOf(me);
      if (myArea < 0) return { refused: "not_in_area" };
      return { hears: present.filter((o) => areaOf(o) === myArea) };
    }
    case "stage": {
      const mine = tile(me);
      const onStage = map ? map.zonesAt(mine.x, mine.y, "stage").length > 0 : false;
      if (!onStage || !hasStageVoice) return { refused: "not_on_stage" };
      return { hears: present };
    }
    case "room":
      return isModerator ? { hears: present } : { refused: "forbidden" };
    default:
      return { refused: "bad_message" };
  }
}

/**
 * @param {object} input
 * @param {string} input.scope nearby · area · stage · room · dm
 * @param {{x: number, y: number}} input.me own position in units
 * @param {{x: number, y: number, away: boolean}[]} input.others the other avatars in view
 * @param {object} input.map parsed map (tiled.js), or null while it loads
 * @param {number} input.chatRadius tiles
 * @param {number} input.unitsPerTile
 * @param {boolean} input.hasStageVoice presenter, moderator or spotlighted
 * @param {boolean} input.isModerator
 * @param {string} [input.dmName] the direct message's recipient
 * @param {number} [input.total] people in the room, from the last `who`
 * @returns {{ok: boolean, count?: number, text: string}}
 */
export function audience(input) {
  const { scope, me, map, chatRadius, unitsPerTile, dmName, total } = input;
  const areaIndex = () => {
    if (!map) return -1;
    return map.areaIndex(Math.floor(me.x / unitsPerTile), Math.floor(me.y / unitsPerTile));
  };
  const everyone = total ? `${total}명 · ${total} people` : "모두 · everyone";
  if (scope === "dm") {
    if (!dmName) return { ok: false, text: "사람 목록에서 이름을 눌러 주세요 · pick a name in the people list" };
    return { ok: true, count: 1, text: `${dmName} 님에게만 · only ${dmName}` };
  }
  const result = hearers(input);
  switch (scope) {
    case "nearby": {
      const count = result.hears.length;
      const myArea = areaIndex();
      const where = myArea >= 0 ? ` (${map.areas[myArea].name || "테이블 · table"})` : "";
      if (count === 0) {
        return { ok: true, count, text: `근처 ${chatRadius}칸 안에 아무도 없어요${where} · nearby: nobody within ${chatRadius} tiles` };
      }
      return { ok: true, count, text: `근처 ${chatRadius}칸 안 ${count}명${where} · nearby: ${count} ${count === 1 ? "person" : "people"} within ${chatRadius} tiles` };
    }
    case "area": {
      if (result.refused) return { ok: false, text: "테이블 구역 안에서만 쓸 수 있어요 · only inside a table area" };
      const name = map.areas[areaIndex()].name || "테이블 · table";
      const count = result.hears.length;
      return { ok: true, count, text: `${name}: ${count}명 · ${count} ${count === 1 ? "person" : "people"} at this table` };
    }
    case "stage":
      if (result.refused) return { ok: false, text: "무대 위 발표자만 방 전체에 말할 수 있어요 · only a speaker on the stage reaches the room" };
      return { ok: true, text: `무대 방송: 방 전체 ${everyone} · stage: the whole room hears you` };
    case "room":
      if (result.refused) return { ok: false, text: "진행자만 쓸 수 있어요 · moderators only" };
      return { ok: true, text: `전체 공지: ${everyone} · announcement to the whole room` };
    default:
      return { ok: false, text: "" };
  }
}
