// The renderer's picture cache: painted once per key and resolution, bounded; and the
// eight gazes an avatar's eyes take.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SpriteCache, gazeOf, gazeVector } from "../../Web/js/sprites.js";

function stubCanvas() {
  return { width: 0, height: 0, getContext: () => ({ scale() {}, fillRect() {} }) };
}

test("a picture is painted once per key at a resolution, again after the resolution changes", () => {
  const cache = new SpriteCache({ limit: 10, create: stubCanvas });
  let painted = 0;
  const paint = () => { painted += 1; };
  cache.useResolution(2);
  const first = cache.get("blue|0", 40.2, 30, paint);
  assert.equal(cache.get("blue|0", 40.2, 30, paint), first);
  assert.deepEqual([first.width, first.height, painted], [41, 30, 1], "whole device pixels, rounded up");
  cache.get("red|3", 40, 30, paint);
  assert.equal(painted, 2);
  cache.useResolution(2);
  assert.equal(cache.size, 2, "the same resolution keeps the pictures");
  cache.useResolution(3);
  assert.equal(cache.size, 0);
  cache.get("blue|0", 60, 45, paint);
  assert.equal(painted, 3);
});

test("the cache is bounded: past its limit it starts afresh", () => {
  const cache = new SpriteCache({ limit: 3, create: stubCanvas });
  for (const key of ["a", "b", "c", "d"]) cache.get(key, 1, 1, () => {});
  assert.equal(cache.size, 1);
});

test("eight gazes around from east, none standing still", () => {
  assert.equal(gazeOf(0, 0), 0);
  assert.equal(gazeOf(13, 0), 1);
  assert.equal(gazeOf(9, 9), 2);
  assert.equal(gazeOf(0, 13), 3);
  assert.equal(gazeOf(-13, 0), 5);
  assert.equal(gazeOf(0, -13), 7);
  assert.equal(gazeOf(12, -1), 1, "nearly east is east");
  for (let gaze = 1; gaze <= 8; gaze++) {
    const { x, y } = gazeVector(gaze);
    assert.ok(Math.abs(Math.hypot(x, y) - 1) < 1e-9);
    assert.equal(gazeOf(x * 10, y * 10), gaze);
  }
  assert.deepEqual(gazeVector(0), { x: 0, y: 0 });
});
