// The join screen: name (remembered on this device, or the registered name of the join
// link's invitation), optional invite token (taken from the join link's ?token=), avatar
// colour. Checks the name as the server will, so most mistakes are explained before
// connecting.

import { PALETTE } from "./appearance.js";
import { byId, el } from "./dom.js";
import { validateName } from "./text.js";

const NAME_KEY = "atrium.name";
const APPEARANCE_KEY = "atrium.appearance";

function stored(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // Storage can be blocked; remembering is a convenience.
  }
}

function store(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not remembered, but joining works.
  }
}

/**
 * The name an invitation was registered under (`GET /api/invitation`), or null when the
 * server does not say (a bad or revoked token: the join itself will say why).
 */
export async function invitedName(token, room, fetchImpl = fetch) {
  const query = new URLSearchParams({ token });
  if (room) query.set("room", room);
  try {
    const response = await fetchImpl(`/api/invitation?${query}`, { cache: "no-store" });
    if (!response.ok) return null;
    const answer = await response.json();
    return typeof answer.name === "string" && answer.name ? answer.name : null;
  } catch {
    return null;
  }
}

/**
 * @param {object} options
 * @param {string|null} options.token from the URL
 * @param {string|null} [options.room] from the URL
 * @param {(join: {name: string, token: string, appearance: number}) => void} options.onJoin
 * @param {typeof fetch} [options.fetchImpl]
 */
export function setupJoin({ token, room = null, onJoin, fetchImpl = fetch }) {
  const form = byId("join-form");
  const nameInput = byId("name-input");
  const tokenInput = byId("token-input");
  const error = byId("join-error");
  const button = byId("join-button");
  const swatches = byId("appearance-options");

  nameInput.value = stored(NAME_KEY) ?? "";
  if (token) {
    // A join link's token is a password (a moderator's gives moderator rights): kept out
    // of sight and out of the address bar, and said to be there.
    tokenInput.value = token;
    byId("token-state").textContent = "✓ 초대 링크의 토큰으로 입장해요 · Joining with your invitation's token";
    byId("token-state").hidden = false;
    try {
      const url = new URL(location.href);
      url.searchParams.delete("token");
      history.replaceState(null, "", url);
    } catch {
      // Where history cannot be changed the token stays in the address bar; joining works.
    }
    greetInvitee();
  }

  /** Fills in the registered name, unless the visitor has started typing one. */
  async function greetInvitee() {
    let typed = false;
    const mark = () => { typed = true; };
    nameInput.addEventListener("input", mark, { once: true });
    form.dataset.invitation = "pending";
    const name = await invitedName(token, room, fetchImpl);
    nameInput.removeEventListener("input", mark);
    if (name && !typed) {
      nameInput.value = name;
      byId("token-state").textContent = `✓ ${name} 님, 초대 링크로 입장해요 · Welcome, ${name}: joining with your invitation`;
    }
    form.dataset.invitation = name ? "named" : "unknown";
  }
  const chosen = Number(stored(APPEARANCE_KEY) ?? Math.floor(Math.random() * PALETTE.length)) % PALETTE.length;
  for (const [index, colour] of PALETTE.entries()) {
    swatches.append(el("label", { class: "swatch", title: colour.name },
      el("input", { type: "radio", name: "appearance", value: index, checked: index === chosen, "aria-label": colour.name }),
      el("span", { style: `background:${colour.fill}` })));
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    let name;
    try {
      name = validateName(nameInput.value);
    } catch (problem) {
      showError(problem.message);
      nameInput.focus();
      return;
    }
    const appearance = Number(form.elements.appearance.value || 0);
    store(NAME_KEY, name);
    store(APPEARANCE_KEY, String(appearance));
    showError("");
    setBusy(true);
    onJoin({ name, token: tokenInput.value.trim(), appearance });
  });

  function showError(text) {
    error.textContent = text;
    nameInput.setAttribute("aria-invalid", text ? "true" : "false");
  }

  function setBusy(busy) {
    button.disabled = busy;
    button.textContent = busy ? "입장하는 중… · Joining…" : "입장하기 · Enter";
  }

  return {
    showError,
    setBusy,
    focus: () => (nameInput.value ? button : nameInput).focus(),
  };
}
