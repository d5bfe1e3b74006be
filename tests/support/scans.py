"""Synthetic scans rendered from the corpus: deterministic pages with known text.

Pages are typeset with Pillow (title, bold section headings, paragraphs with
hyphenated line ends, bulleted items) at 300 dpi, then optionally degraded the
way real scans are: skew, blur, noise, JPEG artefacts and low resolution;
low contrast on an unevenly lit grey background; or photographed open in a
book, curled towards the spine, on a table, by a phone held sideways (or a
flat page photographed at a slant, its lines converging). A
magazine page sets the text in two columns under a picture and its caption. Each page carries its ground
truth: the words it shows, whitespace-folded, hyphenated words whole and
bullets left out (a bullet is markup, not text). Everything is seeded.
"""
from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps
from scipy import ndimage

CORPUS = Path(__file__).resolve().parents[2] / "inputs"  # the three samples
FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/dejavu"),
             Path("/usr/share/fonts/opentype/ipafont-gothic"))
CJK_FONT = "ipag.ttf"  # package fonts-ipafont-gothic: kana and kanji
# (regular, bold) per face; packages fonts-liberation and fonts-dejavu-core
FACES = {
    "serif": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    "sans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    "dejavu": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
}
A4_INCHES = (8.27, 11.69)


@dataclass
class Scan:
    image: Image.Image
    truth: str  # the page's text, whitespace-folded
    dpi: int | None
    condition: str = "clean"
    name: str = "page"
    photo: bytes | None = None  # the file as a camera wrote it (JPEG with EXIF), for a photographed page


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


def parse_blocks(text: str) -> list[tuple[str, str]]:
    """Corpus markup to (kind, text): 'title', 'head', 'item' or 'p'."""
    blocks = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if m := re.fullmatch(r"=\s*([^=].*?)\s*=", line):
            blocks.append(("title", m.group(1)))
        elif m := re.fullmatch(r"(={2,})\s*(.*?)\s*\1", line):
            blocks.append(("head", m.group(2)))
        elif line.startswith("- "):
            blocks.append(("item", line[2:].strip()))
        else:
            blocks.append(("p", line))
    return blocks


def _font(face: str, bold: bool, px: int) -> ImageFont.FreeTypeFont:
    name = FACES[face][bold]
    for d in FONT_DIRS:
        if (d / name).is_file():
            return ImageFont.truetype(str(d / name), px)
    raise FileNotFoundError(f"font {name}: apt-get install fonts-liberation fonts-dejavu-core")


def render_pages(blocks: list[tuple[str, str]], *, face: str = "serif", size_pt: float = 11,
                 dpi: int = 300, hyphenate: bool = True, inches: tuple[float, float] = A4_INCHES,
                 margin_inches: float = 1.0) -> list[Scan]:
    """Typeset blocks on pages (A4 unless ``inches`` says otherwise) at ``dpi``; returns clean scans."""
    px = lambda pt: round(pt * dpi / 72)  # noqa: E731
    width, height = round(inches[0] * dpi), round(inches[1] * dpi)
    margin = round(margin_inches * dpi)
    styles = {
        "title": (_font(face, True, px(size_pt * 1.8)), px(size_pt * 1.2)),
        "head": (_font(face, True, px(size_pt * 1.3)), px(size_pt * 0.8)),
        "p": (_font(face, False, px(size_pt)), px(size_pt * 0.7)),
        "item": (_font(face, False, px(size_pt)), px(size_pt * 0.2)),
    }
    indent = px(size_pt * 1.6)
    pages: list[Scan] = []
    state = {"img": None, "draw": None, "y": 0, "words": []}

    def new_page():
        if state["img"] is not None:
            pages.append(Scan(state["img"], " ".join(state["words"]), dpi))
        img = Image.new("L", (width, height), 255)
        state.update(img=img, draw=ImageDraw.Draw(img), y=margin, words=[])

    new_page()
    for kind, text in blocks:
        font, space_before = styles[kind]
        ascent, descent = font.getmetrics()
        leading = round((ascent + descent) * 1.15)
        x0 = margin + (indent if kind == "item" else 0)
        avail = width - margin - x0
        words = text.split()
        if state["y"] > margin:
            state["y"] += space_before
        if kind in ("title", "head") and state["y"] + 3 * leading > height - margin:
            new_page()  # no heading alone at the foot of a page
        first, tail = True, False
        while words:
            if state["y"] + leading > height - margin:
                new_page()
            last_on_page = state["y"] + 2 * leading > height - margin
            line, carry = _fill_line(words, font, avail, hyphenate and kind == "p" and not last_on_page)
            if kind == "item" and first:
                r = max(2, font.size // 8)
                cy = state["y"] + ascent - font.size // 3
                state["draw"].ellipse((x0 - indent // 2 - r, cy - r, x0 - indent // 2 + r, cy + r), fill=0)
            state["draw"].text((x0, state["y"]), " ".join(line), font=font, fill=0)
            n_whole = len(line) - (1 if carry else 0)
            state["words"].extend(words[1 if tail else 0:n_whole])  # a carried tail was counted whole
            words = words[n_whole:]
            tail = carry is not None
            if carry:  # the hyphenated word counts on this page, whole
                state["words"].append(words[0])
                words = [carry] + words[1:]
            state["y"] += leading
            first = False
    pages.append(Scan(state["img"], " ".join(state["words"]), dpi))
    return pages


def _fill_line(words, font, avail, hyphenate):
    """Words that fit in ``avail`` px; a hyphenated head of the next word and the carried tail."""
    line: list[str] = []
    for w in words:
        trial = " ".join(line + [w])
        if font.getlength(trial) <= avail or not line:
            line.append(w)
            continue
        if hyphenate and re.fullmatch(r"[a-z]{8,}[,.;]?", w):
            for cut in range(len(w.rstrip(",.;")) - 4, 3, -1):
                if font.getlength(" ".join(line + [w[:cut] + "-"])) <= avail:
                    return line + [w[:cut] + "-"], w[cut:]
        break
    return line, None


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def degrade(scan: Scan, seed: int, dpi: int | None = None, skew: float | None = None) -> Scan:
    """A poor scan: skewed, blurred, down-sampled to 150-200 dpi, noisy, JPEG-compressed."""
    r = random.Random(seed)
    dpi = dpi or r.choice((150, 175, 200))
    skew = skew if skew is not None else r.uniform(1.5, 3.5) * r.choice((-1, 1))
    img = scan.image.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(scan.dpi / 300 * r.uniform(1.8, 2.6)))
    f = dpi / scan.dpi
    img = img.resize((round(img.width * f), round(img.height * f)), Image.BILINEAR)
    a = np.asarray(img, dtype=np.float32)
    a = a * r.uniform(0.75, 0.85) + 30 + _rng(seed).normal(0, r.uniform(18, 26), a.shape)
    specks = _rng(seed + 1).random(a.shape) < 0.004
    a[specks] = 0
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=r.randint(20, 35), dpi=(dpi, dpi))
    return replace(scan, image=Image.open(io.BytesIO(buf.getvalue())), dpi=dpi, condition="degraded")


def low_contrast(scan: Scan, seed: int) -> Scan:
    """Faint grey text on a grey background lit unevenly: a shadow across the page."""
    r = random.Random(seed)
    h, w = scan.image.height, scan.image.width
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = r.uniform(0.2, 0.8) * w, r.uniform(0.1, 0.5) * h
    light = 1 - 0.55 * np.hypot((xx - cx) / w, (yy - cy) / h)  # bright spot fading out
    light -= r.uniform(0.15, 0.3) * (xx / w if r.random() < 0.5 else yy / h)  # shade across
    background = 215 * np.clip(light, 0.3, 1)
    ink = np.asarray(scan.image, dtype=np.float32) / 255  # 1 paper, 0 ink
    depth = r.uniform(0.28, 0.36)  # ink is only this much darker than the paper
    a = background * (1 - depth * (1 - ink)) + _rng(seed).normal(0, 5, ink.shape)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1))
    return replace(scan, image=img, condition="low-contrast")


def photographed(scan: Scan, seed: int, curl: float | None = None, slant: float = 1.0) -> Scan:
    """A phone photo of the page lying open in a book: the leaf curls up towards the spine (its height there
    ``curl`` times the page's width, 0.10-0.16 by default) and is seen from above in perspective, so lines
    bow and the letters narrow towards the spine; the curl is in shadow; the page lies a little turned on a
    dark table; the camera blurs and adds noise, and, held sideways, stores the pixels turned with an EXIF
    orientation tag saying so. The stated resolution is none, as a phone's. A camera held at a slant
    (``slant`` < 1) sees one side of the page farther off, that side's edge ``slant`` times the other's
    height: the lines converge towards it."""
    r = random.Random(seed)
    src = np.asarray(scan.image, dtype=np.float32)
    h, w = src.shape
    u = np.arange(w, dtype=np.float64)  # columns of the flat page
    toward_spine = (1 - u / w) if r.random() < 0.5 else u / w
    z = (curl if curl is not None else r.uniform(0.10, 0.16)) * w * np.clip((toward_spine - 0.45) / 0.55, 0, 1) ** 2
    slope = np.gradient(z)
    x = np.concatenate([[0.0], np.cumsum(1 / np.sqrt(1 + slope[1:] ** 2))])  # the curved leaf foreshortened
    s = 2.2 * w / (2.2 * w - z)  # magnification of what is nearer the camera (2.2 page widths above the table)
    px = w / 2 + (x - w / 2) * s  # where each column of the page is seen
    px -= px.min()
    out_w, out_h = int(px.max()) + 1, int(np.ceil(h * s.max()))
    seen = np.arange(out_w, dtype=np.float64)
    col, mag = np.interp(seen, px, u), np.interp(seen, px, s)
    rows = np.arange(out_h, dtype=np.float64)[:, None]
    row = h / 2 + (rows - out_h / 2) / mag[None, :]
    page = ndimage.map_coordinates(src, [row, np.broadcast_to(col[None, :], row.shape)], order=1, cval=-1)
    shade = 1 - 0.35 * np.interp(col, u, np.abs(slope) / (1 + np.abs(slope)))[None, :]
    shade = shade * (1 - 0.12 * rows / out_h)
    table = 40
    pad = int(0.05 * w)
    a = np.full((out_h + 2 * pad, out_w + 2 * pad), table, np.float32)
    a[pad:pad + out_h, pad:pad + out_w] = np.where(page >= 0, (page * 0.8 + 30) * shade, table)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    if slant < 1:
        img = _seen_at_a_slant(img, slant, far_left=r.random() < 0.5, fill=table)
    img = img.rotate(r.uniform(-2, 2), resample=Image.BICUBIC, expand=True, fillcolor=table)
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    a = np.asarray(img, dtype=np.float32) + _rng(seed).normal(0, 6, (img.height, img.width))
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90 degrees clockwise to view"
    buf = io.BytesIO()
    img.transpose(Image.Transpose.ROTATE_90).save(buf, "JPEG", quality=80, exif=exif)
    return replace(scan, image=ImageOps.exif_transpose(Image.open(io.BytesIO(buf.getvalue()))), dpi=None,
                   condition="photographed", photo=buf.getvalue())


def _seen_at_a_slant(img: Image.Image, slant: float, far_left: bool, fill: int) -> Image.Image:
    """The image in perspective, one side edge ``slant`` times as high as the other (centred on it)."""
    w, h = img.size
    d = (1 - slant) * h / 2
    corners = [(0, 0), (0, h), (w, h), (w, 0)]  # top left, bottom left, bottom right, top right
    seen = [(0, d), (0, h - d), (w, h), (w, 0)] if far_left else [(0, 0), (0, h), (w, h - d), (w, d)]
    # Pillow's perspective maps each output pixel to its source: solve for the 8 coefficients of seen -> corners
    rows, rhs = [], []
    for (x, y), (sx, sy) in zip(seen, corners):
        rows += [[x, y, 1, 0, 0, 0, -sx * x, -sx * y], [0, 0, 0, x, y, 1, -sy * x, -sy * y]]
        rhs += [sx, sy]
    coefficients = np.linalg.solve(np.array(rows, np.float64), np.array(rhs, np.float64))
    return img.transform(img.size, Image.PERSPECTIVE, tuple(coefficients), Image.BICUBIC, fillcolor=fill)


CAPTION_FONT = "LiberationSerif-Italic.ttf"


def magazine_page(text: str, seed: int, face: str = "serif", dpi: int = 300, caption_pt: float = 8.5) -> Scan:
    """An A4 page of two columns: a title across, a picture (a smooth grey texture) at the head of the
    first column with a caption in smaller italic type (``caption_pt`` against the body's 10 pt) under it,
    then the text's paragraphs running down the first column and on into the second. The truth reads
    title, caption, then the columns in turn."""
    px = lambda pt: round(pt * dpi / 72)  # noqa: E731
    width, height = round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi)
    margin, gutter = round(0.7 * dpi), round(0.35 * dpi)
    column = (width - 2 * margin - gutter) // 2
    title_font, body = _font(face, True, px(20)), _font(face, False, px(10))
    caption_font = ImageFont.truetype(str(next(d / CAPTION_FONT for d in FONT_DIRS if (d / CAPTION_FONT).is_file())),
                                      px(caption_pt))
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    blocks = parse_blocks(text)
    title = next((t for k, t in blocks if k == "title"), blocks[0][1])
    paragraphs = [t for k, t in blocks if k == "p" and t != title]
    draw.text((margin, margin), title, font=title_font, fill=0)
    top = margin + round(title_font.size * 1.8)
    texture = ndimage.gaussian_filter(_rng(seed).normal(0, 1, (round(2.2 * dpi), column)), dpi / 16)
    texture = (texture - texture.min()) / np.ptp(texture) * 200
    img.paste(Image.fromarray(texture.astype(np.uint8)), (margin, top))
    y = top + texture.shape[0] + round(0.08 * dpi)
    caption = (f"{random.Random(seed).choice(['Repatriates', 'Evacuees', 'Soldiers'])} waiting on the quay "
               "before boarding the transport ships.")
    words, shown = caption.split(), []
    while words:
        line, _ = _fill_line(words, caption_font, column, False)
        draw.text((margin, y), " ".join(line), font=caption_font, fill=0)
        shown += line
        words = words[len(line):]
        y += round(caption_font.size * 1.2)
    y += round(0.2 * dpi)
    leading = round(body.size * 1.25)
    x, truth = margin, [title] + shown
    for paragraph in paragraphs:
        words = paragraph.split()
        while words:
            if y + leading > height - margin:
                if x != margin:
                    return Scan(img, " ".join(truth), dpi, condition="magazine")
                x, y = margin + column + gutter, top
            line, _ = _fill_line(words, body, column, False)
            draw.text((x, y), " ".join(line), font=body, fill=0)
            truth += line
            words = words[len(line):]
            y += leading
        y += leading // 2
    return Scan(img, " ".join(truth), dpi, condition="magazine")


def save_scan(scan: Scan, stem: Path) -> Path:
    """The scan as a file named ``stem`` and a suffix: a photo as the camera wrote it (.jpg), else a PNG."""
    if scan.photo is not None:
        path = stem.with_name(stem.name + ".jpg")
        path.write_bytes(scan.photo)
        return path
    return save_png(scan, stem.with_name(stem.name + ".png"))


def save_png(scan: Scan, path: Path) -> Path:
    scan.image.save(path, **({"dpi": (scan.dpi, scan.dpi)} if scan.dpi else {}))
    return path


def save_tiff(scans: list[Scan], path: Path) -> Path:
    first, *rest = [s.image for s in scans]
    first.save(path, save_all=True, append_images=rest, compression="tiff_lzw", dpi=(scans[0].dpi,) * 2)
    return path


def save_image_pdf(scans: list[Scan], path: Path) -> Path:
    """A PDF of page images, no text layer: what a scanner makes."""
    first, *rest = [s.image.convert("RGB") for s in scans]
    first.save(path, save_all=True, append_images=rest, resolution=scans[0].dpi)
    return path


def save_text_pdf(lines_per_page: list[list[str]], path: Path, size: int = 12) -> Path:
    """A born-digital PDF: Helvetica text on A4, one string per line."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for lines in lines_per_page:
        ops = [f"BT /F1 {size} Tf 72 770 Td {size * 1.4:.1f} TL"]
        for line in lines:
            esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({esc}) Tj T*")
        stream = "\n".join(ops + ["ET"]).encode("cp1252")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        body = obj if isinstance(obj, bytes) else obj.encode()
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


MIXED_SCRIPT = [  # an English report with a Russian passage and a ship's name in kanji
    "Report of the repatriation committee",
    "The transport ship 氷川丸 left Maizuru on 12 May 1946",
    "with 1,500 returnees from the Soviet zone on board.",
    "The commander's note, written in Russian, reads:",
    "Эшелон прибыл в Находку с опозданием на два дня.",
    "Погрузка на судно началась утром следующего дня.",
    "The committee thanked the crew for their patience.",
]


def mixed_script_page(lines: list[str] = MIXED_SCRIPT, size_pt: float = 11, dpi: int = 300) -> Scan:
    """A page of lines set in DejaVu Serif (Latin, Cyrillic), kana and kanji in IPA Gothic."""
    latin, cjk = _font("dejavu", False, round(size_pt * dpi / 72)), _cjk_font(round(size_pt * dpi / 72))
    leading = round(size_pt * dpi / 72 * 1.6)
    img = Image.new("L", (round(8.27 * dpi), 2 * dpi // 3 + leading * len(lines)), 255)
    draw = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        x, y = dpi // 2, dpi // 3 + k * leading
        for run in re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]+|[^\u3040-\u30ff\u4e00-\u9fff]+", line):
            font = cjk if "\u3040" <= run[0] <= "\u9fff" else latin
            draw.text((x, y), run, font=font, fill=0)
            x += font.getlength(run)
    return Scan(img, " ".join(" ".join(lines).split()), dpi, name="mixed-script")


def _cjk_font(px: int) -> ImageFont.FreeTypeFont:
    for d in FONT_DIRS:
        if (d / CJK_FONT).is_file():
            return ImageFont.truetype(str(d / CJK_FONT), px)
    raise FileNotFoundError(f"font {CJK_FONT}: apt-get install fonts-ipafont-gothic")


def benchmark_set(pages_per_condition: int = 3) -> list[Scan]:
    """Pages from each corpus file: clean 300 dpi, degraded, low-contrast, photographed curled and
    photographed flat at a slant, and its text as a magazine page."""
    scans = []
    faces = list(FACES)
    for i, f in enumerate(corpus_files()[:pages_per_condition]):
        clean = render_pages(parse_blocks(f.read_text(encoding="utf-8")), face=faces[i % len(faces)])[0]
        clean.name = f.stem
        slanted = replace(photographed(clean, seed=i, curl=0.0, slant=0.85 - 0.05 * i), condition="slanted")
        scans += [clean, degrade(clean, seed=i), low_contrast(clean, seed=i), photographed(clean, seed=i), slanted]
        scans.append(magazine_page(f.read_text(encoding="utf-8"), seed=i, face=faces[i % len(faces)]))
        scans[-1].name = f.stem
    return scans
