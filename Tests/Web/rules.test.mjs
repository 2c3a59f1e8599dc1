// The rules the server and this client both apply, run from Protocol/rules.json: the
// Swift suites SharedNameRuleTests and SharedRoomRuleTests run the same cases.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseMap } from "../../Web/js/tiled.js";
import { checkName } from "../../Web/js/text.js";
import { exhibitInReach, exhibitsOf } from "../../Web/js/exhibits.js";
import { hearers } from "../../Web/js/audience.js";

const read = (name) => readFileSync(new URL(`../../Protocol/${name}`, import.meta.url), "utf8");
const rules = JSON.parse(read("rules.json"));
const map = parseMap(JSON.parse(read(rules.map)));
const UNITS = 64;
const chatRadius = map.properties.chatRadius;

const show = (text) => JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

test("names: every case of Protocol/rules.json", () => {
  for (const rule of rules.names.cases) {
    const expected = rule.error ? { error: rule.error } : { name: rule.name };
    assert.deepEqual(checkName(rule.input), expected, `name ${show(rule.input)}`);
  }
});

test("exhibit reach: every case of Protocol/rules.json", () => {
  const exhibits = exhibitsOf(map);
  for (const rule of rules.exhibitReach.cases) {
    const exhibit = exhibits.find((candidate) => candidate.id === rule.exhibit);
    assert.ok(exhibit, `no exhibit ${rule.exhibit} in ${rules.map}`);
    const [x, y] = rule.tile;
    assert.equal(exhibitInReach([exhibit], x, y) !== null, rule.inReach, `${rule.exhibit} from tile (${x}, ${y})`);
  }
});

test("who hears a chat message: every case of Protocol/rules.json", () => {
  for (const rule of rules.chat.cases) {
    const role = rule.sender.role ?? "participant";
    const result = hearers({
      scope: rule.scope,
      me: rule.sender,
      others: rule.others.map((other) => ({ away: false, ...other })),
      map,
      chatRadius,
      unitsPerTile: UNITS,
      hasStageVoice: role === "presenter" || role === "moderator",
      isModerator: role === "moderator",
    });
    const got = result.refused ? { refused: result.refused } : { hears: result.hears.map((other) => other.id).sort((a, b) => a - b) };
    const expected = rule.refused ? { refused: rule.refused } : { hears: rule.hears };
    assert.deepEqual(got, expected, rule.name);
  }
});
