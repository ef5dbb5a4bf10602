"""Checking and normalising uploaded images (profile pictures, review photos).

An upload is only stored after Pillow has confirmed it is a real JPEG, PNG or WebP image of a
sane size; what is stored is a re-encoded copy without EXIF/GPS or any other metadata, scaled
so its longest side is at most `max_side`.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from common.errors import ErrorCode
from common.exceptions import InvalidInput
from common.ids import new_ulid

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_DIMENSION = 4096
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass(frozen=True)
class NormalisedImage:
    content: ContentFile  # named "<ulid>.<ext>"
    width: int
    height: int
    format: str


def _invalid(message: str) -> InvalidInput:
    return InvalidInput(message, code=ErrorCode.INVALID_IMAGE, errors={"image": [message]})


def image_normalise(upload, *, max_side: int = 1024) -> NormalisedImage:
    """Validate an uploaded file and return a clean re-encoded copy, or raise 400 invalid_image."""
    if upload is None:
        raise _invalid("Choose an image file to upload.")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _invalid("The image is larger than 5 MB.")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _invalid("The image is larger than 5 MB.")
    if not data:
        raise _invalid("The file is empty.")

    try:
        with warnings.catch_warnings():
            # Pillow only warns between 1x and 2x its pixel limit; treat that as a bomb too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size  # read from the header, nothing decoded yet
                if fmt not in ALLOWED_FORMATS:
                    raise _invalid("Upload a JPEG, PNG or WebP image.")
                if width > MAX_DIMENSION or height > MAX_DIMENSION:
                    raise _invalid(f"The image is larger than {MAX_DIMENSION}x{MAX_DIMENSION} pixels.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                # Scaled down while decoding, not after: a JPEG is decoded at 1/2, 1/4 or 1/8
                # scale (draft) and any image is box-reduced before the fine resampling, so a
                # 4096 px upload costs a fraction of a full decode and resize (reducing_gap).
                image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
                image = ImageOps.exif_transpose(image)  # keep the photo upright once EXIF is gone
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _invalid("The image has too many pixels.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _invalid("The file is not a valid image.") from None

    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif fmt in ("PNG", "WEBP") and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")

    # Copy only the pixels: no EXIF, GPS, XMP, ICC comments or text chunks survive.
    clean = Image.new(image.mode, image.size)
    if image.mode == "P":
        clean.putpalette(image.getpalette())
    clean.paste(image)

    out = io.BytesIO()
    # PNG's `optimize` tries every filter at zlib's slowest level: seconds of CPU on a large photo
    # for a few percent; level 6 is zlib's own balance.
    options = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"compress_level": 6}, "WEBP": {"quality": 85}}
    clean.save(out, format=fmt, **options[fmt])
    name = f"{new_ulid().lower()}.{ALLOWED_FORMATS[fmt]}"
    return NormalisedImage(
        content=ContentFile(out.getvalue(), name=name),
        width=clean.width,
        height=clean.height,
        format=fmt,
    )
