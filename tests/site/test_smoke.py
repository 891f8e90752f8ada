"""The app builds, serves the home page in Indonesian, and the schema is migrated."""
from forum.models import Agency, Category, District


def test_home_page_is_indonesian_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="id">' in response.data


def test_reference_data_is_loaded(app):
    assert District.query.filter_by(level=District.KECAMATAN).count() == 7
    assert District.query.filter_by(level=District.KELURAHAN).count() == 54
    assert Agency.query.filter_by(code="diskominfo").one().short_name == "Diskominfo"
    assert Category.query.count() >= 10
