"""Image files made on the fly for upload tests."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_with_gps(size=(2000, 1500), color=(200, 30, 30)) -> bytes:
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0112] = 1  # Orientation
    gps = {1: "N", 2: (12.0, 58.0, 10.0), 3: "E", 4: (77.0, 35.0, 40.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png(size=(64, 64), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims huge dimensions: a decompression bomb."""
    data = bytearray(png((1, 1), "L"))
    ihdr_start = 8 + 8  # signature, then length+type of IHDR
    data[ihdr_start : ihdr_start + 8] = struct.pack(">II", width, height)
    chunk = bytes(data[12 : ihdr_start + 13])  # type + IHDR payload
    data[ihdr_start + 13 : ihdr_start + 17] = struct.pack(">I", zlib.crc32(chunk))
    return bytes(data)


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
