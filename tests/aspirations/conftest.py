"""Fixtures for aspiration tests: an aspiration at any stage of the workflow, built through the services."""
import io

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from tests.factories import no_post_rate  # noqa: F401  (a fixture used by `submit`)

from forum.models import Agency, Role
from forum.services import aspirations as service

WORKFLOW = {
    # state -> the steps (to, actor, extra) that lead there from `submitted`
    "submitted": [],
    "verified": [("verified", "moderator", {})],
    "declined": [("declined", "moderator", {"note": "Bukan kewenangan pemerintah kota."})],
    "forwarded": [("verified", "moderator", {}), ("forwarded", "moderator", {"agency": "diskominfo"})],
    "in_progress": [("verified", "moderator", {}), ("forwarded", "moderator", {"agency": "diskominfo"}),
                    ("in_progress", "official", {})],
    "answered": [("verified", "moderator", {}), ("forwarded", "moderator", {"agency": "diskominfo"}),
                 ("answered", "official", {"note": "Sudah kami tindak lanjuti minggu ini."})],
}


def upload(data, name="foto.jpg"):
    return FileStorage(stream=io.BytesIO(data), filename=name)


def jpeg_with_gps():
    """A 2400x1200 JPEG whose EXIF names the camera and carries a GPS position."""
    image = Image.new("RGB", (2400, 1200), (10, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "KameraPonsel"  # Make
    exif[0x8825] = {1: "S", 2: (6.0, 17.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def submit(resident, no_post_rate):
    """Submit an aspiration as `author` (default: the resident fixture) with sensible fields."""

    def create(author=None, **fields):
        values = dict(aspiration_type="complaint", title="Drainase tersumbat di Jalan Raya Jombang",
                      body="Setiap hujan air meluap ke jalan dan rumah warga.", category="kebencanaan",
                      district="pondok-aren.pondok-betung", visibility="public", location="RT 03/RW 05")
        values.update(fields)
        return service.submit_aspiration(author or resident, **values)

    return create


@pytest.fixture
def staff(official, moderator):
    return {"official": official, "moderator": moderator}


@pytest.fixture
def aspiration_in(submit, staff):
    """An aspiration of the resident fixture moved to `state` by the moderator and the diskominfo official."""

    def create(state, **fields):
        aspiration = submit(**fields)
        for to, who, extra in WORKFLOW[state]:
            service.transition(staff[who], aspiration, to, **extra)
        return aspiration

    return create


@pytest.fixture
def other_official(make_user, agency):
    elsewhere = Agency.query.filter(Agency.id != agency.id).order_by(Agency.id).first()
    return make_user(Role.OFFICIAL, agency=elsewhere)


@pytest.fixture
def bearer_for(bearer):
    """Authorization headers with a new API token of `user` (the suite's `bearer`)."""
    return bearer
