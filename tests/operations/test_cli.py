"""The command line: create-user, create-token, seed-demo, init.

Commands run in English (`force_locale`), so the messages asserted here are
the msgids whatever the Indonesian catalog says.
"""
import pytest
from flask_babel import force_locale

from forum.extensions import db
from forum.models import ApiToken, Category, Role, User
from forum.demo import DEMO_STAFF, RESIDENT_NAMES
from forum.demo.accounts import DEMO_PASSWORD

PASSWORD = "a long enough passphrase"


def invoke(runner, *args, **options):
    with force_locale("en"):
        return runner.invoke(args=list(args), **options)


def create_user(runner, email, *options, password=PASSWORD):
    return invoke(runner, "create-user", email, *options, "--password", password)


@pytest.mark.parametrize(
    "role, options",
    [
        (Role.RESIDENT, ["--district", "pondok-aren.pondok-betung"]),
        (Role.OFFICIAL, ["--agency", "dishub"]),
        (Role.MODERATOR, []),
        (Role.ADMIN, ["--name", "Admin Kota"]),
        (Role.DESK, ["--district", "serpong.cilenggang"]),
    ],
)
def test_create_user_prints_the_id_of_a_verified_account(runner, app, role, options):
    result = create_user(runner, "Orang@Example.TEST", "--role", role, *options)
    assert result.exit_code == 0, result.output
    user = db.session.get(User, int(result.output.strip()))
    assert user.email == "orang@example.test"
    assert user.role == role
    assert user.is_verified
    assert user.check_password(PASSWORD)
    if role == Role.OFFICIAL:
        assert user.agency.code == "dishub"
    if role == Role.RESIDENT:
        assert user.district.code == "pondok-aren.pondok-betung"
    if role == Role.ADMIN:
        assert user.display_name == "Admin Kota"
    if role == Role.DESK:
        assert user.district.code == "serpong.cilenggang"


def test_a_desk_officer_needs_a_kelurahan(runner, app):
    result = create_user(runner, "petugas@example.test", "--role", Role.DESK)
    assert result.exit_code == 1
    assert "must belong to a kelurahan" in result.output


def test_create_user_asks_for_the_password_when_omitted(runner, app):
    answers = f"{PASSWORD}\n{PASSWORD}\n"
    result = invoke(runner, "create-user", "tanya@example.test", "--role", "moderator", input=answers)
    assert result.exit_code == 0, result.output
    user = User.query.filter_by(email="tanya@example.test").one()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "options, message",
    [
        (["--role", "official"], "agency"),
        (["--role", "official", "--agency", "no-such-agency"], "Unknown agency code"),
        (["--role", "resident", "--district", "pondok-aren"], "Unknown kelurahan code"),
        (["--role", "resident", "--district", "atlantis.kota"], "Unknown kelurahan code"),
    ],
)
def test_create_user_refuses_bad_codes_and_saves_nothing(runner, app, options, message):
    result = create_user(runner, "salah@example.test", *options)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert User.query.filter_by(email="salah@example.test").count() == 0


def test_create_user_refuses_an_agency_for_a_non_official(runner, app):
    result = create_user(runner, "bukan@example.test", "--role", "moderator", "--agency", "dishub")
    assert result.exit_code != 0
    assert "only for officials" in result.output
    assert User.query.count() == 0


def test_create_user_refuses_an_unknown_role(runner, app):
    result = create_user(runner, "peran@example.test", "--role", "mayor")
    assert result.exit_code != 0
    assert "mayor" in result.output
    assert User.query.count() == 0


def test_create_user_refuses_a_duplicate_email(runner, app, resident):
    result = create_user(runner, resident.email.upper(), "--role", "resident")
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert User.query.count() == 1


@pytest.mark.parametrize("password, message", [("password", "too common"), ("short", "at least 8")])
def test_create_user_refuses_a_weak_password(runner, app, password, message):
    result = create_user(runner, "lemah@example.test", "--role", "admin", password=password)
    assert result.exit_code != 0
    assert message in result.output
    assert User.query.count() == 0


def test_create_token_prints_a_token_that_works_on_the_api(runner, app, official):
    result = invoke(runner, "create-token", official.email, "--name", "kasus")
    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    assert raw.startswith(ApiToken.PREFIX)
    row = ApiToken.query.filter_by(user_id=official.id).one()
    assert row.name == "kasus"
    assert row.token_hash != raw and raw not in row.token_hash
    response = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.get_json()["id"] == official.id


def test_create_token_matches_the_email_case_insensitively(runner, app, resident):
    result = invoke(runner, "create-token", f"  {resident.email.upper()} ")
    assert result.exit_code == 0, result.output
    assert ApiToken.query.filter_by(user_id=resident.id, name="cli").count() == 1


def test_create_token_for_an_unknown_email_fails_clearly(runner, app):
    result = invoke(runner, "create-token", "nobody@example.test")
    assert result.exit_code != 0
    assert "nobody@example.test" in result.output
    assert ApiToken.query.count() == 0


def test_create_token_refuses_an_overlong_name(runner, app, resident):
    result = invoke(runner, "create-token", resident.email, "--name", "x" * 81)
    assert result.exit_code != 0
    assert "80" in result.output
    assert ApiToken.query.count() == 0


def test_seed_demo_small_is_idempotent(runner, app):
    first = invoke(runner, "seed-demo")
    assert first.exit_code == 0, first.output
    count = User.query.count()
    emails = {email for (email,) in db.session.query(User.email)}
    assert {email for email, *_details in DEMO_STAFF} <= emails
    assert {f"warga{n}@demo.musyawarah.id" for n in range(1, len(RESIDENT_NAMES) + 1)} <= emails
    second = invoke(runner, "seed-demo", "--size", "small")
    assert second.exit_code == 0, second.output
    assert User.query.count() == count
    official = User.query.filter_by(email="dishub@demo.musyawarah.id").one()
    assert official.role == Role.OFFICIAL and official.agency.code == "dishub"
    residents = User.query.filter_by(role=Role.RESIDENT).all()
    assert all(user.district is not None and user.is_verified for user in residents)
    assert residents[0].check_password(DEMO_PASSWORD) and official.check_password(DEMO_PASSWORD)


@pytest.mark.parametrize("command", [["seed-demo"], ["init"]])
def test_seed_demo_and_init_load_the_reference_data(runner, app, command):
    category = Category.query.filter_by(code="kesehatan").one()
    category.name_en = "Changed by a test"
    db.session.commit()
    try:
        result = invoke(runner, *command)
        assert result.exit_code == 0, result.output
        db.session.refresh(category)
        assert category.name_en == "Health"
    finally:
        category.name_en = "Health"
        db.session.commit()


def test_init_loads_the_demo_only_into_a_new_database(runner, app):
    """`make run`'s first start: `init --demo-if-new` seeds a database without accounts, and only that."""
    first = invoke(runner, "init", "--demo-if-new")
    assert first.exit_code == 0, first.output
    assert f"password for demo accounts: {DEMO_PASSWORD}" in first.output
    accounts = User.query.count()
    assert User.query.filter_by(email=DEMO_STAFF[0][0]).one()
    again = invoke(runner, "init", "--demo-if-new")
    assert again.exit_code == 0, again.output
    assert "demo data loaded" not in again.output and User.query.count() == accounts
