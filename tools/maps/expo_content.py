"""Draws the Second Start Expo content (SVG pages, cards, posters) and the short video.

`write_all(content_dir)` writes every file and returns exhibit metadata keyed by exhibit id:
{"kind", "title", "description", "src": [paths relative to content_dir]}.
"""

import math
import os
import random
import shutil
import subprocess
import tempfile

import expo_data as D
from svgkit import (PAL, Look, Svg, banner, books, bread, bubble, bulb, calendar, caption_box, chart, circle, cloud,
                    confetti, crowd, cup, desk, document, ellipse, emblem, esc, group, heart, laptop, line, n, path,
                    person, phone, plant, podium, poly, rain, random_look, rect, shop, signpost, spotlight, star, steps,
                    sticky, sun, text, text_lines, trophy, wrap, mic_stand)


def look(who):
    c = D.CAST[who]
    return Look(c["skin"], c["hair"], c["shirt"], c["pants"], c.get("style", "short"), c.get("glasses", False), c.get("jacket"))


def _write(content_dir, rel, data):
    full = os.path.join(content_dir, rel)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as handle:
        handle.write(data)
    return rel


def _kt(ko, en):
    return "%s · %s" % (ko, en)


# ================================================================== scenes shared by comics and webtoons

def floor(W, H, color="#000000", opacity=0.07):
    return rect(0, H - 40, W, 40, color, opacity=opacity)


def scene(name, W, H, seed=0):
    """Background for a panel of size W x H whose ground line is H - 14."""
    g = H - 14
    out = []
    if name in ("plain", "confetti", "hearts", "sun"):
        out.append(floor(W, H))
        if name == "confetti":
            out.append(confetti(10, 10, W - 10, H - 60, 40, seed + 3))
        if name == "hearts":
            for i, (x, y, s) in enumerate(((120, 110, 1.4), (640, 90, 1.8), (700, 200, 1.0), (80, 230, 0.9))):
                out.append(heart(x, y, s, (PAL["coral"], PAL["pink"])[i % 2]))
        if name == "sun":
            out.append(sun(W - 110, 90))
            out.append(cloud(140, 80, 1.0))
    elif name == "shop":
        out.append(floor(W, H))
        out.append(shop(40, g, 260, 230, True, "CAFE", "#F08A4B"))
    elif name == "home":
        out.append(rect(0, 0, W, H, "#000000", opacity=0.03))
        out.append(rect(500, 40, 180, 130, "#BFE3F7", 4, stroke="#FFFFFF", stroke_width=8))
        out.append(line(590, 40, 590, 170, "#FFFFFF", 6) + line(500, 105, 680, 105, "#FFFFFF", 6))
        out.append(rect(460, g - 80, 260, 80, "#8C7AE6", 16) + rect(460, g - 120, 260, 50, "#A89BEE", 16))
        out.append(floor(W, H))
    elif name == "office":
        out.append(floor(W, H))
        out.append(rect(340, g - 210, 100, 210, "#C9955E", 4) + circle(425, g - 105, 5, "#6E4424"))
        out.append(rect(330, g - 240, 120, 24, PAL["navy"], 4))
        out.append(text(390, g - 223, "상담실", 15, "#FFFFFF", "bold", "middle"))
        out.append(plant(W - 50, g, 1.0))
    elif name == "signpost":
        out.append(floor(W, H))
        out.append(signpost(470, g, ["재창업 Business", "재도전 시험 Exams", "재취업 Work"]))
    elif name == "partners":
        out.append(floor(W, H))
        for i, org in enumerate(D.GOVERNMENTS):
            out.append(emblem(330 + i * 120, 150, 46, org["ko"][0], org["color"]))
            out.append(text(330 + i * 120, 220, org["ko"], 16, PAL["ink"], "bold", "middle"))
        rng = random.Random(seed)
        for i, org in enumerate(D.INSTITUTIONS):
            x = 300 + (i % 7) * 64
            y = 252 + (i // 7) * 30
            out.append(circle(x, y, 12, org["color"]))
    elif name == "icons":
        out.append(floor(W, H))
        labels = [("상담", "Talk", PAL["mint"]), ("멘토링", "Mentor", PAL["purple"]), ("교육", "Train", PAL["yellow"]),
                  ("자금", "Funds", PAL["sky"]), ("마음", "Mind", PAL["pink"])]
        for i, (ko, en, col) in enumerate(labels):
            x = 300 + i * 100
            out.append(circle(x, 230, 40, col))
            out.append(text(x, 228, ko, 17, PAL["ink"], "bold", "middle"))
            out.append(text(x, 248, en, 12, PAL["ink"], None, "middle"))
    elif name == "form":
        out.append(floor(W, H))
        out.append(desk(360, g, 240))
        out.append(document(420, g - 150, 80, 84))
        out.append(rect(520, g - 90, 40, 22, PAL["navy"], 3))
    elif name == "phone":
        out.append(floor(W, H))
    elif name == "desk":
        out.append(floor(W, H))
        out.append(desk(300, g, 200))
        out.append(cup(340, g - 66) + cup(440, g - 66, PAL["yellow"]))
    elif name == "rain":
        out.append(rect(0, 0, W, H, PAL["night"], opacity=0.18))
        out.append(cloud(400, 50, 1.6, "#8A93A6"))
        out.append(rain(300, 70, 520, 200, seed + 7))
        out.append(floor(W, H))
    elif name == "chart":
        out.append(floor(W, H))
        out.append(chart(90, g - 60, [0.3, 0.55, 0.45, 0.8], 200, 150))
        out.append(document(320, g - 170, 90, 110, check=True))
    elif name == "calendar":
        out.append(floor(W, H))
        out.append(calendar(110, 120, "매달 · Monthly"))
        for i in range(3):
            out.append(path("M%s,%s l5,5 l9,-10" % (n(122 + i * 19), n(160)), stroke=PAL["coral"], stroke_width=3.5))
    elif name == "kitchen":
        out.append(floor(W, H))
        out.append(rect(60, g - 90, 380, 90, "#C7CEDB", 4) + rect(60, g - 96, 380, 10, "#E9EDF2", 3))
        out.append(bread(140, g - 96) + bread(230, g - 96) + bread(320, g - 96))
        out.append(rect(90, g - 250, 240, 34, PAL["mint"], 6))
        out.append(text(210, g - 227, "공유 주방 · Shared Kitchen", 17, "#FFFFFF", "bold", "middle"))
    elif name == "books":
        out.append(floor(W, H))
        out.append(desk(200, g, 180))
        out.append(books(220, g - 66) + books(290, g - 66))
        out.append(path("M520,150 q10,-20 20,0 q-10,14 -20,0z", PAL["sky"]))
    elif name == "tools":
        out.append(floor(W, H))
        for i, (ko, col) in enumerate((("제과", PAL["yellow"]), ("목공", PAL["wood"]), ("전기", PAL["sky"]), ("IT", PAL["mint"]))):
            x = 110 + i * 100
            out.append(rect(x - 40, 170, 80, 80, col, 14))
            out.append(text(x, 218, ko, 20, PAL["ink"], "bold", "middle"))
        out.append(text(260, 285, "12개 과정 · 12 courses", 18, PAL["muted"], "bold", "middle"))
    # webtoon scenes
    elif name == "bakery-open":
        out.append(sun(W - 90, 70, 28))
        out.append(shop(300, g, 300, 230, False, "민호 빵집 · MINHO BAKERY", "#F08A4B"))
        out.append(bread(360, g - 60) + bread(420, g - 50))
        out.append(floor(W, H))
    elif name == "bakery-rain":
        out.append(rect(0, 0, W, H, PAL["night"], opacity=0.2))
        out.append(shop(300, g, 300, 230, False, "민호 빵집 · MINHO BAKERY", "#B0673B"))
        out.append(cloud(470, 40, 1.5, "#8A93A6"))
        out.append(rain(320, 60, 640, 240, seed + 11))
        out.append(chart(60, 130, [0.9, 0.7, 0.45, 0.2], 150, 100, PAL["coral"]))
        out.append(floor(W, H))
    elif name == "bakery-closed":
        out.append(rect(0, 0, W, H, "#A7B3C6", opacity=0.35))
        out.append(shop(300, g, 300, 230, True, "민호 빵집 · MINHO BAKERY", "#8A93A6"))
        out.append(floor(W, H))
    elif name in ("counsel", "mentor"):
        out.append(floor(W, H))
        out.append(desk(260, g, 220))
        out.append(cup(300, g - 66) + document(390, g - 120, 60, 54))
    elif name == "bakery-again":
        out.append(confetti(20, 10, W - 20, 120, 16, seed + 5))
        out.append(shop(40, g, 320, 230, False, "다시 빵집 · AGAIN BAKERY", PAL["mint"]))
        out.append(bread(110, g - 60) + bread(180, g - 52))
        out.append(floor(W, H))
    elif name == "study":
        out.append(floor(W, H))
        out.append(calendar(560, 50, "D-100"))
        out.append(desk(200, g, 260))
        out.append(books(220, g - 66) + books(380, g - 66))
    elif name == "result":
        out.append(floor(W, H))
        out.append(rect(470, 60, 220, 150, "#FFFFFF", 10, stroke="#5B6475", stroke_width=3))
        out.append(text(580, 120, "결과 · Result", 22, PAL["muted"], "bold", "middle"))
        out.append(text(580, 170, "불합격", 36, PAL["coral"], "bold", "middle"))
    elif name == "dark-room":
        out.append(rect(0, 0, W, H, PAL["night"], opacity=0.55))
        out.append(rect(540, 50, 140, 100, "#2A3850", 4, stroke="#48566E", stroke_width=6))
        out.append(cloud(340, 90, 1.0, "#5B6475"))
        out.append(rain(290, 110, 400, 180, seed + 13))
        out.append(floor(W, H, "#000000", 0.2))
    elif name == "flyer":
        out.append(floor(W, H))
        out.append(rect(360, 80, 110, 140, "#FFF7EC", 6, stroke=PAL["coral"], stroke_width=4, transform="rotate(-8 415 150)"))
        out.append(text(415, 140, "쉼표 클럽", 20, PAL["coral"], "bold", "middle", transform="rotate(-8 415 150)"))
        out.append(text(415, 166, "Comma Club", 14, PAL["ink"], None, "middle", transform="rotate(-8 415 150)"))
        out.append(text(415, 200, ",", 60, PAL["coral"], "bold", "middle", transform="rotate(-8 415 150)"))
    elif name == "circle":
        out.append(floor(W, H))
        out.append(ellipse(W / 2, g - 4, 300, 18, "#000000", opacity=0.08))
    elif name == "laptop":
        out.append(floor(W, H))
        out.append(desk(300, g, 260))
        out.append(laptop(360, g - 66))
        out.append(chart(460, g - 70, [0.3, 0.5, 0.7, 0.95], 90, 70, PAL["mint"]))
        out.append(bulb(640, 110, 1.4))
    elif name == "office-door":
        out.append(sun(W - 80, 60, 26))
        out.append(rect(80, g - 230, 360, 230, "#E9EDF2", 4))
        out.append(rect(200, g - 190, 110, 190, "#9FD6F0", 4, stroke="#5B6475", stroke_width=4))
        out.append(rect(120, g - 222, 280, 26, PAL["navy"], 4))
        out.append(text(260, g - 203, "데이터랩 · DATA LAB", 16, "#FFFFFF", "bold", "middle"))
        out.append(floor(W, H))
    else:
        out.append(floor(W, H))
    return "".join(out)


# ================================================================== comics

PANEL_W, PANEL_H = 760, 320


def comic_panel(spec, W, H, seed):
    """One panel's inside, in local coordinates (0,0)-(W,H)."""
    out = [rect(0, 0, W, H, spec["bg"])]
    out.append(scene(spec["scene"], W, H, seed))
    g = H - 14
    s = 0.95
    heads = []
    for who, x, pose, face, flip in spec["cast"]:
        out.append(person(x, g, s, look(who), pose, face, flip))
        heads.append((x, g - 168 * s))
        if spec["scene"] == "phone" and pose == "hold":
            out.append(group(phone(-17, -112), "translate(%s %s) scale(%s)" % (n(x), n(g), n(s * 0.75))))
            for r in (16, 28):
                out.append(path("M%s,%sa%s,%s 0 0 1 0,%s" % (n(x + 24), n(g - 100 * s - r), r, r, 2 * r),
                                stroke=PAL["coral"], stroke_width=4, stroke_linecap="round"))
        if spec["scene"] == "form" and pose == "write":
            out.append(rect(x + 30, g - 104, 6, 26, PAL["coral"], 2, transform="rotate(30 %s %s)" % (n(x + 33), n(g - 90))))
    top = 12
    if spec.get("caption"):
        markup, ch = caption_box(12, 12, W * 0.44, spec["caption"][0], spec["caption"][1], 19)
        out.append(markup)
        regions = [(W * 0.5, W - 14)] * 2
        bubble_top = [12, 12]
    else:
        regions = None
        bubble_top = [top, top]
    bubbles = spec.get("bubbles", [])
    for i, (who_index, ko, en) in enumerate(bubbles):
        hx, hy = heads[who_index]
        if regions:
            x0, x1 = regions[i]
            w = x1 - x0
            bx = x0
            by = bubble_top[0]
        elif len(bubbles) == 1:
            w = min(480, W - 28)
            bx = min(max(hx - w / 2, 14), W - 14 - w)
            by = top
        else:
            w = W * 0.46
            bx = 14 if i == 0 else W - 14 - w
            by = top + (0 if i == 0 else 8)
        markup, bh = bubble(bx, by, w, ko, en, tail=(hx + (12 if hx < bx else -12 if hx > bx + w else 0), hy - 4), size=21)
        if regions:
            bubble_top[0] += bh + 10
        out.append(markup)
    return "".join(out)


def render_comic_page(comic, page_index, total):
    W, H = 800, 1130
    title_ko, title_en = comic["title"]
    svg = Svg(W, H, "%s · %s (%d/%d)" % (title_ko, title_en, page_index + 1, total), PAL["paper"])
    svg.add(rect(0, 0, W, 70, PAL["navy"]))
    svg.add(text(20, 32, title_ko, 24, "#FFFFFF", "bold"))
    svg.add(text(20, 56, title_en, 15, PAL["sky"]))
    svg.add(rect(W - 86, 20, 66, 32, PAL["yellow"], 16))
    svg.add(text(W - 53, 42, "%d / %d" % (page_index + 1, total), 17, PAL["ink"], "bold", "middle"))
    panels = comic["pages"][page_index]
    y = 86
    for i, spec in enumerate(panels):
        cid = "c%d" % i
        svg.add('<clipPath id="%s"><rect x="0" y="0" width="%d" height="%d" rx="6"/></clipPath>' % (cid, PANEL_W, PANEL_H))
        inner = comic_panel(spec, PANEL_W, PANEL_H, seed=page_index * 10 + i)
        svg.add(group(inner, "translate(20 %d)" % y, clip_path="url(#%s)" % cid))
        svg.add(rect(20, y, PANEL_W, PANEL_H, "none", 6, stroke=PAL["ink"], stroke_width=3))
        y += PANEL_H + 14
    svg.add(text(W / 2, H - 12, D.FOOTER + " · 만화관 Comics", 13, PAL["muted"], None, "middle"))
    return svg.render()


# ================================================================== webtoons

def render_webtoon(toon):
    W, H = 800, 3000
    hero = toon["hero"]
    svg = Svg(W, H, _kt(*toon["title"]), "#FFFFFF")
    # Title block.
    svg.add(rect(0, 0, W, 250, PAL["navy"]))
    svg.add(confetti(20, 10, W - 20, 90, 16, len(toon["slug"])))
    svg.add(text(W / 2, 130, toon["title"][0], 52, "#FFFFFF", "bold", "middle"))
    svg.add(text(W / 2, 175, toon["title"][1], 26, PAL["sky"], None, "middle"))
    svg.add(text(W / 2, 220, "다시 시작 웹툰 · Second Start webtoon", 17, PAL["yellow"], None, "middle"))
    panel_w, panel_h = 720, 256
    y = 290
    for i, p in enumerate(toon["panels"]):
        ko, en = p["narr"]
        svg.add(text(W / 2, y + 26, ko, 24, PAL["ink"], "bold", "middle"))
        svg.add(text(W / 2, y + 54, en, 16, PAL["muted"], None, "middle"))
        y += 72
        bg = ("#FFF4D6", "#E4F1FB", "#ECEFF4", "#FFE8E2", "#F0ECFF", "#E2F5F0", "#FFF4D6")[i % 7]
        inner = [rect(0, 0, panel_w, panel_h, bg), scene(p["scene"], panel_w, panel_h, i)]
        g = panel_h - 14
        s = 0.82
        cast = [(hero, 560 if p["scene"].startswith("bakery") and p["scene"] != "bakery-again" else 470, p["pose"], p["face"], True)]
        if p["scene"] == "bakery-again":
            cast = [(hero, 440, p["pose"], p["face"], False)]
            rng = random.Random(4)
            for k in range(3):
                inner.append(person(540 + k * 60, g, 0.62, random_look(rng), "stand", "smile", True))
        if p["scene"] == "counsel":
            cast = [(hero, 190, p["pose"], p["face"], False), ("han", 560, "stand", "smile", True)]
        if p["scene"] == "mentor":
            cast = [(hero, 190, p["pose"], p["face"], False), ("mentor", 560, "point", "grin", True)]
        if p["scene"] == "flyer":
            cast = [(hero, 190, p["pose"], p["face"], False), ("friend", 560, "point", "smile", True)]
        if p["scene"] == "kitchen":
            cast = [(hero, 560, p["pose"], p["face"], True)]
            inner.append(person(470, g, 0.7, look("jiwoo"), "hold", "smile", False))
        if p["scene"] == "circle":
            rng = random.Random(9)
            for k, x in enumerate((120, 250, 520, 640)):
                inner.append(person(x, g, 0.7, look("mina") if k == 1 else random_look(rng), "clap" if k % 2 else "stand", "smile", x > 360, sitting=True))
            cast = [(hero, 380, p["pose"], p["face"], False)]
        if p["scene"] in ("study", "laptop"):
            cast = [(hero, 220, p["pose"], p["face"], False)]
        if p["scene"] == "result":
            cast = [(hero, 260, p["pose"], p["face"], False)]
        if p["scene"] == "office-door":
            cast = [(hero, 520, p["pose"], p["face"], True)]
        if p["scene"] == "dark-room":
            cast = [(hero, 200, p["pose"], p["face"], False)]
        heads = []
        for who, x, pose, face, flip in cast:
            inner.append(person(x, g, s, look(who), pose, face, flip))
            heads.append((x, g - 168 * s))
        if p["scene"] == "result":
            inner.append(group(phone(-17, -112), "translate(%s %s) scale(%s)" % (n(heads[0][0]), n(g), n(s * 0.75))))
        said = p.get("bubbles", [])
        said_by = p.get("said_by", [])
        for k, (bko, ben) in enumerate(said):
            who = said_by[k] if k < len(said_by) else k
            hx, hy = heads[min(who, len(heads) - 1)]
            if len(said) == 1:
                w = 380
                bx = min(max(hx - w / 2, 12), panel_w - 12 - w)
            else:
                w = 330
                bx = 12 if hx < panel_w / 2 else panel_w - 12 - w
            markup, bh = bubble(bx, 10, w, bko, ben, tail=(hx, hy - 4), size=20)
            inner.append(markup)
        cid = "w%d" % i
        svg.add('<clipPath id="%s"><rect width="%d" height="%d" rx="8"/></clipPath>' % (cid, panel_w, panel_h))
        svg.add(group(inner, "translate(40 %d)" % y, clip_path="url(#%s)" % cid))
        svg.add(rect(40, y, panel_w, panel_h, "none", 8, stroke=PAL["ink"], stroke_width=3))
        y += panel_h + 30
    # Ending.
    svg.add(rect(0, H - 170, W, 170, PAL["cream"]))
    svg.add(heart(W / 2, H - 150, 1.1))
    svg.add(text(W / 2, H - 88, toon["ending"][0], 26, PAL["ink"], "bold", "middle"))
    svg.add(text(W / 2, H - 56, toon["ending"][1], 17, PAL["muted"], None, "middle"))
    svg.add(text(W / 2, H - 20, "끝 · The End  |  " + D.FOOTER, 14, PAL["muted"], None, "middle"))
    return svg.render(), y


# ================================================================== card news

def _card_frame(svg, title, index, total, color, accent, dark_text=False):
    fg = PAL["ink"] if dark_text else "#FFFFFF"
    svg.add(rect(60, 56, 26 + len(title) * 24, 48, accent, 24))
    svg.add(text(83, 89, title, 24, color if not dark_text else "#FFFFFF", "bold"))
    svg.add(text(1020, 90, "%d / %d" % (index + 1, total), 28, fg, "bold", "end", opacity=0.85))
    svg.add(rect(0, 1000, 1080, 80, "#000000", opacity=0.14))
    svg.add(text(540, 1050, D.FOOTER, 26, fg, None, "middle", opacity=0.9))


def render_card(cset, card, index, total):
    color, accent = cset["color"], cset["accent"]
    light_bg = color in ("#FFF7EC",)
    svg = Svg(1080, 1080, "%s (%d/%d)" % (_kt(*cset["title"]), index + 1, total), color)
    fg = "#FFFFFF"
    t = card["type"]
    if t in ("cover", "end"):
        svg.add(circle(930, 300, 220, "#FFFFFF", opacity=0.08) + circle(120, 760, 160, "#FFFFFF", opacity=0.07))
        if t == "end":
            svg.add(confetti(60, 130, 1020, 330, 40, index))
        lines = card["ko"].split("\n")
        y0 = 330 if t == "cover" else 420
        svg.add(text_lines(90, y0, lines, 100 if t == "cover" else 84, fg, "bold", leading=1.18))
        y = y0 + (len(lines) - 1) * (100 if t == "cover" else 84) * 1.18 + 76
        svg.add(text(92, y, card["en"], 42, accent if accent != color else fg))
        sub_ko, sub_en = card["sub"]
        sub_lines = wrap(sub_ko, 32, 860)
        en_lines = wrap(sub_en, 24, 860)
        svg.add(rect(90, y + 50, 8, 42 * len(sub_lines) + 32 * len(en_lines) + 10, accent))
        svg.add(text_lines(118, y + 84, sub_lines, 32, fg, "bold"))
        svg.add(text_lines(118, y + 84 + 42 * len(sub_lines), en_lines, 24, fg, opacity=0.85))
        if t == "cover":
            rng = random.Random(len(cset["slug"]))
            for k, x in enumerate((640, 780, 920)):
                svg.add(person(x, 990, 1.25, random_look(rng), ("cheer", "wave", "fist")[k], "grin", k == 2))
        else:
            svg.add(heart(540, 180, 3.0, accent if accent != color else PAL["coral"]))
    elif t == "stat":
        svg.add(rect(60, 150, 960, 800, "#FFFFFF", 40, opacity=0.08))
        svg.add(text(110, 430, card["big"], 190, accent, "bold"))
        svg.add(text(112, 540, card["ko"], 62, fg, "bold"))
        svg.add(text(114, 600, card["en"], 36, fg, opacity=0.85))
        bko, ben = card["body"]
        svg.add(text_lines(114, 700, wrap(bko, 34, 850), 34, fg))
        svg.add(text(114, 750, ben, 26, fg, opacity=0.8))
        bars = card.get("bars")
        if bars:
            y = 800
            if len(bars) == 1:
                svg.add(rect(114, y, 850, 44, "#FFFFFF", 22, opacity=0.2) + rect(114, y, 850 * bars[0], 44, accent, 22))
            else:
                x = 114
                cols = (accent, PAL["coral"], PAL["mint"])
                for k, v in enumerate(bars):
                    svg.add(rect(x, y, 850 * v - 6, 44, cols[k % 3], 10))
                    x += 850 * v
        else:
            for k in range(5):
                svg.add(person(700 + k * 62, 940, 0.55, random_look(random.Random(k + 30)), "clap", "smile"))
    elif t == "profile":
        svg.add(rect(60, 150, 960, 800, "#FFFFFF", 40))
        svg.add(circle(250, 470, 170, accent if accent != "#FFFFFF" else PAL["cream"], opacity=0.9))
        svg.add(circle(250, 470, 170, color, opacity=0.15))
        svg.add(person(250, 620, 1.6, look(card["who"]), "wave", "grin"))
        svg.add(text(460, 300, card["name"][0], 52, PAL["ink"], "bold"))
        svg.add(text(462, 344, card["name"][1], 26, PAL["muted"]))
        svg.add(rect(460, 372, 520, 4, color))
        svg.add(text_lines(462, 420, wrap(card["path"][0], 28, 520), 28, color, "bold"))
        svg.add(text_lines(462, 460 + 28 * 1.3 * (len(wrap(card["path"][0], 28, 520)) - 1), wrap(card["path"][1], 20, 520), 20, PAL["muted"]))
        svg.add(text(110, 760, "“", 140, color, "bold"))
        ko_lines = wrap(card["ko"], 40, 840)
        svg.add(text_lines(170, 745, ko_lines, 40, PAL["ink"], "bold", leading=1.3))
        svg.add(text_lines(172, 745 + len(ko_lines) * 52 + 8, wrap(card["en"], 26, 820), 26, PAL["muted"], leading=1.3))
    elif t == "tip":
        svg.add(rect(60, 150, 960, 800, "#FFFFFF", 40))
        svg.add(text(110, 350, card["num"], 170, color, "bold"))
        svg.add(text_lines(112, 470, wrap(card["ko"], 66, 860), 66, PAL["ink"], "bold"))
        svg.add(text(114, 540, card["en"], 36, color, "bold"))
        svg.add(rect(114, 580, 120, 8, accent))
        bko, ben = card["body"]
        ko_lines = wrap(bko, 38, 840)
        svg.add(text_lines(114, 660, ko_lines, 38, PAL["ink"], leading=1.35))
        svg.add(text_lines(114, 660 + len(ko_lines) * 51 + 10, wrap(ben, 28, 840), 28, PAL["muted"], leading=1.3))
        svg.add(bulb(900, 340, 3.0) if card["num"] == "01" else heart(880, 250, 2.6, PAL["coral"]) if card["num"] == "02"
                else group(star(0, 0, 70, PAL["yellow"]), "translate(890 280)"))
    _card_frame(svg, cset["title"][0], index, total, color, accent)
    return svg.render()


# ================================================================== photos (illustrations of the event)

def photo_scene(slug):
    W, H = 800, 480
    out = []
    if slug == "opening-ceremony":
        out.append(rect(0, 0, W, H, "#2A3850"))
        out.append(spotlight(200, 0, 300, 140) + spotlight(600, 0, 300, 140))
        out.append(banner(140, 36, 520, 96, D.EVENT_KO, D.EVENT_EN, PAL["coral"], size=40))
        out.append(rect(0, 300, W, 180, "#A0673F") + rect(0, 300, W, 10, "#C9955E"))
        rng = random.Random(2)
        for k, x in enumerate(range(180, 660, 95)):
            out.append(person(x, 330, 0.95, random_look(rng), "hold", "grin"))
        out.append(path("M120,252 Q400,282 680,252", stroke=PAL["coral"], stroke_width=9))
        out.append(circle(400, 268, 14, PAL["coral"]))
        out.append(confetti(20, 130, W - 20, 260, 50, 1))
        out.append(crowd(-20, W + 20, 520, 2, 3, 1.3, 0.35, dark=True))
    elif slug == "award-ceremony":
        out.append(rect(0, 0, W, H, "#1F2B45"))
        out.append(spotlight(400, 0, 330, 200))
        out.append(rect(230, 30, 340, 110, "#2B5FA8", 8))
        out.append(text(400, 80, "재도전 대상", 38, "#FFFFFF", "bold", "middle"))
        out.append(text(400, 118, "Comeback Award 2026", 22, PAL["yellow"], None, "middle"))
        out.append(rect(0, 320, W, 160, "#A0673F") + rect(0, 320, W, 10, "#C9955E"))
        out.append(person(320, 350, 1.05, look("minho"), "hold", "grin"))
        out.append(trophy(320, 262, 0.9))
        out.append(person(480, 350, 1.0, look("han"), "clap", "smile", True))
        out.append(podium(600, 350, 90, 110, "시상 Awards"))
        out.append(confetti(40, 20, W - 40, 300, 60, 2))
        out.append(crowd(-20, W + 20, 520, 2, 8, 1.3, 0.5, dark=True))
    elif slug == "booth-street":
        out.append(rect(0, 0, W, H, "#EEF3F8"))
        out.append(rect(0, 380, W, 100, "#D9D3C7"))
        names = [(D.ORGS[0], 20), (D.ORGS[11], 280), (D.ORGS[10], 540)]
        for org, x in names:
            out.append(rect(x, 130, 240, 250, "#FFFFFF"))
            out.append(rect(x, 100, 240, 50, org["color"]))
            out.append(text(x + 120, 133, org["ko"], 20 if len(org["ko"]) < 9 else 15, "#FFFFFF", "bold", "middle"))
            out.append(rect(x + 40, 170, 160, 100, org["color"], 6, opacity=0.25))
            out.append(emblem(x + 120, 220, 34, org["ko"][0], org["color"]))
            out.append(rect(x + 20, 300, 200, 80, PAL["wood"], 4) + rect(x + 20, 300, 200, 14, "#E4C193", 4))
        rng = random.Random(5)
        for x in (90, 200, 360, 430, 620, 720):
            out.append(person(x, 470, 0.8, random_look(rng), rng.choice(("stand", "point", "wave")), "smile", x > 400))
    elif slug == "cheering-crowd":
        out.append(rect(0, 0, W, H, "#FFB36B"))
        out.append(circle(400, 420, 260, "#FFD27A"))
        out.append(crowd(-30, W + 30, 300, 2, 21, 0.9, 0.6))
        rng = random.Random(6)
        for k, x in enumerate(range(60, 800, 110)):
            out.append(person(x, 480, 1.05, random_look(rng), "cheer", "grin", k % 2 == 1))
        for x, y, msg, col in ((120, 150, "힘내요!", PAL["coral"]), (560, 130, "다시 시작!", PAL["mint"]), (330, 120, "Again!", PAL["purple"])):
            out.append(rect(x, y, 130, 56, "#FFFFFF", 6, transform="rotate(-4 %d %d)" % (x, y)))
            out.append(text(x + 65, y + 38, msg, 24, col, "bold", "middle", transform="rotate(-4 %d %d)" % (x, y)))
    elif slug == "mentoring":
        out.append(rect(0, 0, W, H, "#E2F5F0"))
        out.append(banner(220, 30, 360, 70, "1:1 멘토링", "One-on-one mentoring", PAL["mint"], size=30))
        out.append(rect(0, 410, W, 70, "#000000", opacity=0.06))
        out.append(person(230, 460, 1.15, look("mina"), "stand", "smile", sitting=True))
        out.append(person(570, 460, 1.15, look("mentor"), "point", "grin", True, sitting=True))
        out.append(desk(290, 460, 220))
        out.append(laptop(330, 394) + cup(450, 394))
        m, _ = bubble(500, 130, 270, "이력서, 이렇게 바꿔 봐요", "Try your CV this way", tail=(560, 255), size=18)
        out.append(m)
        m2, _ = bubble(40, 130, 220, "해 볼게요!", "I'll try!", tail=(230, 255), size=18)
        out.append(m2)
    elif slug == "ox-quiz":
        out.append(rect(0, 0, W, H, "#EEF3F8"))
        out.append(rect(40, 170, 330, 300, "#3D7DD8") + rect(430, 170, 330, 300, "#E0524A"))
        out.append(circle(205, 300, 90, "none", stroke="#FFFFFF", stroke_width=24, opacity=0.8))
        out.append(path("M520,220 L670,380 M670,220 L520,380", stroke="#FFFFFF", stroke_width=26, opacity=0.8, stroke_linecap="round"))
        out.append(rect(180, 24, 440, 96, PAL["navy"], 10))
        out.append(text(400, 64, "Q. 실패 경험도 경력이 될 수 있다?", 24, "#FFFFFF", "bold", "middle"))
        out.append(text(400, 98, "Can failure count as experience?", 17, PAL["sky"], None, "middle"))
        rng = random.Random(7)
        for x, y in ((90, 470), (170, 440), (250, 470), (320, 430), (140, 390), (560, 470), (660, 450)):
            out.append(person(x, y, 0.62, random_look(rng), rng.choice(("cheer", "stand", "wave")), "grin"))
        out.append(person(400, 268, 0.7, look("han"), "wave", "grin") + mic_stand(428, 268))
    elif slug == "cheer-wall":
        out.append(rect(0, 0, W, H, "#F3E9D2"))
        out.append(rect(30, 30, 740, 330, "#6E4A2E", 10) + rect(44, 44, 712, 302, "#C9A26B", 6))
        rng = random.Random(8)
        for k, (msg, col) in enumerate(D.CHEER_NOTES):
            x = 60 + (k % 4) * 172
            y = 62 + (k // 4) * 140
            out.append(sticky(x, y, msg, col, 17, rng.uniform(-7, 7), 140))
        out.append(person(200, 480, 0.85, look("jiwoo"), "write", "smile"))
        out.append(person(560, 480, 0.85, look("doyun"), "cheer", "grin", True))
    elif slug == "talk-table":
        out.append(rect(0, 0, W, H, "#E4F1FB"))
        out.append(rect(0, 390, W, 90, "#5DB8A6", opacity=0.5))
        out.append(rect(260, 20, 280, 54, PAL["mint"], 27))
        out.append(text(400, 55, "토론 테이블 3 · Table 3", 22, "#FFFFFF", "bold", "middle"))
        for x, who, flip in ((150, "jiwoo", False), (300, "doyun", False), (500, "mina", True), (650, "minho", True)):
            out.append(person(x, 450, 1.0, look(who), "stand", "smile", flip, sitting=True))
        out.append(ellipse(400, 370, 300, 40, "#C9955E") + rect(385, 370, 30, 90, "#8C5A32"))
        out.append(cup(300, 360) + cup(480, 360, PAL["yellow"]))
        out.append(bulb(250, 160, 1.4) + heart(560, 120, 1.4))
    return "".join(out)


def render_photo(index, slug, ko, en, desc_ko):
    W, H = 800, 560
    svg = Svg(W, H, "%s · %s" % (ko, en), "#FFFFFF")
    svg.add('<clipPath id="p"><rect width="800" height="480"/></clipPath>')
    svg.add(group(photo_scene(slug), clip_path="url(#p)"))
    svg.add(rect(0, 480, W, 80, PAL["navy"]))
    svg.add(text(24, 514, ko, 24, "#FFFFFF", "bold"))
    svg.add(text(24, 544, en, 17, PAL["sky"]))
    svg.add(text(W - 24, 544, "사진 %d/%d · illustration" % (index + 1, len(D.PHOTOS)), 14, "#C7CEDB", None, "end"))
    svg.add(rect(W - 190, 16, 174, 32, "#000000", 16, opacity=0.35))
    svg.add(text(W - 103, 38, "EXPO 2026 · 현장", 15, "#FFFFFF", "bold", "middle"))
    return svg.render()


# ================================================================== booths

def render_booth_poster(org):
    W, H = 800, 1000
    color = org["color"]
    svg = Svg(W, H, "%s · %s" % (org["ko"], org["en"]), PAL["paper"])
    svg.add(rect(0, 0, W, 260, color))
    svg.add(circle(720, 40, 150, "#FFFFFF", opacity=0.12) + circle(660, 250, 70, "#FFFFFF", opacity=0.1))
    svg.add(emblem(120, 130, 66, org["ko"][0], PAL["navy"]))
    name_size = 46 if len(org["ko"]) <= 9 else 38
    svg.add(text(214, 120, org["ko"], name_size, "#FFFFFF", "bold"))
    svg.add(text(216, 160, org["en"], 22, "#FFFFFF", opacity=0.92))
    svg.add(rect(216, 184, 24 + len(org["body"]) * 11, 34, "#FFFFFF", 17, opacity=0.9))
    svg.add(text(230, 207, org["body"], 17, PAL["ink"], "bold"))
    ko, en = org["head"]
    ko_lines = wrap(ko, 36, 700)
    svg.add(text_lines(50, 330, ko_lines, 36, PAL["ink"], "bold", leading=1.25))
    y = 330 + len(ko_lines) * 45
    en_lines = wrap(en, 22, 700)
    svg.add(text_lines(52, y, en_lines, 22, PAL["muted"]))
    y += len(en_lines) * 29 + 20
    for k, (num, fko, fen) in enumerate(org["facts"]):
        svg.add(rect(50, y, 700, 118, "#FFFFFF", 18, stroke="#E3DED3", stroke_width=2))
        svg.add(circle(110, y + 59, 34, color, opacity=0.9))
        svg.add(text(110, y + 70, str(k + 1), 30, "#FFFFFF", "bold", "middle"))
        svg.add(text(170, y + 52, num, 38 if len(num) < 8 else 30, color, "bold"))
        svg.add(text(172, y + 84, fko, 22, PAL["ink"], "bold"))
        svg.add(text(172, y + 106, fen, 16, PAL["muted"]))
        y += 130
    if y > H - 80:
        raise SystemExit("booth poster %s overflows (%d px)" % (org["slug"], y))
    svg.add(rect(0, H - 70, W, 70, PAL["navy"]))
    svg.add(text(W / 2, H - 40, "다시 시작 엑스포 2026 참여기관", 20, "#FFFFFF", "bold", "middle"))
    svg.add(text(W / 2, H - 16, "Partner of Second Start Expo 2026 · 가상 기관 fictional", 14, PAL["sky"], None, "middle"))
    return svg.render()


def render_booth_cards(org):
    cards = []
    color = org["color"]
    total = 3
    # 1: cover
    svg = Svg(1080, 1080, "%s (1/3)" % org["ko"], color)
    svg.add(circle(900, 200, 260, "#FFFFFF", opacity=0.12))
    svg.add(emblem(200, 300, 110, org["ko"][0], PAL["navy"]))
    svg.add(text(90, 540, org["ko"], 96, "#FFFFFF", "bold"))
    svg.add(text(94, 600, org["en"], 40, "#FFFFFF", opacity=0.9))
    ko_lines = wrap(org["head"][0], 44, 900)
    svg.add(text_lines(94, 700, ko_lines, 44, "#FFFFFF", "bold"))
    svg.add(text_lines(96, 700 + len(ko_lines) * 57 + 4, wrap(org["head"][1], 28, 900), 28, "#FFFFFF", opacity=0.9))
    _card_frame(svg, org["body"].split(" · ")[0], 0, total, color, "#FFFFFF")
    cards.append(svg.render())
    # 2: facts
    svg = Svg(1080, 1080, "%s (2/3)" % org["ko"], PAL["paper"])
    svg.add(text(90, 220, "이렇게 함께했어요", 60, PAL["ink"], "bold"))
    svg.add(text(92, 268, "What we did in 2025", 30, PAL["muted"]))
    for k, (num, fko, fen) in enumerate(org["facts"]):
        y = 330 + k * 210
        svg.add(rect(90, y, 900, 180, "#FFFFFF", 30, stroke="#E3DED3", stroke_width=3))
        svg.add(rect(90, y, 16, 180, color))
        svg.add(text(140, y + 92, num, 72, color, "bold"))
        svg.add(text(560, y + 80, fko, 32, PAL["ink"], "bold"))
        svg.add(text_lines(560, y + 124, wrap(fen, 24, 410), 24, PAL["muted"]))
    _card_frame(svg, org["ko"], 1, total, PAL["paper"], color, dark_text=True)
    cards.append(svg.render())
    # 3: quote
    svg = Svg(1080, 1080, "%s (3/3)" % org["ko"], PAL["navy"])
    svg.add(text(90, 330, "“", 220, color, "bold"))
    qko, qen = org["quote"]
    lines = wrap(qko, 58, 900)
    svg.add(text_lines(90, 420, lines, 58, "#FFFFFF", "bold", leading=1.3))
    svg.add(text_lines(92, 420 + len(lines) * 75 + 10, wrap(qen, 32, 900), 32, PAL["sky"]))
    rng = random.Random(len(org["slug"]))
    for k, x in enumerate((560, 700, 840, 980)):
        svg.add(person(x, 990, 1.1, random_look(rng), ("cheer", "wave", "clap", "fist")[k], "grin", k > 1))
    svg.add(text(90, 760, "부스에서 만나요 · Visit our booth", 30, PAL["yellow"], "bold"))
    _card_frame(svg, org["ko"], 2, total, PAL["navy"], color)
    cards.append(svg.render())
    return cards


# ================================================================== video

def video_frame(t, duration=15.0):
    """One 640x360 frame of 'One More Step' at time t seconds."""
    W, H = 640, 360
    svg = Svg(W, H, "frame", "#FFF7EC")
    g = 300
    svg.add(rect(0, g, W, H - g, "#E9E1D3"))
    hero = look("jiwoo")

    def fade(a, b):
        return max(0.0, min(1.0, (t - a) / (b - a)))

    if t < 3:
        a = fade(0, 1)
        svg.add(circle(320, 150, 40 + 200 * fade(0, 2.5), PAL["yellow"], opacity=0.25))
        svg.add(text(320, 160, "한 걸음 더", 56, PAL["navy"], "bold", "middle", opacity=round(a, 2)))
        svg.add(text(320, 205, "One More Step", 26, PAL["coral"], None, "middle", opacity=round(fade(0.6, 1.6), 2)))
        svg.add(person(-40 + 80 * t, g, 0.7, hero, "stand", "smile"))
    elif t < 6:
        k = t - 3
        block_x = 330
        svg.add(rect(block_x, g - 40, 90, 40, PAL["coral"], 4) + text(block_x + 45, g - 14, "실패 FAIL", 17, "#FFFFFF", "bold", "middle"))
        if k < 1.6:
            x = 200 + 80 * k
            bob = -6 * abs(math.sin(k * 8))
            svg.add(person(x, g + bob, 0.7, hero, "stand", "smile"))
        else:
            ang = min(80, (k - 1.6) * 200)
            svg.add(group(person(0, 0, 0.7, hero, "sad", "wow"), "translate(330 %d) rotate(%d)" % (g, ang)))
            svg.add(text(320, 90, "넘어졌어요", 34, PAL["ink"], "bold", "middle", opacity=round(min(1, (k - 1.6) * 2), 2)))
            svg.add(text(320, 124, "We fall", 20, PAL["muted"], None, "middle", opacity=round(min(1, (k - 1.6) * 2), 2)))
    elif t < 9:
        k = t - 6
        svg.add(rect(330, g - 40, 90, 40, PAL["coral"], 4, opacity=0.5))
        ang = 80 if k < 2.2 else max(0, 80 * (1 - (k - 2.2) / 0.7))
        svg.add(group(person(0, 0, 0.7, hero, "sad" if ang > 40 else "stand", "sad" if ang > 40 else "smile"),
                      "translate(330 %d) rotate(%d)" % (g, ang)))
        for i in range(6):
            x = 60 + i * 100
            y = 260 - ((k * 70 + i * 37) % 200)
            svg.add(heart(x, y, 0.9, (PAL["coral"], PAL["pink"], PAL["mint"])[i % 3]))
        svg.add(text(320, 90, "괜찮아요, 다시 일어나요", 34, PAL["ink"], "bold", "middle", opacity=round(fade(6.2, 7), 2)))
        svg.add(text(320, 124, "It's okay. Get up again.", 20, PAL["muted"], None, "middle", opacity=round(fade(6.2, 7), 2)))
    elif t < 13:
        k = t - 9
        labels = ["상담", "멘토링", "훈련"]
        svg.add(steps(300, g, labels, 100, 50))
        svg.add(text(30, 110, "상담 · 멘토링 · 훈련", 21, PAL["ink"], "bold"))
        svg.add(text_lines(30, 140, ["Counselling ·", "Mentoring · Training"], 15, PAL["muted"], leading=1.3))
        pos = min(3.0, k * 1.0)
        spots = [(250, g)] + [(300 + i * 100 + 50, g - 50 * (i + 1)) for i in range(3)]
        i = min(int(pos), 2)
        frac = pos - i
        (x0, y0), (x1, y1) = spots[i], spots[i + 1]
        ease = frac * frac * (3 - 2 * frac)
        x = x0 + (x1 - x0) * ease
        y = y0 + (y1 - y0) * ease - 30 * math.sin(frac * math.pi)
        svg.add(person(x, y, 0.7, hero, "stand" if k < 3 else "fist", "grin"))
    else:
        svg.add(steps(300, g, ["상담", "멘토링", "훈련"], 100, 50))
        svg.add(person(540, g - 150, 0.7, hero, "cheer", "grin"))
        svg.add(line(585, g - 150, 585, g - 250, "#5B6475", 4))
        svg.add(poly([(585, g - 250), (630, g - 232), (585, g - 214)], PAL["coral"]))
        svg.add(confetti(20, 10, 620, 200, 30, int(t * 4)))
        svg.add(rect(40, 40, 330, 100, PAL["navy"], 12, opacity=round(fade(13, 13.5), 2)))
        svg.add(text(205, 84, D.EVENT_KO, 28, "#FFFFFF", "bold", "middle", opacity=round(fade(13, 13.5), 2)))
        svg.add(text(205, 118, D.EVENT_EN, 18, PAL["yellow"], None, "middle", opacity=round(fade(13, 13.5), 2)))
    return svg.render()


def make_video(out_path, fps=12, duration=15.0):
    """Renders frames with rsvg-convert and encodes WebM (VP9) with ffmpeg. Returns a message."""
    rsvg = shutil.which("rsvg-convert")
    ffmpeg = shutil.which("ffmpeg")
    if not rsvg or not ffmpeg:
        if os.path.isfile(out_path):
            return "kept existing %s (rsvg-convert or ffmpeg not installed)" % os.path.basename(out_path)
        raise SystemExit("cannot make %s: install librsvg2-bin, ffmpeg and fonts-nanum "
                         "(apt-get install -y librsvg2-bin ffmpeg fonts-nanum)" % out_path)
    work = tempfile.mkdtemp(prefix="expo-video-")
    try:
        frames = int(duration * fps)
        for i in range(frames):
            svg_path = os.path.join(work, "f%04d.svg" % i)
            with open(svg_path, "w", encoding="utf-8") as handle:
                handle.write(video_frame(i / fps, duration))
            subprocess.run([rsvg, "-w", "640", "-h", "360", "-o", os.path.join(work, "f%04d.png" % i), svg_path], check=True)
        os.makedirs(os.path.dirname(out_path), exist_ok=True)
        subprocess.run([ffmpeg, "-y", "-loglevel", "error", "-framerate", str(fps), "-i", os.path.join(work, "f%04d.png"),
                        "-vf", "fps=24,format=yuv420p", "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "38", "-row-mt", "1",
                        "-deadline", "good", "-cpu-used", "4", "-an", "-metadata", "title=한 걸음 더 · One More Step",
                        out_path], check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return "made %s (%d bytes)" % (os.path.basename(out_path), os.path.getsize(out_path))


# ================================================================== everything

def write_all(content_dir, make_video_file=True, log=print):
    exhibits = {}
    # Photos.
    for i, (slug, ko, en, dko, den) in enumerate(D.PHOTOS):
        rel = _write(content_dir, "photos/%02d-%s.svg" % (i + 1, slug), render_photo(i, slug, ko, en, dko))
        exhibits["photo-" + slug] = dict(kind="photo", title=_kt(ko, en), description="%s %s" % (dko, den), src=[rel])
    # Comics.
    for comic in D.COMICS:
        pages = []
        for p in range(len(comic["pages"])):
            pages.append(_write(content_dir, "comics/%s/p%d.svg" % (comic["slug"], p + 1),
                                render_comic_page(comic, p, len(comic["pages"]))))
        exhibits["comic-" + comic["slug"]] = dict(kind="comic", title=_kt(*comic["title"]),
                                                  description="%s %s" % comic["description"], src=pages)
    # Webtoons.
    for toon in D.WEBTOONS:
        markup, used = render_webtoon(toon)
        if used > 3000 - 170:
            raise SystemExit("webtoon %s overflows its strip (%d px)" % (toon["slug"], used))
        rel = _write(content_dir, "stories/webtoon/%s.svg" % toon["slug"], markup)
        exhibits["webtoon-" + toon["slug"]] = dict(kind="webtoon", title=_kt(*toon["title"]),
                                                   description="%s %s" % toon["description"], src=[rel])
    # Card news.
    for cset in D.CARDNEWS:
        cards = []
        for i, card in enumerate(cset["cards"]):
            cards.append(_write(content_dir, "stories/cardnews/%s/%02d.svg" % (cset["slug"], i + 1),
                                render_card(cset, card, i, len(cset["cards"]))))
        exhibits["cardnews-" + cset["slug"]] = dict(kind="cardnews", title=_kt(*cset["title"]),
                                                    description="%s %s" % cset["description"], src=cards)
    # Video.
    video_rel = "stories/video/%s.webm" % D.VIDEO["slug"]
    if make_video_file:
        log("  video: " + make_video(os.path.join(content_dir, video_rel)))
    exhibits["video-" + D.VIDEO["slug"]] = dict(kind="video", title=_kt(*D.VIDEO["title"]),
                                                description="%s %s" % D.VIDEO["description"], src=[video_rel])
    # Booths.
    for org in D.ORGS:
        if org["kind"] == "cardnews":
            src = [_write(content_dir, "booths/%s/%02d.svg" % (org["slug"], i + 1), card)
                   for i, card in enumerate(render_booth_cards(org))]
        else:
            src = [_write(content_dir, "booths/%s/poster.svg" % org["slug"], render_booth_poster(org))]
        exhibits["booth-" + org["slug"]] = dict(
            kind=org["kind"], title=_kt(org["ko"], org["en"]),
            description="%s — %s (%s) %s" % (org["head"][0], org["head"][1], org["body"],
                                              " · ".join("%s %s" % (f[0], f[1]) for f in org["facts"])),
            src=src)
    # Boards.
    exhibits["cheer-wall"] = dict(kind="board", title="응원의 벽 · Cheer Wall",
                                  description="다시 시작하는 모든 사람에게 응원의 한마디를 남겨 주세요. "
                                              "Leave a word of cheer for everyone starting again.", src=[])
    exhibits["guestbook"] = dict(kind="board", title="방명록 · Guestbook",
                                 description="엑스포에 다녀간 흔적을 남겨 주세요. Sign the guestbook and say hello.", src=[])
    # Quiz.
    import json
    _write(content_dir, "quiz/expo-quiz.json", json.dumps(D.QUIZ, ensure_ascii=False, indent=2) + "\n")
    return exhibits
