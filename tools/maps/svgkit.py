"""Small SVG drawing kit for the expo content: shapes, wrapped text, people, bubbles, props.

Everything returns SVG markup strings; nothing here reads or writes files. The output is
self-contained: no external images or fonts (generic `sans-serif` ends the font list).
"""

import random
import re

FONT = "'Noto Sans KR','Malgun Gothic','Apple SD Gothic Neo',NanumGothic,sans-serif"

PAL = {
    "navy": "#1F3A5F", "coral": "#FF6B5B", "yellow": "#FFC94A", "mint": "#3DBFA8",
    "sky": "#8EC9F0", "cream": "#FFF7EC", "ink": "#23262F", "gray": "#E9EDF2",
    "purple": "#8C7AE6", "pink": "#FF9AA2", "green": "#6BBF59", "white": "#FFFFFF",
    "muted": "#5B6475", "wood": "#C9955E", "night": "#16243A", "paper": "#FFFDF8",
}

SKINS = ["#F6D3B3", "#EBC29C", "#D9A97E", "#F2C7A5", "#C98E68"]
HAIRS = ["#2B2118", "#4A3222", "#1C1C22", "#6B4A2E", "#8A8F99"]
SHIRTS = ["#FF6B5B", "#3DBFA8", "#FFC94A", "#8C7AE6", "#4A78B8", "#FF9AA2", "#6BBF59", "#F08A4B"]
PANTS = ["#2F3E55", "#3B3F4A", "#5B6475", "#1F3A5F"]


def n(v):
    """Compact number formatting."""
    if isinstance(v, int):
        return str(v)
    r = round(v, 1)
    return str(int(r)) if r == int(r) else str(r)


def esc(text):
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _attrs(extra):
    out = ""
    for key, value in extra.items():
        if value is None:
            continue
        if key == "stroke_linecap" and value == "round" and "class_" not in extra:
            out += ' class="r"'
            continue
        if key == "class_":
            out += ' class="%s"' % value
            continue
        out += ' %s="%s"' % (key.replace("_", "-"), esc(value) if isinstance(value, str) else n(value))
    return out


def rect(x, y, w, h, fill, rx=0, **extra):
    r = ' rx="%s"' % n(rx) if rx else ""
    return '<rect x="%s" y="%s" width="%s" height="%s"%s fill="%s"%s/>' % (n(x), n(y), n(w), n(h), r, fill, _attrs(extra))


def circle(cx, cy, r, fill, **extra):
    return '<circle cx="%s" cy="%s" r="%s" fill="%s"%s/>' % (n(cx), n(cy), n(r), fill, _attrs(extra))


def ellipse(cx, cy, rx, ry, fill, **extra):
    return '<ellipse cx="%s" cy="%s" rx="%s" ry="%s" fill="%s"%s/>' % (n(cx), n(cy), n(rx), n(ry), fill, _attrs(extra))


def path(d, fill="none", **extra):
    if fill == "none" and extra.get("stroke_linecap") == "round":
        return '<path d="%s"%s/>' % (d, _attrs(extra))  # class "r" sets fill:none
    return '<path d="%s" fill="%s"%s/>' % (d, fill, _attrs(extra))


def use(ref, **extra):
    return '<use href="#%s"%s/>' % (ref, _attrs(extra))


def line(x1, y1, x2, y2, stroke, width=2, **extra):
    return '<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>' % (
        n(x1), n(y1), n(x2), n(y2), stroke, n(width), _attrs(extra))


def poly(points, fill, **extra):
    pts = " ".join("%s,%s" % (n(x), n(y)) for x, y in points)
    return '<polygon points="%s" fill="%s"%s/>' % (pts, fill, _attrs(extra))


def group(inner, transform=None, **extra):
    t = ' transform="%s"' % transform if transform else ""
    return "<g%s%s>%s</g>" % (t, _attrs(extra), "".join(inner) if isinstance(inner, list) else inner)


def text(x, y, s, size, fill, weight=None, anchor=None, **extra):
    cls = ' class="b"' if weight == "bold" else ""
    a = ' text-anchor="%s"' % anchor if anchor else ""
    return '<text x="%s" y="%s" font-size="%s" fill="%s"%s%s%s>%s</text>' % (
        n(x), n(y), n(size), fill, cls, a, _attrs(extra), esc(s))


def text_lines(x, y, lines, size, fill, weight=None, anchor=None, leading=1.3, **extra):
    """Several lines in one <text>; y is the first baseline."""
    if not lines:
        return ""
    if len(lines) == 1:
        return text(x, y, lines[0], size, fill, weight, anchor, **extra)
    cls = ' class="b"' if weight == "bold" else ""
    a = ' text-anchor="%s"' % anchor if anchor else ""
    spans = []
    for i, ln in enumerate(lines):
        dy = "0" if i == 0 else n(size * leading)
        spans.append('<tspan x="%s" dy="%s">%s</tspan>' % (n(x), dy, esc(ln)))
    return '<text x="%s" y="%s" font-size="%s" fill="%s"%s%s%s>%s</text>' % (
        n(x), n(y), n(size), fill, cls, a, _attrs(extra), "".join(spans))


def char_width(ch):
    o = ord(ch)
    if o >= 0x1100 and (0x1100 <= o <= 0x11FF or 0x2E80 <= o <= 0xD7FF or 0xF900 <= o <= 0xFFDC):
        return 0.96
    if ch == " ":
        return 0.3
    if ch in "il.,:;'!|":
        return 0.3
    if ch in "mwMW@":
        return 0.88
    if ch.isupper() or ch.isdigit():
        return 0.64
    if ch in "·—–":
        return 0.5
    return 0.54


def text_width(s, size):
    return sum(char_width(c) for c in s) * size


def wrap(s, size, max_width):
    """Greedy word wrap by estimated glyph widths; breaks over-long words by character."""
    lines = []
    for paragraph in str(s).split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = word if not current else current + " " + word
            if text_width(candidate, size) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while text_width(word, size) > max_width:
                cut = len(word)
                while cut > 1 and text_width(word[:cut], size) > max_width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


class Svg:
    def __init__(self, width, height, title, bg=None):
        self.width = width
        self.height = height
        self.title = title
        self.parts = []
        if bg:
            self.parts.append(rect(0, 0, width, height, bg))

    def add(self, *parts):
        for part in parts:
            if isinstance(part, (list, tuple)):
                self.parts.extend(part)
            elif part:
                self.parts.append(part)
        return self

    def render(self):
        head = ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">'
                % (self.width, self.height, self.width, self.height))
        head += "<title>%s</title>" % esc(self.title)
        head += "<style>text{font-family:%s}.b{font-weight:700}.r{fill:none;stroke-linecap:round;stroke-linejoin:round}</style>" % FONT
        used = [key for key in DEFS if ('"#%s"' % key) in "".join(self.parts)]
        if used:
            head += "<defs>%s</defs>" % "".join(DEFS[key] for key in used)
        return minify(head + "".join(self.parts) + "</svg>\n")


def minify(markup):
    """Shortens colours (#AABBCC -> #abc) and drops zero positions; the drawing is unchanged."""
    markup = re.sub(r"#([0-9A-Fa-f])\1([0-9A-Fa-f])\2([0-9A-Fa-f])\3\b", lambda m: "#" + (m.group(1) + m.group(2) + m.group(3)).lower(), markup)
    markup = markup.replace(' x="0" y="0"', "").replace(' dy="0"', "")
    return markup


# ---------------------------------------------------------------- people

class Look:
    """How a character looks: colours and hair style."""

    def __init__(self, skin, hair, shirt, pants, style="short", glasses=False, jacket=None):
        self.skin, self.hair, self.shirt, self.pants = skin, hair, shirt, pants
        self.style, self.glasses, self.jacket = style, glasses, jacket


def random_look(rng):
    return Look(rng.choice(SKINS), rng.choice(HAIRS), rng.choice(SHIRTS), rng.choice(PANTS),
                rng.choice(("short", "bob", "pony", "curly", "short")))


_HAIR_SHAPES = {
    "short": '<path id="h-short" d="M-26,-130 C-31,-170 31,-170 26,-130 L24,-140 C12,-152 -12,-152 -24,-140Z"/>',
    "bob": '<path id="h-bob" d="M-26,-130 C-31,-170 31,-170 26,-130 L24,-140 C12,-152 -12,-152 -24,-140Z'
           'M-26,-138 C-28,-168 28,-168 26,-138 L27,-116 L18,-116 L17,-140 C5,-150 -8,-150 -17,-140 L-18,-116 L-27,-116Z"/>',
    "pony": '<path id="h-pony" d="M-26,-130 C-31,-170 31,-170 26,-130 L24,-140 C12,-152 -12,-152 -24,-140Z'
            'M15,-150a10,10 0 1 0 20,0a10,10 0 1 0 -20,0M24,-138a7,7 0 1 0 14,0a7,7 0 1 0 -14,0"/>',
    "curly": '<path id="h-curly" d="' + "".join("M%d,%da9,9 0 1 0 18,0a9,9 0 1 0 -18,0" % (x - 9, y) for x, y in
                                                ((-18, -146), (-6, -156), (8, -156), (19, -146), (-23, -134), (23, -134))) + '"/>',
    "bald": '<path id="h-bald" d="M-25,-132 C-27,-142 -20,-146 -17,-140Z M25,-132 C27,-142 20,-146 17,-140Z"/>',
}

DEFS = {
    "legs": '<path id="legs" class="r" d="M-9,-50V-8M9,-50V-8" stroke-width="12"/>',
    "shoes": '<path id="shoes" class="r" d="M-14,-2h6M8,-2h6" stroke="#23262F" stroke-width="8"/>',
    "legs-sit": '<path id="legs-sit" class="r" d="M-12,-48H18V-6M-12,-48H-4" stroke-width="12"/>',
    "shoes-sit": '<path id="shoes-sit" class="r" d="M16,-2h10" stroke="#23262F" stroke-width="8"/>',
    "body": '<rect id="body" x="-23" y="-112" width="46" height="62" rx="15"/>',
    "head": '<circle id="head" cy="-136" r="25"/>',
    "eyes": '<path id="eyes" class="r" d="M-9,-136h0M9,-136h0" stroke="#23262F" stroke-width="6"/>',
    "cheeks": '<path id="cheeks" class="r" d="M-15,-126h0M15,-126h0" stroke="#FF9AA2" stroke-width="8" opacity="0.55"/>',
    "brows": '<path id="brows" class="r" d="M-15,-146L-4,-143M15,-146L4,-143" stroke="#23262F" stroke-width="2"/>',
    "m-smile": '<path id="m-smile" class="r" d="M-8,-123 Q0,-114 8,-123" stroke="#23262F" stroke-width="2.6"/>',
    "m-sad": '<path id="m-sad" class="r" d="M-7,-118 Q0,-125 7,-118" stroke="#23262F" stroke-width="2.6"/>',
    "m-neutral": '<path id="m-neutral" class="r" d="M-6,-121h12" stroke="#23262F" stroke-width="2.6"/>',
    "m-wow": '<ellipse id="m-wow" cx="0" cy="-120" rx="4.5" ry="6" fill="#23262F"/>',
    "m-grin": '<path id="m-grin" d="M-10,-124 Q0,-110 10,-124Z" fill="#FFFFFF" stroke="#23262F" stroke-width="2.4" stroke-linejoin="round"/>',
    "glasses": '<path id="glasses" fill="none" d="M-16.5,-136a7.5,7.5 0 1 0 15,0a7.5,7.5 0 1 0 -15,0h18a7.5,7.5 0 1 0 15,0a7.5,7.5 0 1 0 -15,0" stroke="#23262F" stroke-width="2"/>',
}
for _style, _markup in _HAIR_SHAPES.items():
    DEFS["h-" + _style] = _markup


def _hair(look):
    return use("h-" + (look.style if look.style in _HAIR_SHAPES else "short"), fill=look.hair)


ARMS = {
    "stand": ((-26, -60), (26, -60)),
    "cheer": ((-36, -146), (36, -146)),
    "wave": ((-26, -60), (38, -146)),
    "point": ((-26, -60), (56, -108)),
    "hold": ((-4, -84), (4, -84)),
    "think": ((-26, -60), (6, -118)),
    "clap": ((-4, -106), (4, -106)),
    "sad": ((-20, -58), (20, -58)),
    "write": ((-26, -60), (40, -96)),
    "fist": ((-26, -60), (32, -150)),
}

def person(x, y, s=1.0, look=None, pose="stand", face="smile", flip=False, sitting=False):
    """A friendly figure standing with its feet at (x, y); about 165*s px tall."""
    look = look or Look(SKINS[0], HAIRS[0], SHIRTS[0], PANTS[0])
    parts = []
    if sitting:
        parts.append(use("legs-sit", stroke=look.pants) + use("shoes-sit"))
    else:
        parts.append(use("legs", stroke=look.pants) + use("shoes"))
    body_color = look.jacket or look.shirt
    parts.append(use("body", fill=body_color))
    if look.jacket:
        parts.append(poly([(-8, -112), (8, -112), (0, -92)], look.shirt))
    (lx, ly), (rx, ry) = ARMS.get(pose, ARMS["stand"])
    parts.append(path("M-18,-100L%s,%sM18,-100L%s,%s" % (n(lx), n(ly), n(rx), n(ry)), stroke=body_color, stroke_width=11,
                      stroke_linecap="round"))
    parts.append(path("M%s,%sh0M%s,%sh0" % (n(lx), n(ly), n(rx), n(ry)), stroke=look.skin, stroke_width=13, stroke_linecap="round"))
    head = [use("head", fill=look.skin), _hair(look), use("eyes")]
    if face in ("smile", "grin"):
        head.append(use("cheeks"))
    if face == "sad":
        head.append(use("brows"))
    head.append(use("m-" + (face if face in ("smile", "sad", "neutral", "wow", "grin") else "smile")))
    if look.glasses:
        head.append(use("glasses"))
    if face == "sad" or pose == "sad":
        parts.append(group(head, "rotate(8 0 -112)"))
    else:
        parts.extend(head)
    t = "translate(%s %s)" % (n(x), n(y))
    if s != 1:
        t += " scale(%s)" % n(s) if not flip else " scale(-%s %s)" % (n(s), n(s))
    elif flip:
        t += " scale(-1 1)"
    return group(parts, t)


def crowd(x0, x1, y, rows=3, seed=1, scale=1.0, cheering=0.3, dark=False):
    """Heads and shoulders seen from behind, in rows receding upward from y (one path per colour)."""
    rng = random.Random(seed)
    layers = []
    for row in range(rows - 1, -1, -1):
        s = scale * (1 - 0.12 * row)
        yy = y - row * 34 * scale
        step = 46 * s
        x = x0 + rng.uniform(0, step)
        bodies, heads, arms, hands = {}, {}, {}, {}
        while x < x1:
            cx = x + rng.uniform(-6, 6)
            shirt = "#2A3850" if dark else rng.choice(SHIRTS)
            hair = rng.choice(HAIRS)
            if rng.random() < cheering:
                side = rng.choice((1, -1))
                hx, hy = cx + 26 * s * side, yy - 80 * s
                arms.setdefault(shirt, []).append("M%s,%sL%s,%s" % (n(cx + 14 * s * side), n(yy - 30 * s), n(hx), n(hy)))
                hands.setdefault(rng.choice(SKINS), []).append("M%s,%sh0" % (n(hx), n(hy)))
            bodies.setdefault(shirt, []).append("M%s,%sq%s,%s %s,0z" % (n(cx - 22 * s), n(yy), n(22 * s), n(-70 * s), n(44 * s)))
            r = 16 * s
            heads.setdefault(hair, []).append("M%s,%sa%s,%s 0 1 0 %s,0a%s,%s 0 1 0 %s,0" % (
                n(cx - r), n(yy - 52 * s), n(r), n(r), n(2 * r), n(r), n(r), n(-2 * r)))
            x += step * rng.uniform(0.85, 1.15)
        for col, segs in arms.items():
            layers.append(path("".join(segs), stroke=col, stroke_width=9 * s, stroke_linecap="round"))
        for col, segs in hands.items():
            layers.append(path("".join(segs), stroke=col, stroke_width=11 * s, stroke_linecap="round"))
        for col, segs in bodies.items():
            layers.append(path("".join(segs), col))
        for col, segs in heads.items():
            layers.append(path("".join(segs), col))
    return "".join(layers)


# ---------------------------------------------------------------- bubbles and captions

def bubble(x, y, w, ko, en=None, tail=None, size=22, fill="#FFFFFF", stroke="#23262F", shout=False):
    """A speech bubble whose top-left is (x, y); returns (markup, height)."""
    pad = 14
    ko_lines = wrap(ko, size, w - 2 * pad)
    en_size = round(size * 0.72, 1)
    en_lines = wrap(en, en_size, w - 2 * pad) if en else []
    h = pad * 2 + len(ko_lines) * size * 1.25 + (len(en_lines) * en_size * 1.25 + 4 if en_lines else 0) - 4
    out = []
    if tail:
        tx, ty = tail
        bx = min(max(tx, x + 30), x + w - 30)
        by = y + h if ty > y + h / 2 else y
        out.append(poly([(bx - 12, by), (bx + 12, by), (tx, ty)], fill, stroke=stroke, stroke_width=2.5, stroke_linejoin="round"))
    out.append(rect(x, y, w, h, fill, 18 if not shout else 4, stroke=stroke, stroke_width=2.5))
    if tail:
        out.append(line(bx - 10.5, by, bx + 10.5, by, fill, 3.2))
    cx = x + w / 2
    out.append(text_lines(cx, y + pad + size * 0.9, ko_lines, size, PAL["ink"], weight="bold", anchor="middle", leading=1.25))
    if en_lines:
        out.append(text_lines(cx, y + pad + len(ko_lines) * size * 1.25 + en_size * 0.95, en_lines, en_size, PAL["muted"],
                              anchor="middle", leading=1.25))
    return "".join(out), h


def caption_box(x, y, w, ko, en=None, size=20, fill=None, color=None):
    """A narration box; returns (markup, height)."""
    fill = fill or PAL["yellow"]
    color = color or PAL["ink"]
    pad = 12
    ko_lines = wrap(ko, size, w - 2 * pad)
    en_size = round(size * 0.75, 1)
    en_lines = wrap(en, en_size, w - 2 * pad) if en else []
    h = pad * 2 + len(ko_lines) * size * 1.25 + len(en_lines) * en_size * 1.25 - 2
    out = [rect(x, y, w, h, fill, 6)]
    out.append(text_lines(x + pad, y + pad + size * 0.9, ko_lines, size, color, weight="bold", leading=1.25))
    if en_lines:
        out.append(text_lines(x + pad, y + pad + len(ko_lines) * size * 1.25 + en_size * 0.95, en_lines, en_size, color,
                              leading=1.25, opacity=0.8))
    return "".join(out), h


# ---------------------------------------------------------------- props

def desk(x, y, w, color=None):
    color = color or PAL["wood"]
    return rect(x, y - 66, w, 12, color, 4) + rect(x + 10, y - 56, 8, 56, "#8C5A32") + rect(x + w - 18, y - 56, 8, 56, "#8C5A32")


def laptop(x, y, color="#5B6475"):
    return (path("M%s,%s l10,-40 h50 l-10,40z" % (n(x), n(y)), color) + rect(x - 6, y - 4, 66, 6, "#3B3F4A", 2)
            + circle(x + 33, y - 20, 4, "#FFFFFF", opacity=0.7))


def cup(x, y, color="#FFFFFF"):
    return rect(x, y - 18, 14, 18, color, 3, stroke="#5B6475", stroke_width=1.5) + path(
        "M%s,%s q7,0 0,10" % (n(x + 14), n(y - 14)), stroke="#5B6475", stroke_width=2)


def books(x, y):
    out = []
    for i, col in enumerate(("#FF6B5B", "#3DBFA8", "#4A78B8", "#FFC94A")):
        out.append(rect(x + (i % 2) * 4, y - 14 * (i + 1), 56, 13, col, 2))
        out.append(rect(x + (i % 2) * 4 + 4, y - 14 * (i + 1) + 5, 40, 2, "#FFFFFF", opacity=0.7))
    return "".join(out)


def shop(x, y, w=220, h=190, closed=True, sign="CAFE", color="#F08A4B"):
    out = [rect(x, y - h, w, h, "#F3E9D2"), rect(x, y - h, w, 36, color)]
    out.append(path("M%s,%sh%s" % (n(x), n(y - h + 45), n(w - 14)), stroke=color, stroke_width=18, stroke_dasharray="14 14",
                    opacity=0.75))
    out.append(text(x + w / 2, y - h + 25, sign, 20, "#FFFFFF", "bold", "middle"))
    out.append(rect(x + 16, y - h + 70, w * 0.45, h - 70, "#9FD6F0", stroke="#5B6475", stroke_width=3))
    out.append(rect(x + w * 0.62, y - h + 70, w * 0.3, h - 70, "#8C5A32"))
    if closed:
        sx, sy = x + w * 0.62 + 4, y - h + 100
        out.append(line(sx + 10, sy - 14, sx + w * 0.15 - 4, sy - 26, "#5B6475", 2))
        out.append(line(sx + w * 0.3 - 18, sy - 14, sx + w * 0.15 - 4, sy - 26, "#5B6475", 2))
        out.append(rect(sx, sy - 14, w * 0.3 - 8, 28, "#FFFFFF", 3, stroke="#FF6B5B", stroke_width=2))
        out.append(text(sx + (w * 0.3 - 8) / 2, sy + 6, "CLOSED", 13, "#FF6B5B", "bold", "middle"))
    return "".join(out)


def plant(x, y, s=1.0):
    return group([rect(-14, -30, 28, 30, "#A0522D", 4), ellipse(-12, -50, 14, 22, "#3BA86A"),
                  ellipse(12, -52, 14, 24, "#2E8B57"), ellipse(0, -64, 12, 24, "#48B878")],
                 "translate(%s %s) scale(%s)" % (n(x), n(y), n(s)))


def heart(x, y, s=1.0, color=None):
    color = color or PAL["coral"]
    return group([path("M0,0 c-10,-14 -30,-6 -22,10 l22,22 l22,-22 c8,-16 -12,-24 -22,-10z", color)],
                 "translate(%s %s) scale(%s)" % (n(x), n(y), n(s)))


def star(x, y, r, color):
    import math
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.45
        pts.append((x + rr * math.cos(a), y + rr * math.sin(a)))
    return poly(pts, color)


def steps(x, y, labels, step_w=110, step_h=40, colors=None):
    colors = colors or [PAL["mint"], PAL["sky"], PAL["yellow"], PAL["coral"], PAL["purple"]]
    out = []
    for i, lab in enumerate(labels):
        sx = x + i * step_w
        h = step_h * (i + 1)
        out.append(rect(sx, y - h, step_w, h, colors[i % len(colors)]))
        out.append(text(sx + step_w / 2, y - h + 26, lab, 18, PAL["ink"], "bold", "middle"))
    return "".join(out)


def trophy(x, y, s=1.0):
    return group([rect(-14, -10, 28, 10, "#8C5A32", 2), rect(-5, -28, 10, 18, "#E0A800"),
                  path("M-20,-62 h40 v10 a20,20 0 0 1 -40,0z", "#FFC94A"),
                  path("M-20,-58 q-14,2 -8,16 q4,6 10,4 M20,-58 q14,2 8,16 q-4,6 -10,4", stroke="#FFC94A", stroke_width=4),
                  star(0, -44, 7, "#FFFFFF")],
                 "translate(%s %s) scale(%s)" % (n(x), n(y), n(s)))


def confetti(x0, y0, x1, y1, count, seed):
    rng = random.Random(seed)
    cols = (PAL["coral"], PAL["yellow"], PAL["mint"], PAL["sky"], PAL["purple"], PAL["pink"])
    bits = {}
    for _ in range(count):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        dx, dy = rng.choice(((7, 2), (6, -3), (3, 6), (-2, 7)))
        bits.setdefault(rng.choice(cols), []).append("M%d,%dl%d,%dl%d,%dl%d,%dz" % (x, y, dx, dy, -dy, dx, -dx, -dy))
    return "".join(path("".join(segs), col) for col, segs in bits.items())


def sticky(x, y, msg, color, size=16, angle=0, w=120):
    lines = wrap(msg, size, w - 16)
    h = max(w * 0.8, 20 + len(lines) * size * 1.3)
    inner = [rect(0, 0, w, h, color, 2), rect(w * 0.3, -6, w * 0.4, 12, "#FFFFFF", opacity=0.6),
             text_lines(w / 2, 12 + size, lines, size, PAL["ink"], "bold", "middle", 1.3)]
    return group(inner, "translate(%s %s) rotate(%s)" % (n(x), n(y), n(angle)))


def spotlight(x, y0, y1, spread, color="#FFF3B0"):
    return poly([(x - 10, y0), (x + 10, y0), (x + spread, y1), (x - spread, y1)], color, opacity=0.25)


def banner(x, y, w, h, ko, en=None, fill=None, color="#FFFFFF", size=30):
    fill = fill or PAL["coral"]
    out = [rect(x, y, w, h, fill, 8)]
    if en:
        out.append(text(x + w / 2, y + h * 0.48, ko, size, color, "bold", "middle"))
        out.append(text(x + w / 2, y + h * 0.48 + size * 0.95, en, size * 0.6, color, None, "middle", opacity=0.9))
    else:
        out.append(text(x + w / 2, y + h / 2 + size * 0.35, ko, size, color, "bold", "middle"))
    return "".join(out)


def mic_stand(x, y):
    return line(x, y, x, y - 110, "#3B3F4A", 4) + ellipse(x, y - 114, 6, 9, "#23262F") + rect(x - 16, y - 4, 32, 4, "#3B3F4A")


def podium(x, y, w=90, h=100, label=None):
    out = [path("M%s,%s h%s l-8,%s h%s z" % (n(x), n(y - h), n(w), n(h), n(-(w - 16))), "#8C5A32"),
           rect(x - 4, y - h - 8, w + 8, 12, "#C9955E", 3)]
    if label:
        out.append(text(x + w / 2, y - h / 2 + 8, label, 16, "#FFFFFF", "bold", "middle"))
    return "".join(out)


def signpost(x, y, labels):
    cols = (PAL["mint"], PAL["coral"], PAL["yellow"], PAL["sky"])
    out = [rect(x - 5, y - 230, 10, 230, "#8C5A32")]
    for i, lab in enumerate(labels):
        yy = y - 220 + i * 56
        right = i % 2 == 0
        w = 150
        if right:
            out.append(poly([(x, yy), (x + w, yy), (x + w + 20, yy + 20), (x + w, yy + 40), (x, yy + 40)], cols[i % 4]))
            out.append(text(x + w / 2 + 4, yy + 27, lab, 17, PAL["ink"], "bold", "middle"))
        else:
            out.append(poly([(x, yy), (x - w, yy), (x - w - 20, yy + 20), (x - w, yy + 40), (x, yy + 40)], cols[i % 4]))
            out.append(text(x - w / 2 - 4, yy + 27, lab, 17, PAL["ink"], "bold", "middle"))
    return "".join(out)


def document(x, y, w=70, h=90, color="#FFFFFF", lines_color="#C7CEDB", check=False):
    out = [rect(x, y, w, h, color, 4, stroke="#5B6475", stroke_width=2)]
    for i in range(4):
        out.append(rect(x + 10, y + 16 + i * 16, w - 20 - (i % 2) * 12, 5, lines_color, 2))
    if check:
        out.append(path("M%s,%s l8,8 l16,-18" % (n(x + w - 30), n(y + h - 22)), stroke=PAL["mint"], stroke_width=5,
                        stroke_linecap="round"))
    return "".join(out)


def phone(x, y):
    return rect(x, y, 34, 60, "#23262F", 6) + rect(x + 3, y + 6, 28, 44, "#8EC9F0", 2) + circle(x + 17, y + 55, 2.5, "#5B6475")


def calendar(x, y, mark="D-30"):
    out = [rect(x, y, 110, 100, "#FFFFFF", 6, stroke="#5B6475", stroke_width=2), rect(x, y, 110, 26, PAL["coral"], 6),
           rect(x, y + 18, 110, 8, PAL["coral"])]
    for r in range(3):
        for c in range(5):
            out.append(rect(x + 10 + c * 19, y + 34 + r * 20, 13, 13, "#E9EDF2", 2))
    out.append(text(x + 55, y + 19, mark, 16, "#FFFFFF", "bold", "middle"))
    return "".join(out)


def chart(x, y, values, w=160, h=110, color=None):
    color = color or PAL["mint"]
    out = [rect(x, y - h, w, h, "#FFFFFF", 6, stroke="#C7CEDB", stroke_width=2)]
    bw = (w - 20) / len(values)
    for i, v in enumerate(values):
        bh = (h - 24) * v
        out.append(rect(x + 10 + i * bw + 4, y - 10 - bh, bw - 8, bh, color, 3))
    return "".join(out)


def sun(x, y, r=34):
    out = [circle(x, y, r, PAL["yellow"])]
    for i in range(8):
        import math
        a = i * math.pi / 4
        out.append(line(x + math.cos(a) * (r + 8), y + math.sin(a) * (r + 8), x + math.cos(a) * (r + 22),
                        y + math.sin(a) * (r + 22), PAL["yellow"], 5, stroke_linecap="round"))
    return "".join(out)


def cloud(x, y, s=1.0, color="#FFFFFF", opacity=1):
    return group([ellipse(0, 0, 40, 22, color), ellipse(-30, 8, 28, 16, color), ellipse(30, 8, 30, 17, color)],
                 "translate(%s %s) scale(%s)" % (n(x), n(y), n(s)), opacity=opacity if opacity != 1 else None)


def rain(x0, y0, x1, y1, seed):
    rng = random.Random(seed)
    d = "".join("M%d,%dl-6,18" % (rng.uniform(x0, x1), rng.uniform(y0, y1)) for _ in range(28))
    return path(d, stroke="#8EC9F0", stroke_width=2.5, stroke_linecap="round")


def bread(x, y):
    return ellipse(x, y - 14, 30, 16, "#D9A066") + path("M%s,%s q6,-8 12,0 M%s,%s q6,-8 12,0 M%s,%s q6,-8 12,0"
                                                        % (n(x - 20), n(y - 14), n(x - 6), n(y - 16), n(x + 8), n(y - 14)),
                                                        stroke="#A86A32", stroke_width=2.5)


def bulb(x, y, s=1.0):
    return group([circle(0, -24, 18, PAL["yellow"]), rect(-8, -8, 16, 12, "#C7CEDB", 2),
                  path("M-6,-24 l4,8 l4,-8", stroke="#E0A800", stroke_width=2)],
                 "translate(%s %s) scale(%s)" % (n(x), n(y), n(s)))


def emblem(x, y, r, letter, color, ring="#FFFFFF"):
    return (circle(x, y, r, color) + circle(x, y, r - 6, "none", stroke=ring, stroke_width=3, opacity=0.7)
            + text(x, y + r * 0.36, letter, r, "#FFFFFF", "bold", "middle"))


PROPS = {
    "desk": desk, "laptop": laptop, "cup": cup, "books": books, "shop": shop, "plant": plant, "heart": heart,
    "steps": steps, "trophy": trophy, "confetti": confetti, "sticky": sticky, "banner": banner, "mic": mic_stand,
    "podium": podium, "signpost": signpost, "document": document, "phone": phone, "calendar": calendar,
    "chart": chart, "sun": sun, "cloud": cloud, "rain": rain, "bread": bread, "bulb": bulb, "star": star,
    "rect": rect, "circle": circle, "text": text,
}
