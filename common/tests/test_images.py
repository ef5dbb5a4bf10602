import io

import pytest
from PIL import Image

from common.exceptions import InvalidInput
from common.images import image_normalise

from .imagefiles import jpeg_with_gps, png, png_claiming, upload


def opened(result):
    return Image.open(io.BytesIO(result.content.read()))


def test_jpeg_is_scaled_to_1024_and_loses_exif_and_gps():
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get(0x8825)  # the fixture really carries GPS
    result = image_normalise(upload(jpeg_with_gps()))
    image = opened(result)
    assert image.format == "JPEG" and image.size == (1024, 768)
    assert not image.getexif() and "exif" not in image.info
    assert result.content.name.endswith(".jpg")


def test_small_png_keeps_its_size_and_transparency():
    image = opened(image_normalise(upload(png((64, 40)), "a.png", "image/png")))
    assert image.format == "PNG" and image.size == (64, 40) and image.mode == "RGBA"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"%PDF-1.4 not an image", "not a valid image"),
        (b"", "empty"),
        (png((5000, 10), "1"), "4096x4096"),
        (png_claiming(60000, 60000), "too many pixels"),
        (b"\xff\xd8\xff\xe0" + b"0" * 100, "not a valid image"),  # JPEG magic, garbage body
    ],
)
def test_bad_files_are_refused(content, message):
    with pytest.raises(InvalidInput) as exc:
        image_normalise(upload(content))
    assert exc.value.code == "invalid_image"
    assert message in exc.value.message
    assert "image" in exc.value.errors


def test_gif_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(InvalidInput):
        image_normalise(upload(out.getvalue(), "a.gif", "image/gif"))


def test_files_over_5_mb_are_refused():
    big = upload(b"\x89PNG" + b"0" * (5 * 1024 * 1024))
    with pytest.raises(InvalidInput) as exc:
        image_normalise(big)
    assert "5 MB" in exc.value.message
