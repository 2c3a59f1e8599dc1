// The eight emotes of the protocol: wire code (state messages), name (the `emote`
// message), the emoji drawn in the bubble, and words for buttons and screen readers.

export const EMOTES = [
  { code: 1, name: "wave", emoji: "👋", label: "손 흔들기 · Wave" },
  { code: 2, name: "clap", emoji: "👏", label: "박수 · Clap" },
  { code: 3, name: "heart", emoji: "❤️", label: "하트 · Heart" },
  { code: 4, name: "laugh", emoji: "😂", label: "웃음 · Laugh" },
  { code: 5, name: "thumbs_up", emoji: "👍", label: "좋아요 · Thumbs up" },
  { code: 6, name: "raise_hand", emoji: "✋", label: "손 들기 · Raise hand" },
  { code: 7, name: "party", emoji: "🎉", label: "축하 · Party" },
  { code: 8, name: "think", emoji: "🤔", label: "생각 중 · Think" },
];

const byCode = new Map(EMOTES.map((emote) => [emote.code, emote]));

/** The emote with wire code `code`, or undefined for 0 (none) and unknown codes. */
export function emoteByCode(code) {
  return byCode.get(code);
}
