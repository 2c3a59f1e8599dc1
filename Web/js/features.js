// Feature modules that attach to a room beside the built-in ones: each is
// `{name, attach(context) → {dispose(), snapshot?()}}`, attached in order when the visitor
// enters a room and disposed when they leave. `context` holds `session`, `renderer`,
// `input` (walk, onTap), `toaster`, `chat` (system lines) and `slots`: `toolbar` (a row of
// round buttons over the map, for microphone and camera), `panel` (a region beside the
// map, for the stage) and `overlay` (over the map, for video bubbles), and `features` (the
// ones attached before it, by name: the stage uses media's devices and ICE servers). A
// feature shows a slot by filling it; an empty slot stays hidden. To add one, import it
// here and list it.

import { mediaFeature } from "./media/feature.js";
import { stageFeature } from "./stage/feature.js";
import { instancesFeature } from "./instances.js";

/** @type {{name: string, attach: (context: object) => {dispose: () => void, snapshot?: () => object}}[]} */
export const FEATURES = [mediaFeature, stageFeature, instancesFeature];
