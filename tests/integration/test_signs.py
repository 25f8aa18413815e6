"""`freiweg sign` writes a printable PDF and a PNG with the purpose, the operator and a QR code."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from freiweg.cli import app
from freiweg.services.registry import Services
from freiweg.settings import Settings
from tests.conftest import TEST_SECRET
from tests.support.log_keys import TEST_LOG_KEY

runner = CliRunner()


def media_box(pdf: bytes) -> tuple[float, float]:
    """The page size in points, read from the PDF (also inside compressed object streams)."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            chunks.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    for chunk in chunks:
        found = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", chunk)
        if found:
            return float(found.group(1)), float(found.group(2))
    raise AssertionError("no MediaBox in the PDF")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'freiweg.db'}", secret_key=TEST_SECRET, log_key=TEST_LOG_KEY
    )


@pytest.mark.parametrize(("paper", "points"), [("A4", (595, 842)), ("A5", (420, 595))])
def test_a_sign_is_written_as_pdf_and_png_in_the_paper_size(
    services: Services,
    town: Callable[..., dict[str, str]],
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    paper: str,
    points: tuple[int, int],
) -> None:
    from PIL import Image

    town("domplatz")
    monkeypatch.setenv("FREIWEG_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("FREIWEG_LOG_KEY", TEST_LOG_KEY)
    monkeypatch.setenv("FREIWEG_PUBLIC_URL", "https://freiweg.bamberg.example")
    result = runner.invoke(app, ["sign", "domplatz-1", "--size", paper.lower(), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / f"sign-domplatz-1-{paper.lower()}.pdf"
    png = tmp_path / f"sign-domplatz-1-{paper.lower()}.png"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    width_pt, height_pt = media_box(data)
    assert (round(width_pt), round(height_pt)) == points
    with Image.open(png) as image:
        width, height = image.size
    assert abs(height / width - 2**0.5) < 0.01


def test_the_sign_text_names_the_purpose_in_german_and_english_and_links_the_sensor_page(
    services: Services, town: Callable[..., dict[str, str]]
) -> None:
    from freiweg.web.signs import render_html, sign_context

    town("domplatz")
    page = services.transparency.sensor_page("domplatz-1")
    html = render_html(sign_context(page, url="https://freiweg.example/sensors/domplatz-1", paper="A5"))
    assert "Zeigen, wie voll es gerade am Ort" in html
    assert "Show how busy" in html
    assert "https://freiweg.example/sensors/domplatz-1" in html
    assert "data:image/svg+xml;base64," in html
    assert "Stadt Bamberg" in html


def test_an_unknown_size_or_sensor_is_refused_with_a_clear_message(
    services: Services, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FREIWEG_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("FREIWEG_SECRET_KEY", TEST_SECRET)
    result = runner.invoke(app, ["sign", "nowhere", "--size", "A3", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "use A4 or A5" in result.output
    result = runner.invoke(app, ["sign", "nowhere", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "does not exist" in result.output
