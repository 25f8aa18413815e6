"""On-site signs: a printable PDF (WeasyPrint) and a PNG (Pillow) with purpose, operator and a QR code."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

PAPER_SIZES = {"A4": (210, 297), "A5": (148, 210)}
TEMPLATES = Path(__file__).parent / "templates"
FONT_FOLDERS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
PNG_DPI = 150


def qr_svg(url: str) -> str:
    """The QR code of url as an SVG data URI (error correction M, quiet zone of four modules)."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=10, border=4, xmldecl=False, svgns=True)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def sign_context(page: dict[str, Any], *, url: str, paper: str) -> dict[str, Any]:
    """What a sign shows: the purpose in one sentence in both languages, operator, what is never kept."""
    document = page["disclosure"]["document"]
    width, height = PAPER_SIZES[paper]
    return {
        "paper": paper,
        "width_mm": width,
        "height_mm": height,
        "sensor_id": page["sensor"]["id"],
        "purpose": document["purpose"],
        "operator": document["accountable"]["organisation"],
        "contact": document["accountable"]["contact"],
        "window": document["processing_on_device"]["window_minutes"],
        "url": url,
        "qr": qr_svg(url),
    }


def render_html(context: dict[str, Any]) -> str:
    """The sign as HTML for WeasyPrint."""
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return environment.get_template("transparency/sign.html").render(**context)


def write_pdf(context: dict[str, Any], path: Path) -> None:
    """Render the sign to a PDF page of its paper size."""
    from weasyprint import HTML

    HTML(string=render_html(context)).write_pdf(path)


def _font(size: int, *, bold: bool = False) -> Any:
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_FOLDERS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def write_png(context: dict[str, Any], path: Path) -> None:
    """Draw the same sign as a PNG at 150 dpi (for screens, web pages and quick prints)."""
    import segno
    from PIL import Image, ImageDraw

    mm = PNG_DPI / 25.4
    width, height = int(context["width_mm"] * mm), int(context["height_mm"] * mm)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    margin = int(12 * mm)
    usable = width - 2 * margin
    scale = width / 1240
    y = margin
    draw.rectangle([0, 0, width, int(30 * mm)], fill="#0b57a4")
    title = _font(int(64 * scale), bold=True)
    draw.text((margin, int(8 * mm)), "Hier wird gezählt – anonym", font=title, fill="white")
    y = int(38 * mm)
    for language, size, colour in (("de", 44, "#1b1b1b"), ("en", 38, "#4a4a4a")):
        font = _font(int(size * scale), bold=language == "de")
        for line in _wrap(draw, context["purpose"][language], font, usable):
            draw.text((margin, y), line, font=font, fill=colour)
            y += int(size * scale * 1.3)
        y += int(4 * mm)
    facts = _font(int(34 * scale))
    for line in (
        "Nur Anzahlen, keine Geräteadressen, keine Bilder. "
        f"Schlüssel gelöscht alle {context['window']} Minuten.",
        f"Only counts, no device addresses, no images. Key erased every {context['window']} minutes.",
    ):
        for wrapped in _wrap(draw, line, facts, usable):
            draw.text((margin, y), wrapped, font=facts, fill="#1b1b1b")
            y += int(34 * scale * 1.3)
    y += int(4 * mm)
    buffer = io.BytesIO()
    segno.make(context["url"], error="m").save(buffer, kind="png", scale=12, border=4)
    qr = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    side = min(int(95 * mm * context["width_mm"] / 210), height - y - int(40 * mm))
    qr = qr.resize((side, side), Image.Resampling.NEAREST)
    image.paste(qr, ((width - side) // 2, y))
    y += side + int(3 * mm)
    small = _font(int(30 * scale))
    link = context["url"]
    draw.text(((width - draw.textlength(link, font=small)) / 2, y), link, font=small, fill="#0b57a4")
    y += int(30 * scale * 1.6)
    for line in (
        "Scannen: wofür, wie, was nie gespeichert wird · Scan: what for, how, what is never kept",
        f"{context['operator']} · {context['contact']} · Sensor {context['sensor_id']}",
    ):
        for wrapped in _wrap(draw, line, small, usable):
            draw.text((margin, y), wrapped, font=small, fill="#4a4a4a")
            y += int(30 * scale * 1.3)
    image.save(path, format="PNG", dpi=(PNG_DPI, PNG_DPI))


def write_sign(page: dict[str, Any], *, url: str, paper: str, folder: Path) -> list[Path]:
    """Write sign-<sensor>-<paper>.pdf and .png into folder and return their paths."""
    context = sign_context(page, url=url, paper=paper)
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"sign-{context['sensor_id']}-{paper.lower()}"
    pdf, png = stem.with_suffix(".pdf"), stem.with_suffix(".png")
    write_pdf(context, pdf)
    write_png(context, png)
    return [pdf, png]
