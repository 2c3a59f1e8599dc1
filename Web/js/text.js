// The words the client shows, Korean first and English after: error codes, chat
// scopes, roles and connection states. Pure data, shared by the DOM modules.

export const ERROR_TEXT = {
  bad_message: "서버가 메시지를 읽지 못했어요 · The server could not read a message.",
  unknown_type: "서버가 모르는 요청이에요 · The server does not know this request.",
  message_too_large: "메시지가 너무 길어요 · That message is too large.",
  bad_token: "입장 링크가 올바르지 않거나 만료되었어요 · This join link is invalid or has expired.",
  room_full: "방이 가득 찼어요. 잠시 후 다시 시도해 주세요 · The room is full. Please try again later.",
  room_locked: "진행자가 방을 잠갔어요 · A moderator has locked the room.",
  banned: "이 행사에 입장할 수 없어요 · You cannot join this event.",
  kicked: "연결이 종료되었어요. 다른 창에서 접속했거나 진행자가 내보냈어요 · You were disconnected: opened in another window, or removed by a moderator.",
  name_invalid: "이름을 확인해 주세요 · Please check your name.",
  rate_limited: "너무 빨라요. 잠시 후 다시 보내 주세요 · Too fast — please wait a moment.",
  forbidden: "권한이 없어요 · You are not allowed to do that.",
  not_found: "상대를 찾을 수 없어요 (접속 중이 아니에요) · Not found: that person is not connected.",
  text_invalid: "빈 메시지는 보낼 수 없어요 · A message cannot be empty.",
  text_too_long: "메시지가 너무 길어요 (최대 500자) · The message is too long (500 characters at most).",
  not_in_area: "테이블 안에서만 테이블 대화를 쓸 수 있어요 · Table chat works only inside a table area.",
  not_on_stage: "무대 위의 발표자만 무대 방송을 할 수 있어요 · Only a speaker on the stage can broadcast.",
  muted: "진행자가 대화를 막았어요 · A moderator has muted you.",
  server_restarting: "서버가 다시 시작하는 중이에요 · The server is restarting.",
  server_full: "서버에 접속자가 너무 많아요 · The server is at capacity.",
  not_joined: "아직 입장하지 않았어요 · Not joined yet.",
  already_joined: "이미 입장했어요 · Already joined.",
  internal_error: "서버 오류가 있었어요 · The server had an error.",
  room_not_found: "이 방을 찾을 수 없어요. 링크를 확인해 주세요 · This room does not exist. Please check the link.",
  origin_forbidden: "이 주소에서는 접속할 수 없어요 · Joining from this address is not allowed.",
  server_gone: "서버에 연결할 수 없어요 · The server cannot be reached.",
  policy: "연결이 끊겼어요 (잘못된 메시지가 반복됨) · Disconnected after repeated invalid messages.",
  too_far: "전시물에 더 가까이 가야 해요 · Walk closer to the exhibit first.",
  store_unavailable: "저장하지 못했어요. 잠시 후 다시 시도해 주세요 · It could not be saved. Please try again.",
  conflict: "지금은 할 수 없어요 (이미 진행 중이거나 순서가 맞지 않아요) · Not now: already running, or out of order.",
  exhibit_not_found: "이 전시물을 찾을 수 없어요 · This exhibit does not exist.",
  note_not_found: "이미 지워진 메시지예요 · That note is already gone.",
  person_not_found: "그 사람은 이제 방에 없어요 · That person is no longer in the room.",
  quiz_not_found: "그런 퀴즈 세트가 없어요 · There is no quiz set by that name.",
};

export function errorText(code, fallback) {
  return ERROR_TEXT[code] ?? fallback ?? `오류 · Error: ${code}`;
}

export const SCOPES = [
  { id: "nearby", label: "근처", english: "Nearby" },
  { id: "area", label: "테이블", english: "Table" },
  { id: "stage", label: "무대", english: "Stage" },
  { id: "room", label: "전체", english: "Room" },
  { id: "dm", label: "귓속말", english: "Direct" },
];

export const ROLE_TEXT = {
  guest: "손님 · Guest",
  participant: "참가자 · Participant",
  presenter: "발표자 · Presenter",
  moderator: "진행자 · Moderator",
};

export const CONNECTION_TEXT = {
  idle: "입장 전 · Not joined",
  connecting: "연결 중… · Connecting…",
  open: "연결됨 · Connected",
  reconnecting: "다시 연결 중… · Reconnecting…",
  closed: "연결 끊김 · Disconnected",
};

export const NAME_MAX_CHARACTERS = 32;
/** The server also bounds a name's UTF-8 bytes (NameRules.maxBytes): 32 combined emoji could exceed the wire's room. */
export const NAME_MAX_BYTES = 96;

const NAME_ERRORS = {
  controlCharacters: "이름에 제어 문자는 쓸 수 없어요 · A name may not contain control characters.",
  empty: "이름을 입력해 주세요 · Please enter a name.",
  tooLong: `이름은 ${NAME_MAX_CHARACTERS}자까지 쓸 수 있어요 · A name has at most ${NAME_MAX_CHARACTERS} characters.`,
};
/** What Foundation's `.whitespacesAndNewlines` trims: Unicode Z*, tab, and U+000A–U+000D, U+0085. */
const NAME_TRIM = /^[\p{Z}\t\n\v\f\r\u0085]+|[\p{Z}\t\n\v\f\r\u0085]+$/gu;

/**
 * Checks a display name as the server will (NameRules.swift; the cases both run are in
 * Protocol/rules.json): NFC, trimmed, 1–32 characters and at most 96 bytes of UTF-8 with
 * at least one visible character, no control characters or direction overrides.
 * @returns {{name: string} | {error: "empty" | "tooLong" | "controlCharacters"}}
 */
export function checkName(raw) {
  const name = raw.normalize("NFC").replace(NAME_TRIM, "");
  if (/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(name)) return { error: "controlCharacters" };
  if (!/[^\p{White_Space}\p{Cf}]/u.test(name)) return { error: "empty" };
  if (characterCount(name) > NAME_MAX_CHARACTERS || new TextEncoder().encode(name).length > NAME_MAX_BYTES) return { error: "tooLong" };
  return { name };
}

/** The cleaned name, or throws an Error whose message is for the person (and whose `code` is the violation). */
export function validateName(raw) {
  const result = checkName(raw);
  if (result.error) throw Object.assign(new Error(NAME_ERRORS[result.error]), { code: result.error });
  return result.name;
}

/** User-perceived characters, as the server counts them (Swift Character). */
export function characterCount(text) {
  if (typeof Intl !== "undefined" && Intl.Segmenter) {
    let count = 0;
    for (const _ of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) count++;
    return count;
  }
  return [...text].length;
}
