"""Fixtures for organization tests: files to upload and an organization requested (or further) through the services."""
import io

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from forum.services import organizations as service

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png(size=(600, 400), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def upload(data, name="berkas.pdf"):
    return FileStorage(stream=io.BytesIO(data), filename=name)


FIELDS = dict(name="Komunitas Peduli Situ Gintung", kind="community", district="ciputat-timur",
              description="Kami membersihkan **situ** setiap bulan.", contact="0812 0000 1111",
              website="https://situgintung.example")


@pytest.fixture
def request_organization(resident):
    """Request an organization as `founder` (default: the resident) with a PDF document; fields override."""

    def create(founder=None, **fields):
        values = dict(FIELDS, document=upload(PDF))
        values.update(fields)
        return service.request_organization(founder or resident, **values)

    return create


@pytest.fixture
def verified_organization(request_organization, admin):
    organization = request_organization()
    return service.decide(admin, organization, "verify")


@pytest.fixture
def in_request(app):
    """A request context, so services that mail links can build their URLs."""
    with app.test_request_context():
        yield
