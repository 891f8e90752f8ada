"""The admin account form: role, agency, state with an end date and a reason."""
from datetime import datetime, time, timedelta, timezone

import pytest

from forum.errors import ValidationFailed
from forum.models import AccountState, Agency, Role
from forum.services.users import change_user_roles
from forum.timeutil import CITY_ZONE, to_city_time, utcnow


def city_today():
    return to_city_time(utcnow()).date()


def edit(client, user, **fields):
    data = {"role": user.role, "agency": "", "state": AccountState.ACTIVE, "state_until": "", "state_reason": ""}
    data.update(fields)
    return client.post(f"/admin/pengguna/{user.id}", data=data)



def test_form_shows_current_values(client, login, admin, official):
    client.set_cookie("lang", "en")
    login(admin)
    page = client.get(f"/admin/pengguna/{official.id}").get_data(as_text=True)
    assert official.email in page
    assert '<option selected value="official">Official</option>' in page
    assert '<option selected value="diskominfo">' in page
    assert '<option selected value="active">Active</option>' in page
    assert 'type="date"' in page and 'name="state_reason"' in page


def test_make_a_resident_an_official_of_an_agency(client, login, admin, resident, reload):
    client.set_cookie("lang", "en")
    login(admin)
    response = edit(client, resident, role=Role.OFFICIAL, agency="bappeda")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/pengguna/{resident.id}")
    user = reload(resident)
    assert user.role == Role.OFFICIAL and user.agency.code == "bappeda"
    assert "was saved" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_official_without_agency_is_refused_with_input_kept(client, login, admin, resident, reload):
    client.set_cookie("lang", "en")
    login(admin)
    response = edit(client, resident, role=Role.OFFICIAL, state_reason="catatan admin")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "An official must belong to an agency." in page
    assert '<option selected value="official">' in page
    assert "catatan admin" in page
    assert reload(resident).role == Role.RESIDENT


def test_leaving_the_official_role_drops_the_agency(client, login, admin, official, reload):
    login(admin)
    assert edit(client, official, role=Role.MODERATOR, agency="diskominfo").status_code == 302
    user = reload(official)
    assert user.role == Role.MODERATOR and user.agency is None


def test_suspend_until_a_date_ends_after_that_day_and_ends_sessions(client, login, admin, resident, reload):
    old_token = resident.session_token
    until = city_today() + timedelta(days=7)
    login(admin)
    response = edit(client, resident, state=AccountState.SUSPENDED, state_until=until.isoformat(), state_reason="Spam berulang")
    assert response.status_code == 302
    user = reload(resident)
    assert user.state == AccountState.SUSPENDED
    assert user.state_reason == "Spam berulang"
    # Through the whole chosen day: it ends at midnight, Jakarta time.
    assert user.state_until == datetime.combine(until + timedelta(days=1), time.min, tzinfo=CITY_ZONE)
    assert user.session_token != old_token
    # The form shows the last day of the sanction, as it was entered.
    assert f'value="{until.isoformat()}"' in client.get(f"/admin/pengguna/{resident.id}").get_data(as_text=True)


def test_ban_drops_any_end_date(client, login, admin, resident, reload):
    login(admin)
    edit(client, resident, state=AccountState.BANNED, state_until=(city_today() + timedelta(days=3)).isoformat())
    user = reload(resident)
    assert user.state == AccountState.BANNED and user.state_until is None


def test_reactivating_clears_the_sanction(client, login, admin, make_user, reload):
    user = make_user(state=AccountState.SILENCED, state_reason="kasar", state_until=utcnow() + timedelta(days=2))
    login(admin)
    assert edit(client, user, state=AccountState.ACTIVE, state_reason="kasar").status_code == 302
    user = reload(user)
    assert (user.state, user.state_until, user.state_reason) == (AccountState.ACTIVE, None, None)


@pytest.mark.parametrize("until", ["2001-01-01", "9999-12-31", "0001-01-01"])
def test_end_date_outside_the_next_ten_years_is_refused(client, login, admin, resident, until, reload):
    client.set_cookie("lang", "en")
    login(admin)
    response = edit(client, resident, state=AccountState.SILENCED, state_until=until)
    assert response.status_code == 422
    assert "Choose a date from today up to ten years ahead." in response.get_data(as_text=True)
    assert reload(resident).state == AccountState.ACTIVE


@pytest.mark.parametrize("until", ["besok", "31/12/2026", "2026-02-30", "2026-01-01\x00"])
def test_unreadable_date_is_named(client, login, admin, resident, until, reload):
    client.set_cookie("lang", "en")
    login(admin)
    response = edit(client, resident, state=AccountState.SUSPENDED, state_until=until)
    assert response.status_code == 422
    assert "Enter a date like 2026-12-31." in response.get_data(as_text=True)
    assert reload(resident).state == AccountState.ACTIVE


def test_overlong_reason_is_refused(client, login, admin, resident, reload):
    login(admin)
    response = edit(client, resident, state=AccountState.SILENCED, state_reason="x" * 501)
    assert response.status_code == 422
    assert 'aria-invalid="true" id="state_reason"' in response.get_data(as_text=True)
    assert reload(resident).state == AccountState.ACTIVE


@pytest.mark.parametrize("field, value", [("role", "emperor"), ("agency", "no-such-agency"), ("state", "frozen")])
def test_unknown_choices_are_named_not_saved(client, login, admin, official, field, value, reload):
    login(admin)
    response = edit(client, official, **{"agency": "diskominfo", field: value})
    assert response.status_code == 422
    assert f'aria-invalid="true" id="{field}"' in response.get_data(as_text=True)
    assert reload(official).agency.code == "diskominfo"


def test_admin_cannot_demote_or_restrict_themselves(client, login, admin, reload):
    client.set_cookie("lang", "en")
    login(admin)
    response = edit(client, admin, role=Role.MODERATOR)
    assert response.status_code == 422
    assert "You cannot remove your own admin role." in response.get_data(as_text=True)
    response = edit(client, admin, state=AccountState.BANNED)
    assert "You cannot restrict your own account." in response.get_data(as_text=True)
    user = reload(admin)
    assert (user.role, user.state) == (Role.ADMIN, AccountState.ACTIVE)


def test_admin_may_change_another_admin(client, login, admin, make_user, reload):
    other = make_user(Role.ADMIN)
    login(admin)
    assert edit(client, other, role=Role.RESIDENT).status_code == 302
    assert reload(other).role == Role.RESIDENT


@pytest.mark.parametrize("path", ["/admin/pengguna/999999", "/admin/pengguna/99999999999999999999999"])
def test_unknown_user_is_the_404_page(client, login, admin, path):
    login(admin)
    response = client.get(path)
    assert response.status_code == 404
    assert "(404)" in response.get_data(as_text=True)
    assert client.post(path, data={"role": "admin", "state": "active"}).status_code == 404


def test_deleted_account_is_shown_but_not_editable(client, login, admin, make_user, reload):
    gone = make_user(deleted_at=utcnow())
    client.set_cookie("lang", "en")
    login(admin)
    page = client.get(f"/admin/pengguna/{gone.id}").get_data(as_text=True)
    assert "It can no longer be changed." in page
    assert 'name="role"' not in page
    assert edit(client, gone, role=Role.ADMIN).status_code == 404
    assert reload(gone).role == Role.RESIDENT


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.OFFICIAL, Role.MODERATOR])
def test_non_admins_cannot_read_or_change(client, login, make_user, resident, role, reload):
    login(make_user(role))
    assert client.get(f"/admin/pengguna/{resident.id}").status_code == 403
    assert edit(client, resident, role=Role.ADMIN).status_code == 403
    assert reload(resident).role == Role.RESIDENT


def test_visitor_post_changes_nothing(client, resident, reload):
    response = edit(client, resident, role=Role.ADMIN)
    assert response.status_code == 302 and "/akun/masuk" in response.headers["Location"]
    assert reload(resident).role == Role.RESIDENT


def test_missing_csrf_token_re_renders_with_input_kept(make_app, login, admin, resident, reload):
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    client = login(admin, on=csrf_app.test_client())
    client.set_cookie("lang", "en")
    response = edit(client, resident, role=Role.MODERATOR, state_reason="tetap di sini")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Your form expired or was sent from elsewhere." in page
    assert "tetap di sini" in page
    assert reload(resident).role == Role.RESIDENT


def test_labels_follow_the_language(client, login, admin, resident):
    client.set_cookie("lang", "en")
    login(admin)
    page = client.get(f"/admin/pengguna/{resident.id}").get_data(as_text=True)
    for label in ("Resident", "Official", "Moderator", "Administrator", "Silenced", "Suspended", "Banned"):
        assert f">{label}</option>" in page
    assert f">{Agency.query.filter_by(code='bappeda').one().short_name} — " in page


def test_service_accepts_an_exact_end_time(app, admin, resident, reload):
    moment = datetime(2099, 1, 1, 5, 0, tzinfo=timezone.utc)
    change_user_roles(admin, resident, Role.RESIDENT, state=AccountState.SILENCED, state_until=moment)
    assert reload(resident).state_until == moment


def test_service_changes_nothing_when_one_check_fails(app, admin, resident, reload):
    with pytest.raises(ValidationFailed) as failure:
        change_user_roles(
            admin, resident, Role.OFFICIAL, agency_code="bappeda",
            state=AccountState.SUSPENDED, state_until=city_today() - timedelta(days=1),
        )
    assert set(failure.value.fields) == {"state_until"}
    # Nothing was touched before the failing check, so nothing waits to be flushed.
    assert resident.role == Role.RESIDENT and resident.agency is None
    assert reload(resident).state == AccountState.ACTIVE
