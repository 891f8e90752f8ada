"""The profile service without HTTP: permissions and all-or-nothing changes."""
import pytest

from forum.errors import Forbidden, ValidationFailed
from forum.services import profile


def test_only_the_owner_or_an_admin_manages_an_account(app, make_user, admin):
    owner, stranger = make_user(), make_user()
    with app.test_request_context():
        with pytest.raises(Forbidden):
            profile.export_data(stranger, owner)
        with pytest.raises(Forbidden):
            profile.update_profile(stranger, owner, "Diganti", None, "id")
        assert profile.export_data(admin, owner)["account"]["id"] == owner.id
    assert owner.display_name != "Diganti"


def test_update_profile_changes_nothing_when_one_field_is_wrong(app, resident):
    name_before = resident.display_name
    with app.test_request_context():
        with pytest.raises(ValidationFailed) as failure:
            profile.update_profile(resident, resident, "Nama Baru", "serpong.lengkong-gudang", "xx")
    assert set(failure.value.fields) == {"locale"}
    assert resident.display_name == name_before
    assert resident.district.code == "pondok-aren.pondok-betung"


def test_display_author(app, make_user):
    user = make_user()
    with app.test_request_context():
        assert profile.display_author(None) == ""
        assert profile.display_author(user) == user.display_name
