// Who the visitor talks to: the scope selector (nearby, table, stage, room for
// moderators, direct once a person is picked) and the line under it that says who
// would hear a message now (audience.js, the server's rules).

import { audience } from "../audience.js";
import { el, listen } from "../dom.js";
import { SCOPES } from "../text.js";

/**
 * @param {object} options
 * @param {import("../session.js").Session} options.session
 * @param {HTMLElement} options.scopes the fieldset for the radio buttons
 * @param {HTMLElement} options.audience the line that says who hears
 * @param {() => {id: number, name: string}|null} options.direct the direct message's recipient
 * @param {() => number} options.total people in the room, from the last `who`
 */
export function createScopes({ session, scopes, audience: audienceText, direct, total }) {
  let scope = "nearby";
  const radios = new Map();
  for (const { id, label, english } of SCOPES) {
    const radio = el("input", { type: "radio", name: "scope", value: id, checked: id === scope });
    radios.set(id, radio);
    scopes.append(el("label", { class: `scope-option scope-option-${id}`, dataset: { testid: `scope-${id}` } },
      radio, el("span", { text: `${label} · ${english}` })));
  }
  const offChange = listen(scopes, "change", (event) => {
    scope = event.target.value;
    refresh();
  });

  /** Whole-room announcements are for moderators; direct needs a recipient. */
  function updateForRole() {
    const moderator = session.welcome?.you.role === "moderator";
    radios.get("room").closest("label").hidden = !moderator;
    radios.get("dm").disabled = !direct();
  }

  function select(id) {
    scope = id;
    radios.get(id).checked = true;
    refresh();
  }

  /** The other avatars in view, where they are now. */
  function others() {
    const list = [];
    for (const avatar of session.world.avatars.values()) {
      if (avatar.id === session.world.selfId) continue;
      const position = session.world.positionAt(avatar.id, session.tickNow());
      list.push({ id: avatar.id, x: position.x, y: position.y, away: avatar.away });
    }
    return list;
  }

  /** Who would hear a message in `which` scope now (audience.js). */
  function hearing(which = scope) {
    const me = session.myPosition();
    if (!me || !session.room) return null;
    const meAvatar = session.me;
    return audience({
      scope: which,
      me,
      others: others(),
      map: session.map,
      chatRadius: session.room.chatRadius,
      unitsPerTile: session.unitsPerTile,
      hasStageVoice: meAvatar ? ["presenter", "moderator"].includes(meAvatar.role) || meAvatar.spotlight : false,
      isModerator: meAvatar?.role === "moderator",
      dmName: direct()?.name,
      total: total(),
    });
  }

  function refresh() {
    const result = hearing();
    if (!result) {
      audienceText.textContent = "";
      return;
    }
    audienceText.textContent = result.text;
    audienceText.classList.toggle("blocked", !result.ok);
    audienceText.dataset.count = result.count ?? "";
  }

  return {
    get scope() {
      return scope;
    },
    select,
    refresh,
    hearing,
    updateForRole,
    dispose() {
      offChange();
      scopes.querySelectorAll("label").forEach((label) => label.remove());
      audienceText.textContent = "";
    },
  };
}
