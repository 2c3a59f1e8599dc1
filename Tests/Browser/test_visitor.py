"""The event as a visitor lives it (issue 15), on a desktop window and a phone with touch.

Each test saves screenshots of its moments under test-output/browser/ as
`scenario-<moment>-<desktop|phone>.png`, so a reviewer can look at the whole visit.
The plaza of Maps/tests is an open room: everyone joins as a guest. Its O field is
x 10–17, the X field x 30–37, both y 22–27; the spawn is tiles 22–25 × 14–17.
"""

from __future__ import annotations

import json

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from atrium_browser import (OUTPUT, UNITS, Moderator, Server, atrium, bots, by_testid, covers, join, server_binary, settled, snapshot,
                            tap, tile_of, visible_rect, wait)

QUESTION = {"id": "q1", "question": "O 구역으로 가세요 · Go to O", "answer": "O", "explanation": "O was right.", "timeLimit": 6}


def overlap(a, b) -> bool:
    """Whether two page rectangles (or None for a hidden element) overlap."""
    return bool(a and b) and a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def field_of(driver):
    return atrium(driver, ".quiz.field")


def avatar_on_screen(driver) -> dict:
    me = atrium(driver, ".me")
    return atrium(driver, f".toScreen({me['x']}, {me['y']})")


def assert_card_leaves_avatar_visible(driver, label: str) -> None:
    """The quiz card (result, scoreboard) never covers the visitor's own avatar and name."""
    card = visible_rect(driver, "quiz-banner")
    assert card, f"{label}: no quiz card"
    point = avatar_on_screen(driver)
    # The avatar's body is about 0.36 tile around its centre, its name above it: keep 40 px clear.
    assert not covers(card, point, 40), f"{label}: the quiz card {card} covers the avatar at {point}"


def test_guests_play_the_quiz_in_an_open_room_with_go_buttons_and_the_card_never_covers_them(server, browser):
    desktop, phone = browser(), browser(phone=True)
    join(desktop, server, "Desk Guest")
    join(phone, server, "Phone Guest")
    assert atrium(desktop, ".role") == "guest" and atrium(phone, ".role") == "guest"
    snapshot(desktop, "scenario-arrival-desktop")
    snapshot(phone, "scenario-arrival-phone")

    moderator = Moderator(server, server.invite("Quiz Host", "moderator"))
    try:
        # Time enough for both to walk to their field on a machine loaded by other tests.
        moderator.send(type="quiz_open", mode="points", ref="open-g", title="Plaza", questions=[{**QUESTION, "timeLimit": 15}])
        opened = moderator.expect(lambda m: m.get("ref") == "open-g" or (m["type"] == "quiz" and m.get("state") == "open"))
        assert opened["type"] != "error", opened
        status = moderator.expect(lambda m: m["type"] == "quiz") if opened["type"] != "quiz" else opened
        assert status.get("whoPlays") == "everyone", status
        assert status["players"] >= 2, f"guests in an open room must play: {status}"
        for driver in (desktop, phone):
            wait(driver, lambda d: atrium(d, ".quiz.role") == "player", 10, "a guest in an open room should play")
            assert atrium(driver, ".quiz.watchReason") is None

        moderator.send(type="quiz_next", ref="next-g")
        # The phone walks to X with its button, the desktop to O with its own.
        go_x = wait(phone, lambda d: (lambda e: e if e.is_displayed() else None)(by_testid(d, "quiz-go-x")), 10, "no go-to-X button")
        tap(phone, go_x)
        by_testid(desktop, "quiz-go-o").click()
        wait(phone, lambda d: field_of(d) == "X", 20, "the phone did not reach the X field")
        wait(desktop, lambda d: field_of(d) == "O", 20, "the desktop did not reach the O field")
        # The live split is the server's count of the players: one on O, one on X at least.
        split = wait(phone, lambda d: (lambda c: c if c and c["o"] >= 1 and c["x"] >= 1 else None)(atrium(d, ".quiz.crowd")), 5,
                     "the phone did not show the server's split")
        assert by_testid(phone, "quiz-split").is_displayed()
        assert f"on O: {split['o']}, on X: {split['x']}" in by_testid(phone, "quiz-split").text
        snapshot(desktop, "scenario-quiz-asking-desktop")
        snapshot(phone, "scenario-quiz-asking-phone")
        assert_card_leaves_avatar_visible(desktop, "desktop while asking")
        assert_card_leaves_avatar_visible(phone, "phone while asking")

        for driver, expected in ((desktop, "correct"), (phone, "wrong")):
            verdict = wait(driver, lambda d: (lambda e: e if e.is_displayed() else None)(by_testid(d, "quiz-verdict")), 25, "no verdict")
            assert verdict.get_attribute("data-verdict") == expected
        # The result and scoreboard are shown; give the camera a moment to make room, then compare.
        wait(desktop, lambda d: by_testid(d, "quiz-result").is_displayed(), 5)
        for driver, label in ((desktop, "desktop"), (phone, "phone")):
            wait(driver, lambda d: not covers(visible_rect(d, "quiz-banner"), avatar_on_screen(d), 40), 5,
                 f"{label}: the result card covers the avatar")
        snapshot(desktop, "scenario-quiz-result-desktop")
        snapshot(phone, "scenario-quiz-result-phone")

        moderator.send(type="quiz_end", ref="end-g")
        wait(desktop, lambda d: by_testid(d, "quiz-final").is_displayed(), 10, "no final ranking")
        assert "Desk Guest" in by_testid(desktop, "quiz-final").text
        assert_card_leaves_avatar_visible(desktop, "desktop with the ranking")
        snapshot(phone, "scenario-quiz-final-phone")
    finally:
        # Ended also when the test failed half-way, so the next quiz in the plaza can open.
        moderator.send(type="quiz_end", ref="end-g2")
        moderator.close()


def test_a_visitor_who_arrives_after_the_opening_is_told_why_they_watch(server, browser):
    driver = browser()
    join(driver, server, "Late Guest")
    moderator = Moderator(server, server.invite("Host Two", "moderator"))
    try:
        # The plaza lets everyone play; a visitor who arrives after the opening watches and is told so.
        moderator.send(type="quiz_open", mode="points", ref="open-l", questions=[QUESTION])
        moderator.expect(lambda m: m.get("ref") == "open-l")
        late = browser()
        join(late, server, "Later Guest")
        wait(late, lambda d: atrium(d, ".quiz.watchReason") == "late", 10, "a late visitor is not told why they watch")
        reason = by_testid(late, "quiz-watch-reason")
        assert reason.is_displayed() and "watch" in reason.text
        assert atrium(driver, ".quiz.role") == "player"
    finally:
        moderator.send(type="quiz_end", ref="end-l")
        moderator.close()


# ---- Arrival and wayfinding ----

def test_first_visit_card_and_walk_there_from_the_directory(server, browser):
    driver = browser()
    join(driver, server, "Wanderer")
    card = wait(driver, lambda d: (lambda e: e if e.is_displayed() else None)(by_testid(d, "intro-card")), 10, "no first-visit card")
    assert "Welcome" in card.text
    snapshot(driver, "scenario-first-visit-desktop")
    by_testid(driver, "intro-directory").click()
    dialog = wait(driver, lambda d: (lambda e: e if e.is_displayed() else None)(by_testid(d, "directory-dialog")), 5, "no directory")
    by_testid(driver, "directory-search").send_keys("cheer")
    places = wait(driver, lambda d: d.find_elements("css selector", '[data-testid="directory-place"]'), 5)
    assert [p.get_attribute("data-id") for p in places] == ["exhibit-plaza-wall"]
    snapshot(driver, "scenario-directory-desktop")
    places[0].click()
    assert not dialog.is_displayed()
    # The server walks the avatar there; the board opens on arrival.
    wait(driver, lambda d: atrium(d, ".exhibit.open.id") == "plaza-wall", 30, "walking there from the directory did not open the board")
    assert "Cheer wall" in by_testid(driver, "location").text or atrium(driver, ".exhibit.inReach") == "plaza-wall"
    snapshot(driver, "scenario-exhibit-desktop")
    # The card was dismissed once and is not shown again.
    driver.refresh()
    # A reload resumes the same avatar; the card stays away.
    wait(driver, lambda d: atrium(d, ".connectionState") == "open" and atrium(d, ".me"), 15, "the reload did not resume")
    wait(driver, lambda d: d.execute_script("return !!document.querySelector('[data-testid=minimap]').width"), 10)
    assert not by_testid(driver, "intro-card").is_displayed()


def test_a_portal_from_the_directory_takes_the_visitor_across_the_plaza(server, browser):
    driver = browser()
    join(driver, server, "Traveller")
    intro = by_testid(driver, "intro-card")
    if intro.is_displayed():
        by_testid(driver, "intro-dismiss").click()
    by_testid(driver, "directory-button").click()
    by_testid(driver, "directory-search").send_keys("north-east")
    places = wait(driver, lambda d: d.find_elements("css selector", '[data-testid="directory-place"]'), 5)
    assert [p.get_attribute("data-id") for p in places] == ["portal-plaza-sw"]
    places[0].click()
    # The server walks the avatar onto the south-west pad and takes it to the north-east one.
    wait(driver, lambda d: (atrium(d, ".portal") or {}).get("id") == "plaza-sw", 30, "the portal did not take the visitor")
    me = atrium(driver, ".me")
    tile = (me["x"] // UNITS, me["y"] // UNITS)
    assert tile[0] >= 39 and tile[1] <= 6, f"the visitor is not at the north-east pad: tile {tile}"
    toasts = [t.text for t in driver.find_elements("css selector", '[data-testid="toast"]')]
    assert any("north-east corner" in text for text in toasts), toasts
    wait(driver, lambda d: "south-west corner" in by_testid(d, "location").text, 5, "the location line does not name the arrival pad")
    snapshot(driver, "scenario-portal-desktop")


def test_walk_there_takes_a_portal_when_that_is_much_shorter(server, browser):
    driver = browser()
    me = join(driver, server, "Shortcut")
    if by_testid(driver, "intro-card").is_displayed():
        by_testid(driver, "intro-dismiss").click()
    # Beside the south-west pad; the photo is in the north-east, next to where that pad leads.
    moderator = Moderator(server, server.invite("Shortcut Mod", "moderator"))
    try:
        moderator.send(type="teleport", avatar=me["id"], x=5 * UNITS + 32, y=27 * UNITS + 32, ref="tp-s")
        moderator.expect(lambda m: m.get("ref") == "tp-s")
    finally:
        moderator.close()
    wait(driver, lambda d: tile_of(atrium(d, ".me")) == (5, 27), 5)
    by_testid(driver, "directory-button").click()
    by_testid(driver, "directory-search").send_keys("Plaza photo")
    wait(driver, lambda d: d.find_elements("css selector", '[data-testid="directory-place"]'), 5)[0].click()
    assert atrium(driver, ".via") == "plaza-ne", "the walk does not go through the portal"
    wait(driver, lambda d: atrium(d, ".exhibit.open.id") == "plaza-photo", 30, "walking there through the portal did not open the photo")
    assert (atrium(driver, ".portal") or {}).get("id") == "plaza-sw"
    snapshot(driver, "scenario-walk-there-through-a-portal-desktop")


def test_zooming_out_shows_the_whole_hall(server, browser):
    driver = browser()
    join(driver, server, "Overview")
    room = atrium(driver, ".room")
    for _ in range(8):
        driver.find_element("id", "zoom-out").click()
    canvas = visible_rect(driver, "world-canvas")

    def whole_map_on_screen(d):
        corners = [atrium(d, f".toScreen({x}, {y})") for x, y in ((0, 0), (room["width"] * UNITS, room["height"] * UNITS))]
        return all(canvas["left"] - 1 <= c["x"] <= canvas["right"] + 1 and canvas["top"] - 1 <= c["y"] <= canvas["bottom"] + 1
                   for c in corners)

    wait(driver, whole_map_on_screen, 5, "the widest zoom does not show the whole hall")
    snapshot(driver, "scenario-whole-hall-desktop")


# ---- Finding people ----

def test_people_count_locate_and_follow(server, browser):
    seeker, friend = browser(), browser()
    join(seeker, server, "Seeker")
    wait(seeker, lambda d: int(by_testid(d, "people-count").get_attribute("data-count") or 0) >= 1, 10)
    before = int(by_testid(seeker, "people-count").get_attribute("data-count"))
    them = join(friend, server, "Friend Far")
    # The count follows the arrival in seconds, not at the next 30 s refresh.
    wait(seeker, lambda d: int(by_testid(d, "people-count").get_attribute("data-count")) == before + 1, 5,
         "the people count did not follow a second visitor's arrival")
    # The friend walks off to the west, out of chat range.
    friend_start = atrium(friend, ".me")
    friend.execute_script("document.querySelector('[data-testid=world-canvas]').focus()")
    ActionChains(friend).key_down(Keys.ARROW_LEFT).perform()
    try:
        wait(friend, lambda d: atrium(d, ".me")["x"] <= friend_start["x"] - 8 * UNITS, 15)
    finally:
        ActionChains(friend).key_up(Keys.ARROW_LEFT).perform()

    seeker.find_element("css selector", "#people-panel summary").click()
    by_testid(seeker, "people-search").send_keys("friend")
    item = wait(seeker, lambda d: (lambda items: items[0] if len(items) == 1 else None)(
        d.find_elements("css selector", '[data-testid="person"]')), 10, "search did not find the friend")
    assert item.get_attribute("data-id") == str(them["id"])
    item.find_element("css selector", '[data-testid="person-locate"]').click()
    assert atrium(seeker, ".located") == them["id"]
    item.find_element("css selector", '[data-testid="person-follow"]').click()
    assert atrium(seeker, ".following") == them["id"]

    def distance(d):
        me, other = atrium(d, ".me"), atrium(friend, ".me")
        return ((me["x"] - other["x"]) ** 2 + (me["y"] - other["y"]) ** 2) ** 0.5 / UNITS

    wait(seeker, lambda d: distance(d) <= 3, 30, "following did not bring the seeker to the friend")
    snapshot(seeker, "scenario-found-a-friend-desktop")


def test_come_find_me_puts_a_friend_next_to_the_visitor(server, browser):
    host, friend = browser(), browser(phone=True)
    join(host, server, "Link Host")
    # Away from the spawn, so arriving there would not pass for arriving next to the host.
    start = atrium(host, ".me")
    host.execute_script("document.querySelector('[data-testid=world-canvas]').focus()")
    ActionChains(host).key_down(Keys.ARROW_RIGHT).perform()
    try:
        wait(host, lambda d: atrium(d, ".me")["x"] >= start["x"] + 7 * UNITS, 15)
    finally:
        ActionChains(host).key_up(Keys.ARROW_RIGHT).perform()
    here = settled(host)
    host.find_element("css selector", "#people-panel summary").click()
    by_testid(host, "find-me-button").click()
    link = wait(host, lambda d: by_testid(d, "find-me-link").get_attribute("value"), 10, "no find-me link")
    assert "near=" in link and "room=plaza" in link
    assert "minutes" in by_testid(host, "find-me-note").text

    # The friend arrives on a phone while a quiz question runs: the arrival notice must not
    # cover the question card or the controls.
    moderator = Moderator(server, server.invite("Link Quiz Host", "moderator"))
    try:
        moderator.send(type="quiz_open", mode="points", ref="open-f", title="Plaza", questions=[{**QUESTION, "timeLimit": 30}])
        moderator.expect(lambda m: m.get("ref") == "open-f")
        moderator.send(type="quiz_next", ref="next-f")
        moderator.expect(lambda m: m.get("ref") == "next-f")

        friend.get(link)
        assert by_testid(friend, "near-chip").is_displayed(), "the join screen says whose link this is"
        by_testid(friend, "name-input").send_keys("Found You")
        by_testid(friend, "join-button").click()
        wait(friend, lambda d: atrium(d, ".connectionState") == "open" and atrium(d, ".me"), 15, "the friend did not join")
        arrived = atrium(friend, ".me")
        tiles = ((arrived["x"] - here["x"]) ** 2 + (arrived["y"] - here["y"]) ** 2) ** 0.5 / UNITS
        assert 0.5 < tiles <= 2.5, f"the friend arrived {tiles:.1f} tiles from the host, not next to them"
        toast = wait(friend, lambda d: next((t for t in d.find_elements("css selector", '[data-testid="toast"]')
                                             if "friend" in t.text), None), 5)
        assert "next to your friend" in toast.text
        assert "near=" not in friend.current_url, "a used link leaves the address bar"
        wait(friend, lambda d: by_testid(d, "quiz-question").is_displayed(), 5, "the late friend does not see the question")
        # Placed on the next refresh (a quarter of a second) below the card.
        def clear_of_the_card(d):
            notice = visible_rect(d, "toast")
            return notice and not any(overlap(notice, visible_rect(d, name))
                                      for name in ("quiz-banner", "joystick", "map-tools", "location"))

        wait(friend, clear_of_the_card, 3, "the arrival notice covers the quiz card or a control")
        snapshot(friend, "scenario-found-by-link-during-the-quiz-phone")
    finally:
        moderator.send(type="quiz_end", ref="end-f")
        moderator.close()


def test_an_invited_participant_finds_their_registered_name_on_the_join_form(server, browser):
    driver = browser()
    token = server.invite("초대 손님 Invited", "participant")
    driver.get(f"{server.base_url}/?room=plaza&token={token}")
    wait(driver, lambda d: by_testid(d, "name-input").get_attribute("value") == "초대 손님 Invited", 10,
         "the registered name was not filled in")
    assert "초대 손님 Invited" in by_testid(driver, "token-state").text
    # The token is a secret: a password field holds it, the page never shows it, and it leaves the address bar.
    assert by_testid(driver, "token-input").get_attribute("type") == "password"
    assert token not in driver.execute_script("return document.body.innerText"), "the token is shown in plain text"
    assert "token=" not in driver.current_url, "the token stays in the address bar"
    by_testid(driver, "join-button").click()
    wait(driver, lambda d: (atrium(d, ".me") or {}).get("name") == "초대 손님 Invited", 15, "did not join under the registered name")


# ---- Phones first ----

def test_joystick_walks_the_avatar_on_a_phone(server, browser):
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput

    phone = browser(phone=True)
    join(phone, server, "Thumb")
    stick = by_testid(phone, "joystick")
    assert stick.is_displayed(), "a touch screen shows the joystick"
    assert "tap" in (by_testid(phone, "intro-card").text.lower()), "touch words, not keys"
    start = atrium(phone, ".me")
    actions = ActionBuilder(phone, mouse=PointerInput(interaction.POINTER_TOUCH, "thumb"))
    actions.pointer_action.move_to(stick).pointer_down().move_by(45, 0).pause(1.5)
    actions.perform()
    moved = atrium(phone, ".me")
    release = ActionBuilder(phone, mouse=PointerInput(interaction.POINTER_TOUCH, "thumb"))
    release.pointer_action.pointer_up()
    release.perform()
    assert moved["x"] - start["x"] >= UNITS, f"the joystick did not walk the avatar east: {start} → {moved}"
    assert abs(moved["y"] - start["y"]) < UNITS // 2
    snapshot(phone, "scenario-joystick-phone")


CONTROLS_OVERLAPPING = """
    const shown = (e) => { const r = e.getBoundingClientRect();
      return e.getClientRects().length && r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
    const controls = [...document.querySelectorAll('.viewport button, .viewport [role=application], .viewport canvas, .viewport .location')]
      .filter((e) => shown(e) && e.dataset.testid !== 'world-canvas');
    const name = (e) => e.dataset.testid || e.id || e.className || e.tagName;
    const pairs = [];
    controls.forEach((a, i) => controls.slice(i + 1).forEach((b) => {
      if (a.contains(b) || b.contains(a)) return;
      const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
      if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) pairs.push(`${name(a)} / ${name(b)}`);
    }));
    return pairs;
"""


BILINGUAL_CHECK = """
    const hangul = /[\uac00-\ud7a3]/, latin = /[A-Za-z]/;
    const shown = (e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden';
    const named = [...document.querySelectorAll('button, summary, label, [role=button], .tab, input[placeholder], [aria-label]')]
      .filter(shown)
      .map((e) => ({ e, name: (e.getAttribute('aria-label') || e.textContent || e.getAttribute('placeholder') || '').trim() }));
    // A name with words in it must have both; icons, digits and names people chose are not words of the page.
    return named.filter(({ e, name }) => latin.test(name) !== hangul.test(name) && !e.closest('[data-testid=person], .chat-log, .find-me-panel'))
      .map(({ e, name }) => `${e.tagName.toLowerCase()}${e.dataset.testid ? '[' + e.dataset.testid + ']' : ''}: ${name}`);
"""


def test_on_a_phone_the_sheets_leave_the_map_the_words_are_for_touch_and_every_label_is_bilingual(server, browser):
    phone = browser(phone=True)
    me = join(phone, server, "Phone Words")
    assert phone.execute_script(BILINGUAL_CHECK) == [], "labels on the map screen in one language only"

    # Next to the photo exhibit (46, 10): the hint speaks of tapping, not of a key.
    moderator = Moderator(server, server.invite("Words Mod", "moderator"))
    try:
        moderator.send(type="teleport", avatar=me["id"], x=44 * UNITS + 32, y=10 * UNITS + 32, ref="tp")
        moderator.expect(lambda m: m.get("ref") == "tp")
    finally:
        moderator.close()
    # The first-visit card fills much of a phone's map: the newcomer's avatar and name stay above it.
    assert by_testid(phone, "intro-card").is_displayed()
    wait(phone, lambda d: avatar_on_screen(d)["y"] < visible_rect(d, "intro-card")["top"] - 30, 5,
         "the first-visit card covers the newcomer's own avatar")
    snapshot(phone, "scenario-first-visit-phone")
    tap(phone, by_testid(phone, "intro-dismiss"))
    # The minimap is folded away on a phone, one tap from the map.
    assert not by_testid(phone, "minimap").is_displayed()
    tap(phone, by_testid(phone, "minimap-toggle"))
    wait(phone, lambda d: by_testid(d, "minimap").is_displayed(), 5, "the minimap does not open on a phone")
    minimap = visible_rect(phone, "minimap")
    assert minimap["right"] - minimap["left"] >= 120, f"the phone's minimap is too small to read: {minimap}"
    snapshot(phone, "scenario-minimap-phone")
    tap(phone, by_testid(phone, "minimap-toggle"))
    hint = wait(phone, lambda d: (lambda e: e if e.is_displayed() else None)(by_testid(d, "exhibit-hint")), 10, "no exhibit hint")
    assert "press" not in hint.text.lower() and ("tap" in hint.text.lower() or "touch" in hint.text.lower()), hint.text
    # Nothing over the map covers another thing there: the hint, joystick, media buttons, emotes, tools.
    assert phone.execute_script(CONTROLS_OVERLAPPING) == [], "controls over the map cover each other on a phone"
    snapshot(phone, "scenario-exhibit-hint-phone")

    for tab, sheet in (("chat", "chat-log"), ("people", "people-list")):
        tap(phone, phone.find_element("css selector", f'.mobile-tabs [data-panel="{tab}"]'))
        wait(phone, lambda d: d.execute_script("return document.querySelector('.world').dataset.panel") == tab, 5)
        sidebar = wait(phone, lambda d: visible_rect(d, "sidebar"), 5, f"no {tab} sheet")
        canvas = visible_rect(phone, "world-canvas")
        # The map keeps a good part of the screen above the sheet, and the avatar stays in it.
        assert sidebar["top"] - canvas["top"] >= 0.3 * (canvas["bottom"] - canvas["top"]), f"the {tab} sheet hides the map"
        wait(phone, lambda d: canvas["top"] < avatar_on_screen(d)["y"] < visible_rect(d, "sidebar")["top"] - 20, 5,
             f"the avatar is hidden behind the {tab} sheet")
        assert phone.execute_script(BILINGUAL_CHECK) == [], f"labels on the {tab} sheet in one language only"
        snapshot(phone, f"scenario-{tab}-sheet-phone")


# ---- Conversation and moderation on the map ----

COVERED_CONTROLS = """
    const shown = (e) => { const r = e.getBoundingClientRect();
      return e.getClientRects().length && r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
    const box = (e) => { const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
    const toasts = [...document.querySelectorAll('[data-testid=toast]')].filter(shown);
    // Every control, and the cards and lines over the map, except the map itself.
    const kept = [...document.querySelectorAll('button, input, select, textarea, summary, a[href], canvas, [tabindex], .top-stack > *, .location, .connection, .counts')]
      .filter((e) => shown(e) && !e.closest('#toasts') && e.dataset.testid !== 'world-canvas');
    const hits = [];
    for (const toast of toasts) {
      const t = box(toast);
      for (const e of kept) {
        const r = box(e);
        if (t.left < r.right && r.left < t.right && t.top < r.bottom && r.top < t.bottom)
          hits.push(`${toast.textContent.trim().slice(0, 40)} covers ${e.tagName.toLowerCase()}${e.dataset.testid ? '[' + e.dataset.testid + ']' : ''}${e.className ? '.' + e.className : ''}`);
      }
    }
    const bar = document.querySelector('.topbar').getBoundingClientRect();
    const outside = toasts.map(box).filter((t) => t.top < bar.top - 0.5 || t.bottom > bar.bottom + 0.5);
    return {shown: toasts.length, present: document.querySelectorAll('[data-testid=toast]').length, hits, outside: outside.length};
"""


def test_desktop_toasts_stay_in_the_top_bar_and_never_cover_a_control(server, browser):
    host = browser()
    join(host, server, "Toast Host", token=server.invite("Toast Host", "moderator"))
    if by_testid(host, "intro-card").is_displayed():
        by_testid(host, "intro-dismiss").click()
    quiz = Moderator(server, server.invite("Toast Quiz", "moderator"))
    try:
        # A question on the card and an announcement over the map: the cards a notice must not hide.
        quiz.send(type="quiz_open", mode="points", ref="open-t", title="Toasts", questions=[{**QUESTION, "timeLimit": 60}])
        quiz.expect(lambda m: m.get("ref") == "open-t")
        quiz.send(type="quiz_next", ref="next-t")
        quiz.expect(lambda m: m.get("ref") == "next-t")
        quiz.send(type="announce", text="토스트 · Toasts under test", ref="ann-t")
        quiz.expect(lambda m: m.get("ref") == "ann-t")
        wait(host, lambda d: by_testid(d, "quiz-question").is_displayed() and by_testid(d, "announcement-banner").is_displayed(), 10)

        for size, console in (((1280, 800), False), ((1024, 720), True)):
            host.set_window_size(*size)
            if console:
                by_testid(host, "mod-console-toggle").click()
                wait(host, lambda d: d.execute_script("return document.querySelector('.world').dataset.console") == "open", 5)
                # The console spans the page instead of living in a scrolling sidebar box.
                panel = visible_rect(host, "mod-panel")
                assert panel["right"] - panel["left"] >= 0.9 * size[0], f"the console is not full width: {panel}"
                assert by_testid(host, "mod-overview").is_displayed()
            # Four notices in a row, from the server (locked, unlocked) and from the page (two errors).
            by_testid(host, "mod-lock").click()
            wait(host, lambda d: by_testid(d, "mod-lock").get_attribute("aria-pressed") == "true", 10)
            by_testid(host, "mod-lock").click()
            wait(host, lambda d: by_testid(d, "mod-lock").get_attribute("aria-pressed") == "false", 10)
            by_testid(host, "mod-announce-input").clear()
            by_testid(host, "mod-announce-send").click()
            by_testid(host, "mod-quiz-open").click()
            # The last answer placed, read while all four are still up.
            found = wait(host, lambda d: (lambda r: r if r["present"] >= 4 else None)(d.execute_script(COVERED_CONTROLS)), 10,
                         "the four notices did not come")
            snapshot(host, f"scenario-toasts-{size[0]}-desktop{'-console' if console else ''}")
            assert found["shown"] >= 1, "no notice is shown at all"
            assert found["hits"] == [], f"at {size}: {found['hits']}"
            assert found["outside"] == 0, f"at {size}: a notice reaches out of the top bar"
    finally:
        quiz.send(type="quiz_end", ref="end-t")
        quiz.close()


def test_the_moderator_link_the_server_printed_opens_the_moderator_console(server, browser):
    import re
    printed = next((m.group(1) for line in server.lines if (m := re.search(r"Moderator link[^:]*: (\S+)", line))), None)
    assert printed, "the server printed no moderator link"
    token = re.search(r"token=([^&\s]+)", printed).group(1)
    driver = browser()
    driver.get(printed)
    wait(driver, lambda d: by_testid(d, "join-form").get_attribute("data-invitation") not in (None, "pending"), 10)
    assert by_testid(driver, "token-input").get_attribute("type") == "password"
    assert token not in driver.execute_script("return document.body.innerText"), "the moderator's token is shown in plain text"
    assert "token=" not in driver.current_url
    field = by_testid(driver, "name-input")
    if not field.get_attribute("value"):
        field.send_keys("Operator")
    by_testid(driver, "join-button").click()
    wait(driver, lambda d: atrium(d, ".role") == "moderator", 15, "the printed link did not make a moderator")
    assert by_testid(driver, "mod-panel").is_displayed()
    by_testid(driver, "mod-console-toggle").click()
    wait(driver, lambda d: by_testid(d, "mod-overview").is_displayed(), 5)
    snapshot(driver, "scenario-moderator-console-desktop")


def own_entry(driver, text: str):
    """The visitor's own chat entry with `text`: its delivery state and the server's count, or None."""
    return driver.execute_script(
        "const e = [...document.querySelectorAll('[data-testid=chat-entry]')].find(e => e.querySelector('.text').textContent === arguments[0]);"
        "return e ? {state: e.dataset.state, heard: e.dataset.heard ?? null, text: e.textContent} : null;", text)


def say(driver, scope: str, text: str) -> None:
    by_testid(driver, f"scope-{scope}").click()
    field = by_testid(driver, "chat-input")
    field.click()
    field.send_keys(text + Keys.ENTER)


def test_stage_and_room_messages_tell_the_sender_how_many_heard_them(server, browser):
    host, guest = browser(), browser()
    join(host, server, "Stage Host", token=server.invite("Stage Host", "moderator"))
    listener = join(guest, server, "Far Listener")
    if by_testid(host, "intro-card").is_displayed():
        by_testid(host, "intro-dismiss").click()
    # The host walks onto the stage from the directory; the listener stays at the entrance,
    # beyond the chat radius (the stage's row 5 is 9 tiles north of the spawn's first row).
    by_testid(host, "directory-button").click()
    by_testid(host, "directory-search").send_keys("Stage")
    wait(host, lambda d: d.find_elements("css selector", '[data-testid="directory-place"]'), 5)[0].click()
    wait(host, lambda d: "Stage" in by_testid(d, "location").text, 30, "the host did not reach the stage")
    settled(host)
    here, there = atrium(host, ".me"), atrium(guest, ".me")
    assert ((here["x"] - there["x"]) ** 2 + (here["y"] - there["y"]) ** 2) ** 0.5 / UNITS > 6

    say(host, "nearby", "anyone near the stage?")
    unheard = wait(host, lambda d: (lambda e: e if e and e["state"] != "pending" else None)(own_entry(d, "anyone near the stage?")), 10)
    assert unheard["state"] == "unheard" and "nobody heard this" in unheard["text"], unheard

    # The room's count, as the server says it, once it has settled: everyone else hears the stage.
    wait(host, lambda d: int(by_testid(d, "people-count").get_attribute("data-count") or 0) >= 2, 10)
    others = int(by_testid(host, "people-count").get_attribute("data-count")) - 1
    for scope, text in (("stage", "welcome to the stage"), ("room", "the quiz starts at three")):
        say(host, scope, text)
        entry = wait(host, lambda d: (lambda e: e if e and e["state"] != "pending" else None)(own_entry(d, text)), 10,
                     f"the {scope} message was not acknowledged")
        assert entry["state"] == "delivered" and entry["heard"] == str(others), f"{scope}: {entry}, {others} others in the room"
        assert f"heard by {others}" in entry["text"]
        wait(guest, lambda d: text in d.execute_script(
            "return [...document.querySelectorAll('[data-testid=chat-entry] .text')].map(e => e.textContent);"), 10,
             f"the far listener did not get the {scope} message")
    assert atrium(guest, ".me")["id"] == listener["id"]
    snapshot(host, "scenario-stage-chat-heard-desktop")


# ---- A legible crowd ----

def crowd_map(width: int = 30, height: int = 20) -> dict:
    """An open floor whose view radius covers all of it, with a spawn in the middle: every bot
    that arrives is in view of a visitor standing there (the plaza spreads bots over its stage
    and exhibits, out of one view)."""
    spawn = {"x": 10, "y": 7, "width": 10, "height": 6}
    return {
        "type": "map", "version": "1.10", "orientation": "orthogonal", "renderorder": "right-down", "infinite": False,
        "width": width, "height": height, "tilewidth": 32, "tileheight": 32, "nextlayerid": 3, "nextobjectid": 2,
        "properties": [{"name": "name", "type": "string", "value": "Crowd"}, {"name": "capacity", "type": "int", "value": 400},
                       {"name": "viewRadius", "type": "int", "value": 20}, {"name": "tickRate", "type": "int", "value": 20}],
        "tilesets": [{"firstgid": 1, "name": "floor", "tilewidth": 32, "tileheight": 32, "tilecount": 1, "columns": 1,
                      "margin": 0, "spacing": 0}],
        "layers": [
            {"id": 1, "name": "floor", "type": "tilelayer", "width": width, "height": height, "x": 0, "y": 0, "opacity": 1,
             "visible": True, "data": [1] * (width * height)},
            {"id": 2, "name": "zones", "type": "objectgroup", "x": 0, "y": 0, "opacity": 1, "visible": True, "draworder": "topdown",
             "objects": [{"id": 1, "name": "", "type": "spawn", "x": spawn["x"] * 32, "y": spawn["y"] * 32,
                          "width": spawn["width"] * 32, "height": spawn["height"] * 32, "rotation": 0, "visible": True}]},
        ],
    }


def frame_rate(driver, seconds: float) -> dict:
    """The frames the page really got: requestAnimationFrame callbacks over `seconds`, with
    the intervals between them (what a visitor sees, compositing included, unlike
    `frameStats()`, which times the renderer's JavaScript only)."""
    times = driver.execute_async_script(
        "const done = arguments[arguments.length - 1], limit = arguments[0] * 1000, times = [];"
        "const step = (t) => { times.push(t); if (t - times[0] < limit) requestAnimationFrame(step); else done(times); };"
        "requestAnimationFrame(step);", seconds)
    intervals = sorted(b - a for a, b in zip(times, times[1:]))
    elapsed = (times[-1] - times[0]) / 1000
    return {"fps": len(intervals) / elapsed, "seconds": elapsed, "frames": len(intervals),
            "median": intervals[len(intervals) // 2], "p95": intervals[int(len(intervals) * 0.95)],
            "slow": sum(1 for i in intervals if i > 33.4)}


def test_two_hundred_avatars_in_view_stay_legible_and_smooth(browser, tmp_path):
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "crowd.tmj").write_text(json.dumps(crowd_map()), encoding="utf-8")
    # Its own server: 200 bots and a visitor from one address, all of them told about each other.
    crowd = Server(server_binary(), tmp_path / "data", maps=str(maps), environment={
        "ATRIUM_LIMITS_MAX_CONNECTIONS_PER_IP": "1000", "ATRIUM_LIMITS_HANDSHAKE_RATE_PER_IP": "500/s:500",
        "ATRIUM_ROOMS_MAX_VISIBLE": "400"})
    crowd.start()
    try:
        driver = browser()
        me = join(driver, crowd, "In The Crowd", room="crowd")
        with bots(crowd, 200, 60, room="crowd", behavior="crowd", ramp=200):
            wait(driver, lambda d: len(atrium(d, ".avatars")) >= 201, 30, "the 200 bots did not all come into view")

            def on_screen(d):
                return d.execute_script("""
                    const r = document.querySelector('[data-testid=world-canvas]').getBoundingClientRect();
                    return window.atrium.avatars.filter(a => { const p = window.atrium.toScreen(a.x, a.y);
                      return p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom; }).length;""")

            # The crowd gathers around the spawn, on screen at the default zoom.
            shown = wait(driver, lambda d: (lambda n: n if n >= 190 else None)(on_screen(d)), 20, "the crowd is not on screen")
            # Let the renderer draw the crowd for a while, then read what it did.
            driver.execute_async_script(
                "const done = arguments[arguments.length - 1]; let n = 0;"
                "const step = () => (++n < 130 ? requestAnimationFrame(step) : done()); requestAnimationFrame(step);")
            labels = atrium(driver, ".labels()")
            ids = [label["id"] for label in labels]
            assert me["id"] in ids, "the visitor's own name is always shown"
            assert len(ids) == len(set(ids)) and len(ids) >= 10
            for index, a in enumerate(labels):
                for b in labels[index + 1:]:
                    assert not overlap(a, b), f"name labels overlap: {a} and {b}"
            # A name cut by the edge of the map cannot be read either.
            canvas = visible_rect(driver, "world-canvas")
            cut = [label for label in labels if label["left"] < canvas["left"] or label["right"] > canvas["right"]
                   or label["top"] < canvas["top"] or label["bottom"] > canvas["bottom"]]
            assert cut == [], f"names cut by the edge of the map: {cut}"
            # Closer in, the crowd spills over every edge of the view: still no name is cut.
            driver.find_element("id", "zoom-in").click()
            driver.find_element("id", "zoom-in").click()
            driver.execute_async_script(
                "const done = arguments[arguments.length - 1]; let n = 0;"
                "const step = () => (++n < 30 ? requestAnimationFrame(step) : done()); requestAnimationFrame(step);")
            close = atrium(driver, ".labels()")
            cut = [label for label in close if label["left"] < canvas["left"] - 0.5 or label["right"] > canvas["right"] + 0.5
                   or label["top"] < canvas["top"] - 0.5 or label["bottom"] > canvas["bottom"] + 0.5]
            assert me["id"] in [label["id"] for label in close] and cut == [], f"zoomed in, names cut by the edge: {cut}"
            snapshot(driver, "scenario-crowd-close-desktop")
            stats = atrium(driver, ".frameStats()")
            rate = frame_rate(driver, seconds=4)
            OUTPUT.mkdir(parents=True, exist_ok=True)
            (OUTPUT / "crowd-frame-time.txt").write_text(
                f"{shown} avatars on screen, {len(labels)} names shown; drawing a frame in JavaScript: "
                f"median {stats['median']:.1f} ms, p95 {stats['p95']:.1f} ms over {stats['frames']} frames; "
                f"frames the page got (requestAnimationFrame): {rate['fps']:.1f} fps over {rate['seconds']:.1f} s, "
                f"interval median {rate['median']:.1f} ms, p95 {rate['p95']:.1f} ms, {rate['slow']} of {rate['frames']} over 33 ms "
                "(headless Chromium, --disable-gpu: software-rendered canvas)\n", encoding="utf-8")
            snapshot(driver, "scenario-crowd-desktop")
            # The JavaScript's share of a frame fits in a 60 Hz frame.
            assert stats["frames"] >= 100 and stats["median"] < 16, f"drawing 200 avatars is too slow: {stats}"
    finally:
        crowd.stop()
