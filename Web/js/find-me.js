// "Come find me": a link that brings a friend's avatar next to yours. The server signs a
// short-lived token for this avatar in this room instance (`find_me`); the link is this
// page with `?room=<instance>&near=<token>`, and the server decides where the friend
// lands (the free tile nearest to you). The link is shown to copy or share, and copied
// at once where the browser allows it.

import { errorText } from "./text.js";

/** The link a friend opens: the client's page for the room instance with the token. */
export function findMeLink(origin, answer) {
  const url = new URL("/", origin);
  url.searchParams.set("room", answer.room);
  url.searchParams.set("near", answer.token);
  return url.href;
}

/** What a visitor who opened a find-me link is told once the room welcomed them. */
export function arrivalText(welcome) {
  return welcome.near !== undefined && welcome.near !== null
    ? "친구 곁에 도착했어요 · You arrived next to your friend"
    : "링크가 만료되었거나 친구가 자리를 떠났어요. 입구에서 시작해요 · The link has expired or your friend has left: you start at the entrance";
}

/**
 * @param {object} options
 * @param {import("./session.js").Session} options.session
 * @param {object} options.elements button, panel (hidden until a link exists), link (a read-only input), copy, note
 * @param {{show: (text: string, options?: object) => void}} options.toaster
 * @param {string} [options.origin] this page's origin
 * @param {{writeText: (text: string) => Promise<void>}} [options.clipboard]
 */
export function attachFindMe({ session, elements, toaster, origin = location.origin, clipboard = navigator.clipboard }) {
  const { button, panel, link, copy, note } = elements;
  let ref = null;

  function ask() {
    ref = session.request("find_me", {}, "f");
    if (!ref) {
      toaster.show("연결되면 다시 눌러 주세요 · Not connected; try again in a moment", { kind: "error" });
      return;
    }
    button.disabled = true;
  }

  async function copyLink() {
    link.select?.();
    try {
      await clipboard.writeText(link.value);
      toaster.show("링크를 복사했어요. 친구에게 보내세요 · Link copied: send it to your friend", { kind: "ok" });
    } catch {
      // Without clipboard access the link stays selected in its field, to copy by hand.
      note.textContent = "링크를 길게 눌러 복사하세요 · Press and hold the link to copy it";
    }
  }

  button.addEventListener("click", ask);
  copy.addEventListener("click", copyLink);
  const disposers = [
    session.on("find_me", (answer) => {
      if (answer.ref !== ref) return;
      ref = null;
      button.disabled = false;
      link.value = findMeLink(origin, answer);
      const minutes = Math.max(1, Math.round((answer.expires - session.serverNow()) / 60000));
      note.textContent = `${minutes}분 동안 쓸 수 있어요. 친구가 열면 내 곁에서 시작해요 · `
        + `Works for ${minutes} minutes: your friend starts right next to you`;
      panel.hidden = false;
      copyLink();
    }),
    session.on("error", (error) => {
      if (!ref || error.ref !== ref) return;
      ref = null;
      button.disabled = false;
      toaster.show(errorText(error.code, error.message), { kind: "error" });
    }),
  ];

  return {
    dispose() {
      button.removeEventListener("click", ask);
      copy.removeEventListener("click", copyLink);
      for (const dispose of disposers) dispose();
    },
  };
}
