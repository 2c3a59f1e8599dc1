"""End-to-end tests of the browser client (Web/) in headless Chromium against the server.

The room is `plaza` of Maps/tests: 48×32 tiles, spawn in the middle (tiles 22–25 × 14–17),
chat radius 6 tiles, a photo exhibit `plaza-photo` at tile (46, 10–11) and a board
`plaza-wall` at (46, 16–17), both with radius 3; the O field is x 10–17 and the X field
x 30–37, y 22–27.
"""

from __future__ import annotations

import math
import uuid

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from atrium_browser import UNITS, Moderator, atrium, avatar, by_testid, join, settled, snapshot, wait


def focus_map(driver) -> None:
    driver.execute_script("document.querySelector('[data-testid=world-canvas]').focus({preventScroll: true})")


def hold(driver, key, until, timeout: float = 15.0, message: str = "") -> None:
    """Holds `key` on the map until `until(driver)` is true, then lets go."""
    focus_map(driver)
    ActionChains(driver).key_down(key).perform()
    try:
        wait(driver, until, timeout, message)
    finally:
        ActionChains(driver).key_up(key).perform()


def click_map(driver, x_units: float, y_units: float) -> None:
    """Clicks the map where position (x, y) in units is drawn, after closing the first-visit
    card if it is still up (it covers part of the map, wherever the random spawn put us)."""
    if driver.execute_script("const c = document.querySelector('[data-testid=intro-card]'); return !!c && !c.hidden;"):
        by_testid(driver, "intro-dismiss").click()
    point = atrium(driver, f".toScreen({x_units}, {y_units})")
    hit = driver.execute_script(
        "const e = document.elementFromPoint(arguments[0], arguments[1]);"
        "return e ? (e.dataset.testid || e.outerHTML.slice(0, 80)) : 'nothing (outside the window)';", point["x"], point["y"])
    assert hit == "world-canvas", f"the map point {point} is not on the map's canvas but on {hit}"
    canvas = by_testid(driver, "world-canvas")
    rect = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2};", canvas)
    ActionChains(driver).move_to_element_with_offset(canvas, round(point["x"] - rect["x"]), round(point["y"] - rect["y"])).click().perform()


def chat(driver, text: str) -> None:
    field = by_testid(driver, "chat-input")
    field.click()
    field.send_keys(text)
    field.send_keys(Keys.ENTER)
    focus_map(driver)


def chat_texts(driver) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=chat-entry] .text')].map(e => e.textContent);")


def own_entry_state(driver, text: str):
    return driver.execute_script(
        "const e = [...document.querySelectorAll('[data-testid=chat-entry]')].find(e => e.querySelector('.text').textContent === arguments[0]);"
        "return e ? e.dataset.state : null;", text)


def distance_tiles(a: dict, b: dict) -> float:
    return math.hypot(a["x"] - b["x"], a["y"] - b["y"]) / UNITS


# ---- Walking ----

def test_two_windows_see_each_other_walk(server, browser):
    walker, watcher = browser(), browser()
    me = join(walker, server, "Walker")
    join(watcher, server, "Watcher")

    start = wait(watcher, lambda d: avatar(d, me["id"]), 10, "the watcher does not see the walker")
    # Walk towards the roomier side of the plaza (it is 48 tiles wide).
    key, sign = (Keys.ARROW_RIGHT, 1) if start["x"] < 24 * UNITS else (Keys.ARROW_LEFT, -1)
    hold(walker, key, lambda d: sign * (atrium(d, ".me")["x"] - start["x"]) >= 2 * UNITS, 10, "the walker did not move")

    moved = wait(watcher, lambda d: (lambda a: a if a and sign * (a["x"] - start["x"]) >= 2 * UNITS else False)(avatar(d, me["id"])),
                 10, "the watcher did not see the walker move")
    assert abs(moved["y"] - start["y"]) < UNITS, "walking sideways must not change y"
    # Both windows agree where the walker stopped.
    stopped = settled(walker)
    wait(watcher, lambda d: (lambda a: a and abs(a["x"] - stopped["x"]) <= 2 and abs(a["y"] - stopped["y"]) <= 2)(avatar(d, me["id"])),
         5, "the watcher's view of the walker did not settle where the walker stopped")


# ---- Chat: near and far ----

def test_nearby_chat_reaches_near_and_not_far(server, browser):
    speaker, listener = browser(), browser()
    join(speaker, server, "Speaker")
    them = join(listener, server, "Listener")
    tag = uuid.uuid4().hex[:8]

    # Close together at the spawn: a nearby message arrives.
    wait(speaker, lambda d: avatar(d, them["id"]), 10)
    near = f"near {tag}"
    chat(speaker, near)
    wait(listener, lambda d: near in chat_texts(d), 10, "the nearby message did not arrive")
    # Said out loud: a speech bubble over the speaker, for the listener and the speaker alike.
    speaker_id = atrium(speaker, ".me")["id"]
    for driver in (listener, speaker):
        wait(driver, lambda d: {"id": speaker_id, "text": near} in atrium(d, ".bubbles()"), 5, "no speech bubble over the speaker")
    # The acknowledgement carries the server's count of who heard it.
    heard = wait(speaker, lambda d: d.execute_script(
        "const e = [...document.querySelectorAll('[data-testid=chat-entry]')].find(e => e.querySelector('.text').textContent === arguments[0]);"
        "return e && e.dataset.heard;", near), 10, "the nearby message was not acknowledged with a count")
    assert int(heard) >= 1 and own_entry_state(speaker, near) == "delivered"

    # Walk the speaker far to the left: more than the chat radius (6 tiles) away.
    listener_position = settled(listener)
    hold(speaker, Keys.ARROW_LEFT, lambda d: atrium(d, ".me")["x"] <= listener_position["x"] - 11 * UNITS, 15,
         "the speaker did not get far enough")
    here = settled(speaker)
    assert distance_tiles(here, listener_position) > 9, "the speaker is not far enough away"
    far = f"far {tag}"
    chat(speaker, far)
    # Acknowledged, but nobody was in earshot: no "delivered" tick, "nobody heard this" instead.
    wait(speaker, lambda d: own_entry_state(d, far) == "unheard", 10, "the far message was not marked as heard by nobody")

    # Come back and say something else: once that arrives, the far one would have too.
    hold(speaker, Keys.ARROW_RIGHT, lambda d: atrium(d, ".me")["x"] >= listener_position["x"] - 2 * UNITS, 15)
    back = settled(speaker)
    assert distance_tiles(back, listener_position) < 5
    marker = f"marker {tag}"
    chat(speaker, marker)
    wait(listener, lambda d: marker in chat_texts(d), 10, "the marker message did not arrive")

    texts = chat_texts(listener)
    assert near in texts and marker in texts
    assert far not in texts, "a message from beyond the chat radius was delivered"


# ---- Exhibits ----

def walk_into_reach(driver, exhibit_id: str, tile_x: int, tile_y: int) -> None:
    """Walks east with the keyboard until the tile is on screen, then clicks the map there."""
    hold(driver, Keys.ARROW_RIGHT, lambda d: atrium(d, ".me")["x"] >= 38 * UNITS, 15, "did not walk east")
    # The map shows about six tiles above and below the avatar: come within three rows.
    if atrium(driver, ".me")["y"] > (tile_y + 3) * UNITS:
        hold(driver, Keys.ARROW_UP, lambda d: atrium(d, ".me")["y"] <= (tile_y + 3) * UNITS, 10, "did not walk north")
    elif atrium(driver, ".me")["y"] < (tile_y - 3) * UNITS:
        hold(driver, Keys.ARROW_DOWN, lambda d: atrium(d, ".me")["y"] >= (tile_y - 3) * UNITS, 10, "did not walk south")
    settled(driver)
    # The minimap sits over the north-east of the map; fold it away to click there.
    toggle = by_testid(driver, "minimap-toggle")
    if toggle.get_attribute("aria-pressed") == "true":
        toggle.click()
    target = ((tile_x + 0.5) * UNITS, (tile_y + 0.5) * UNITS)
    for attempt in range(3):
        start = atrium(driver, ".me")
        click_map(driver, *target)
        # A click walks there; on a loaded machine a slow click can read as press-and-hold
        # (steering), which stops on release. Then the avatar has not set off: click again.
        try:
            wait(driver, lambda d: atrium(d, ".exhibit.inReach") == exhibit_id
                 or (lambda me: (me["x"], me["y"]) != (start["x"], start["y"]))(atrium(d, ".me")), 3)
        except TimeoutException:
            continue
        break
    wait(driver, lambda d: atrium(d, ".exhibit.inReach") == exhibit_id, 15, f"{exhibit_id} did not come in reach")
    settled(driver)


def test_exhibit_opens_with_x_and_takes_reactions(server, browser):
    driver = browser()
    join(driver, server, "Visitor")
    walk_into_reach(driver, "plaza-photo", 44, 10)

    hint = by_testid(driver, "exhibit-hint")
    wait(driver, lambda d: hint.is_displayed(), 5, "no hint near the exhibit")
    assert "X" in hint.text

    focus_map(driver)
    ActionChains(driver).send_keys("x").perform()
    dialog = wait(driver, lambda d: (lambda e: e if e.is_displayed() else False)(by_testid(d, "exhibit-dialog")), 10, "the overlay did not open")
    assert by_testid(driver, "exhibit-title").text == "Plaza photo"
    assert "A test photo" in by_testid(driver, "exhibit-description").text
    assert dialog.get_attribute("data-kind") == "photo"
    wait(driver, lambda d: d.execute_script(
        "const i = document.querySelector('[data-testid=exhibit-image]'); return i && i.complete && i.naturalWidth > 0;"),
        10, "the photo did not load")
    wait(driver, lambda d: by_testid(d, "exhibit-viewers").get_attribute("data-count") == "1", 5)

    cheer = by_testid(driver, "react-cheer")
    before = int(cheer.get_attribute("data-count"))
    cheer.click()
    wait(driver, lambda d: by_testid(d, "react-cheer").get_attribute("aria-pressed") == "true"
         and int(by_testid(d, "react-cheer").get_attribute("data-count")) == before + 1, 10, "the cheer was not counted")
    assert atrium(driver, ".exhibit.open.mine") == ["cheer"]

    # Taking it back works the same way.
    by_testid(driver, "react-cheer").click()
    wait(driver, lambda d: by_testid(d, "react-cheer").get_attribute("aria-pressed") == "false"
         and int(by_testid(d, "react-cheer").get_attribute("data-count")) == before, 10)
    by_testid(driver, "react-like").click()
    wait(driver, lambda d: by_testid(d, "react-like").get_attribute("data-count") == "1", 10)

    snapshot(driver, "test_exhibit-overlay")

    # Escape closes the overlay and gives the map the keyboard back.
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    wait(driver, lambda d: not by_testid(d, "exhibit-dialog").is_displayed() and atrium(d, ".exhibit.open") is None, 5)
    assert driver.execute_script("return document.activeElement.dataset.testid") == "world-canvas"


def test_cheer_wall_note_is_saved_and_shown_to_another_viewer(server, browser):
    writer, reader = browser(), browser()
    join(writer, server, "Writer")
    join(reader, server, "Reader")
    for driver in (writer, reader):
        walk_into_reach(driver, "plaza-wall", 44, 16)
        by_testid(driver, "exhibit-hint").click()
        wait(driver, lambda d: atrium(d, ".exhibit.open.id") == "plaza-wall", 10, "the board did not open")
    wait(reader, lambda d: by_testid(d, "exhibit-viewers").get_attribute("data-count") == "2", 10)

    text = f"힘내세요! Keep going {uuid.uuid4().hex[:6]}"
    field = by_testid(writer, "note-input")
    field.send_keys(text)
    assert by_testid(writer, "note-counter").text.startswith(f"{len(text)} /")
    field.send_keys(Keys.ENTER)
    wait(writer, lambda d: by_testid(d, "note-status").get_attribute("data-state") == "saved", 10, "the note was not acknowledged")
    assert by_testid(writer, "note-input").get_attribute("value") == ""
    first = lambda d: d.execute_script("const n = document.querySelector('[data-testid=note] .text'); return n && n.textContent;")
    wait(writer, lambda d: first(d) == text, 5)
    wait(reader, lambda d: first(d) == text, 10, "the other viewer did not see the note")
    assert reader.find_element(By.CSS_SELECTOR, '[data-testid="note"]').get_attribute("class").count("fresh") == 1


# ---- The quiz, run by a moderator over a plain WebSocket ----

def test_quiz_banner_and_countdown_when_a_moderator_starts_a_quiz(server, browser):
    driver = browser()
    join(driver, server, "Player")
    moderator = Moderator(server, server.invite("Mod", "moderator"))
    try:
        assert moderator.welcome["you"]["role"] == "moderator"
        question = "플라자는 48칸 너비인가요? · Is the plaza 48 tiles wide?"
        moderator.send(type="quiz_open", mode="points", ref="open-1", title="Browser test quiz", questions=[
            {"id": "q1", "question": question, "answer": "O", "explanation": "48 × 32 tiles.", "timeLimit": 10},
        ])
        opened = moderator.expect(lambda m: m.get("ref") == "open-1" or m["type"] == "quiz")
        assert opened["type"] != "error", opened
        wait(driver, lambda d: atrium(d, ".quiz.state") == "open", 10, "the browser did not see the quiz open")

        moderator.send(type="quiz_next", ref="next-1")
        banner = by_testid(driver, "quiz-banner")
        wait(driver, lambda d: banner.is_displayed() and question in by_testid(d, "quiz-question").text, 10, "no question banner")
        countdown = by_testid(driver, "quiz-countdown")
        assert countdown.is_displayed()
        first = int(wait(driver, lambda d: countdown.get_attribute("data-seconds"), 5))
        assert 1 <= first <= 10
        wait(driver, lambda d: 0 < int(countdown.get_attribute("data-seconds")) < first, 5, "the countdown did not go down")
        remaining = atrium(driver, ".quiz.remainingMs")
        assert 0 < remaining < 10000
        snapshot(driver, "test_quiz_banner_and_countdown-asking")
        # The visitor is told where they stand; a guest watches.
        assert atrium(driver, ".quiz.role") in ("watching", "player")
    finally:
        # Leave the room without a quiz for the tests after this one.
        moderator.send(type="quiz_end", ref="end-1")
        moderator.close()


def test_quiz_player_on_the_o_field_is_judged_correct(server, browser):
    driver = browser()
    join(driver, server, "Player One", token=server.invite("Player One", "participant"))
    assert atrium(driver, ".role") == "participant"
    # Walk onto the O field (x 10–17, y 22–27) before the quiz opens.
    hold(driver, Keys.ARROW_DOWN, lambda d: atrium(d, ".me")["y"] >= 23 * UNITS + 32, 15, "did not walk south")
    hold(driver, Keys.ARROW_LEFT, lambda d: atrium(d, ".me")["x"] <= 15 * UNITS + 32, 15, "did not walk west")
    settled(driver)
    wait(driver, lambda d: atrium(d, ".quiz.field") == "O", 5, "not standing on the O field")

    moderator = Moderator(server, server.invite("Quizmaster", "moderator"))
    try:
        moderator.send(type="quiz_open", mode="points", ref="open-2", title="Field test", questions=[
            {"id": "q1", "question": "O is the right answer here.", "answer": "O", "explanation": "It is.", "timeLimit": 5},
        ])
        assert moderator.expect(lambda m: m.get("ref") == "open-2")["type"] == "mod_ok"
        wait(driver, lambda d: atrium(d, ".quiz.role") == "player", 10, "a participant present at the opening should play")
        moderator.send(type="quiz_next", ref="next-2")
        field = wait(driver, lambda d: (lambda e: e if e.is_displayed() else None)(by_testid(d, "quiz-field")), 10)
        assert field.get_attribute("data-field") == "O"
        verdict = wait(driver, lambda d: (lambda e: e if e.is_displayed() else None)(by_testid(d, "quiz-verdict")), 15, "no verdict")
        assert verdict.get_attribute("data-verdict") == "correct"
        assert by_testid(driver, "quiz-result").get_attribute("data-answer") == "O"
        assert atrium(driver, ".quiz.score") == 1
        moderator.send(type="quiz_end", ref="end-2")
        wait(driver, lambda d: by_testid(d, "quiz-final").is_displayed(), 10, "no final ranking")
        assert "Player One" in by_testid(driver, "quiz-final").text
    finally:
        # Ended also when the test failed half-way, so the next quiz in the plaza can open.
        moderator.send(type="quiz_end", ref="end-2b")
        moderator.close()


def test_moderator_panel_for_a_moderator_token(server, browser):
    moderator, visitor = browser(), browser()
    token = server.invite("Host", "moderator")
    join(moderator, server, "Host", token=token)
    join(visitor, server, "Guest")
    assert atrium(moderator, ".role") == "moderator"
    assert by_testid(moderator, "mod-panel").is_displayed()
    assert not by_testid(visitor, "mod-panel").is_displayed()
    # The people list comes from `roster` and lists the visitor with actions.
    by_testid(moderator, "mod-roster-refresh").click()
    actions = wait(moderator, lambda d: d.execute_script(
        "const item = [...document.querySelectorAll('[data-testid=mod-person]')].find(e => e.textContent.includes('Guest'));"
        "return item ? [...item.querySelectorAll('button')].map(b => b.dataset.testid) : null;"), 10, "the roster does not list the guest")
    assert {"mod-person-spotlight", "mod-person-mute", "mod-person-teleport", "mod-person-kick", "mod-person-ban"} <= set(actions)

    text = f"Welcome to the plaza {uuid.uuid4().hex[:6]}"
    field = by_testid(moderator, "mod-announce-input")
    field.send_keys(text)
    by_testid(moderator, "mod-announce-send").click()
    wait(moderator, lambda d: any(t.get_attribute("data-kind") == "ok" for t in d.find_elements(By.CSS_SELECTOR, '[data-testid="toast"]')), 10)
    wait(visitor, lambda d: by_testid(d, "announcement-banner").is_displayed() and by_testid(d, "announcement-text").text == text, 10)

    # The test maps have no question sets: opening one is refused, and the panel says so.
    before = len(moderator.find_elements(By.CSS_SELECTOR, '[data-testid="toast"][data-kind="error"]'))
    by_testid(moderator, "mod-quiz-open").click()
    wait(moderator, lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="toast"][data-kind="error"]')) > before, 10,
         "no error toast for a missing question set")
