// Which names show in a crowd: the own always, then talkers and the nearest, never two
// overlapping, at most a few.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chooseLabels, labelPriority, overlaps } from "../../Web/js/labels.js";

const box = (x, y, width = 40, height = 10) => ({ x, y, width, height });

test("boxes overlap only when they share area", () => {
  assert.equal(overlaps(box(0, 0), box(39, 9)), true);
  assert.equal(overlaps(box(0, 0), box(40, 0)), false);
  assert.equal(overlaps(box(0, 0), box(0, 10)), false);
});

test("in a crowd the own name wins, then someone talking, then the nearest; none overlap", () => {
  const crowd = [];
  for (let i = 0; i < 200; i++) crowd.push({ id: i + 10, box: box((i % 20) * 25, Math.floor(i / 20) * 8), distance: i, priority: 2 });
  crowd.push({ id: 1, box: box(100, 40), distance: 0, priority: 0 });
  crowd.push({ id: 2, box: box(300, 40), distance: 500, priority: 1 });
  const placed = chooseLabels(crowd, 40);
  assert.ok(placed.has(1) && placed.has(2));
  assert.ok(placed.size <= 40);
  const boxes = [...placed.values()];
  for (let a = 0; a < boxes.length; a++) {
    for (let b = a + 1; b < boxes.length; b++) assert.equal(overlaps(boxes[a], boxes[b]), false);
  }
  // The nearest that fit come before farther ones.
  assert.ok(placed.has(10));
});

test("a name the edge of the view would cut is left out, except the own", () => {
  const view = { x: 0, y: 0, width: 200, height: 100 };
  const placed = chooseLabels([
    { id: 1, box: box(-20, 50), distance: 0, priority: 0 },
    { id: 2, box: box(180, 20), distance: 1, priority: 1 },
    { id: 3, box: box(60, -4), distance: 2, priority: 2 },
    { id: 4, box: box(60, 95), distance: 3, priority: 2 },
    { id: 5, box: box(100, 40), distance: 4, priority: 2 },
    { id: 6, box: box(160, 90), distance: 5, priority: 2 },
  ], 40, view);
  assert.deepEqual([...placed.keys()].sort(), [1, 5, 6]);
});

test("the own name first, then whoever talks, is spotlighted, stands on the stage or is hovered, then the rest", () => {
  assert.equal(labelPriority({ mine: true, onStage: true }), 0);
  for (const reason of ["talking", "spotlight", "onStage", "hovered"]) assert.equal(labelPriority({ [reason]: true }), 1, reason);
  assert.equal(labelPriority({}), 2);
  // Someone on the stage keeps their name in a crowd that stands nearer.
  const crowd = Array.from({ length: 30 }, (_, i) => ({ id: 100 + i, box: box(0, 0), distance: i, priority: labelPriority({}) }));
  const speaker = { id: 7, box: box(0, 0), distance: 999, priority: labelPriority({ onStage: true }) };
  assert.deepEqual([...chooseLabels([...crowd, speaker], 40).keys()], [7]);
});
