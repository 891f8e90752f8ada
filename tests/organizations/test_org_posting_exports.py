"""Exports and the feedback summary name organizations (public actors) and never their members."""
import csv
import io
import json

import pytest
from openpyxl import load_workbook

from forum.reports import formats
from forum.services import aspirations, summaries, survey_answers, votes, writing
from forum.services.summaries import summary_for
from tests.factories import make_organization, make_policy, no_post_rate  # noqa: F401
from tests.surveys.conftest import QUESTIONS, full_answers, make_survey  # noqa: F401

ORGANIZATION = "LSM Lingkar Hijau Tangsel"


@pytest.fixture
def member(make_user):
    return make_user(display_name="Anggota Rahasia Sekali", email="anggota@example.test")


@pytest.fixture
def organization(member, kelurahan):
    return make_organization(members=[member], name=ORGANIZATION, district=kelurahan)


@pytest.fixture
def policy(official):
    return make_policy(official.agency, title="Rancangan Perwali Taman Kota")


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_consultation_export_and_summary(official, admin, resident, member, organization, policy, no_post_rate):
    first = policy.current_version.sections[0]
    writing.write(member, policy, body="Kami mendukung pasal taman.", stance="support", section_id=first.id,
                  as_organization=organization.id)
    writing.write(member, policy, body="Pendapat pribadi saya.", stance="oppose", section_id=first.id)
    writing.write(resident, policy, body="Saya setuju.", stance="support", section_id=first.id)
    votes.vote_on_policy(member, policy, "oppose", as_organization=organization.id)
    summary = summary_for(policy, "staff")
    assert summary.comments == 2 and summary.votes_oppose == 0  # residents' figures leave organizations out
    clause = summary.clauses[0]
    assert (clause.support, clause.oppose) == (1, 1)
    [taking_part] = summary.organizations
    assert (taking_part.name, taking_part.comments, taking_part.vote) == (ORGANIZATION, 1, "oppose")
    assert taking_part.stance_on(first.clause_key) == "support"
    document = summaries.summary_document(summary, "public")
    assert document["organizations"][0]["name"] == ORGANIZATION
    assert document["organizations"][0]["stances"][0]["stance"] == "support"
    export = summaries.export_policy(official, policy.id, "csv")
    rows = {row["text"]: row for row in csv_rows("".join(export.chunks))}
    own = rows["Kami mendukung pasal taman."]
    assert own["organization"] == ORGANIZATION and own["author"] == f"ORG-{organization.id}"
    assert own["kelurahan"] == organization.district.name
    assert rows["Pendapat pribadi saya."]["organization"] == "" and rows["Pendapat pribadi saya."]["author"] != \
        own["author"]
    personal = summaries.export_policy(admin, policy.id, "csv", with_personal_data=True, reason="Audit")
    text = "".join(personal.chunks)
    row = {row["text"]: row for row in csv_rows(text)}["Kami mendukung pasal taman."]
    assert (row["author_name"], row["author_email"]) == (ORGANIZATION, "")
    workbook = load_workbook(summaries.export_policy(official, policy.id, "xlsx").path, read_only=True)
    sheet = [list(values) for values in workbook["Organisasi"].iter_rows(values_only=True)]
    assert sheet[1][:1] == [ORGANIZATION] and "Anggota Rahasia Sekali" not in json.dumps(sheet, default=str)


def test_summary_page_lists_the_organizations(client, login, official, member, organization, policy,
                                              no_post_rate):
    writing.write(member, policy, body="Kami keberatan.", stance="oppose",
                  section_id=policy.current_version.sections[1].id, as_organization=organization.id)
    login(official)
    page = client.get(f"/konsultasi/{policy.id}/ringkasan").get_data(as_text=True)
    assert "Organisasi yang ikut serta" in page and ORGANIZATION in page
    assert "Pasal 2: Menolak" in page
    assert "Anggota Rahasia Sekali" not in page


def test_aspiration_export_names_the_organization(official, moderator, member, organization, make_user,
                                                  no_post_rate):
    raised = aspirations.submit_aspiration(
        member, aspiration_type="proposal", title="Bank sampah di RW 05", body="Kami siap mengelola.",
        category="lingkungan", district="pondok-aren.pondok-betung", visibility="public",
        as_organization=organization.id)
    aspirations.transition(moderator, raised, "forwarded", agency=official.agency.code)
    other = make_organization(members=[make_user()], name="Karang Taruna")
    aspirations.support(other.members[0].user, raised, as_organization=other.id)
    export = summaries.export_aspirations(official, "csv")
    [row] = csv_rows("".join(export.chunks))
    assert row["organization"] == ORGANIZATION and row["author"] == f"ORG-{organization.id}"
    assert (row["supporters"], row["organization_supporters"]) == ("1", "1")
    assert "Anggota Rahasia Sekali" not in json.dumps(row)
    document = json.loads("".join(summaries.export_aspirations(official, "json").chunks))
    assert document["totals"]["from_organizations"] == 1


def test_survey_export_names_the_organization_apart(official, member, resident, organization, make_survey):
    survey = make_survey()
    survey_answers.submit_response(member, survey, full_answers(survey), as_organization=organization.id)
    survey_answers.submit_response(resident, survey, full_answers(survey))
    export = formats.build(formats.SURVEY, "csv", survey)
    rows = csv_rows("".join(export.chunks))
    assert sorted(row["organization"] for row in rows) == ["", ORGANIZATION]
    assert {row["respondent"] for row in rows if row["organization"]} == {f"ORG-{organization.id}"}
    document = json.loads("".join(formats.build(formats.SURVEY, "json", survey).chunks))
    assert document["results"]["responses"] == 1 and document["organization_results"]["responses"] == 1
    workbook = load_workbook(formats.build(formats.SURVEY, "xlsx", survey).path, read_only=True)
    assert "Organisasi" in workbook.sheetnames
