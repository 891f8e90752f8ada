"""Fixtures for the desk tests: desk officers of two kelurahan, a resident's details, desk submissions."""
import pytest

from tests.aspirations.conftest import aspiration_in, staff, submit  # noqa: F401  (fixtures)
from tests.factories import no_post_rate  # noqa: F401  (fixtures)
from tests.surveys.conftest import full_answers, make_survey, survey  # noqa: F401  (fixtures)

from forum.models import District, Role
from forum.services import desk

OTHER_KELURAHAN = "serpong.cilenggang"


@pytest.fixture
def officer(make_user, kelurahan):
    return make_user(Role.DESK, district=kelurahan, display_name="Petugas Pondok Betung")


@pytest.fixture
def other_officer(make_user):
    return make_user(Role.DESK, district=District.query.filter_by(code=OTHER_KELURAHAN).one())


def resident_details(**fields):
    values = dict(name="Ibu Siti Aminah", phone="0812-3456-7890", kelurahan="pondok-aren.pondok-betung",
                  consent=True)
    values.update(fields)
    return desk.Resident(**values)


@pytest.fixture
def desk_aspiration(officer):
    """Submit an aspiration at the officer's desk; keyword arguments override the aspiration's fields."""

    def create(resident=None, **fields):
        values = dict(aspiration_type="complaint", title="Lampu jalan padam di gang masjid",
                      body="Sudah dua minggu lampu jalan padam, warga takut lewat malam.",
                      category="kebencanaan", visibility="public", location="RT 02/RW 04")
        values.update(fields)
        return desk.submit_aspiration(officer, resident or resident_details(), **values)

    return create
