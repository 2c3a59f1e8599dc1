// One viewer per exhibit kind. A viewer is `make(open, context)` returning
// `{element, focus?, onKey?(event) → handled, update?(open), notice?(notice), dispose?()}`;
// `context` holds the dialog, the session, `request`, `dispatch` and `current` (see
// board.js). A kind this client does not know is shown as a photo.

import { photoViewer } from "./photo.js";
import { comicViewer } from "./comic.js";
import { webtoonViewer } from "./webtoon.js";
import { videoViewer } from "./video.js";
import { cardViewer } from "./cardnews.js";
import { boardViewer } from "./board.js";

const VIEWERS = {
  photo: photoViewer,
  comic: comicViewer,
  webtoon: webtoonViewer,
  video: videoViewer,
  cardnews: cardViewer,
  board: boardViewer,
};

/** The viewer for exhibits of `kind`. */
export function viewerFor(kind) {
  return VIEWERS[kind] ?? photoViewer;
}
