"""What a member needs to add their authenticator: a QR code (inline SVG, so no script or data: URL is needed under
the site's content security policy) and the same secret written out to type by hand."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg


def authenticator_qr_svg(otpauth_url: str) -> str:
    image = qrcode.make(otpauth_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def manual_key(device) -> str:
    """The base32 secret in groups of four, as authenticator apps ask for it."""
    secret = base64.b32encode(bytes(device.bin_key)).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
