"""Input per channel in the feedback summary and its exports: online, face to face and desk side by side."""
import csv
import io
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import Channel, Comment, District
from forum.reports.scope import SummaryFilters
from forum.reports.serialize import summary_json
from forum.reports.summary import build_summary
from forum.services import event_outcomes, events, summaries
from forum.timeutil import utcnow

BOM = "\ufeff"


@pytest.fixture
def offline(consultation):
    """The consultation with a meeting's point (Serpong, clause 1) and a desk comment (Ciputat)."""
    policy, official = consultation.policy, consultation.official
    starts = utcnow() - timedelta(days=1)
    event = events.create_event(official, title="Konsultasi di Serpong", kind="consultation",
                                kelurahan="serpong.cilenggang", address="Balai Warga", capacity=50,
                                starts_at=starts, ends_at=starts + timedelta(hours=2), policy_id=policy.id)
    first = policy.current_version.sections[0]
    event_outcomes.add_meeting_point(official, event, body="Taman harus ramah lansia.", stance="oppose",
                                     section_id=first.id, agreed_count=12)
    ciputat = District.query.filter_by(code="ciputat.cipayung").one()
    db.session.add(Comment(author_id=official.id, target_id=policy.id, body_source="Dari loket.",
                           body_html="<p>Dari loket.</p>", stance="support", channel=Channel.DESK,
                           input_district_id=ciputat.id, version_id=policy.current_version.id))
    db.session.commit()
    return consultation


def test_stance_per_clause_and_channel(app, offline):
    summary = build_summary(offline.policy)
    totals = summary.channels.totals
    assert totals[Channel.FACE_TO_FACE] == {"comments": 1, "support": 0, "oppose": 1, "neutral": 0, "people": 12}
    assert totals[Channel.DESK]["support"] == 1
    assert totals[Channel.ONLINE]["comments"] == 5  # the residents' first-level comments
    assert set(totals) == set(Channel.ALL)
    first = next(clause for clause in summary.channels.clauses if clause.number == 1)
    assert first.channels[Channel.FACE_TO_FACE]["oppose"] == 1
    assert first.channels[Channel.ONLINE] == {"comments": 3, "support": 1, "oppose": 2, "neutral": 0, "people": 3}
    whole = next(clause for clause in summary.channels.clauses if clause.number == 0)
    assert whole.channels[Channel.DESK]["comments"] == 1


def test_areas_are_where_the_input_came_from(app, offline):
    summary = build_summary(offline.policy)
    areas = {area.code: area.channels for area in summary.channels.kecamatan}
    assert areas["serpong"][Channel.FACE_TO_FACE] == 1 and areas["serpong"][Channel.ONLINE] == 1
    assert areas["ciputat"][Channel.DESK] == 1
    assert areas["pondok-aren"][Channel.ONLINE] == 3
    kecamatan = {area.code: area.comments for area in summary.kecamatan}
    assert kecamatan["serpong"] == 2 and kecamatan["ciputat"] == 1
    only_serpong = build_summary(offline.policy, SummaryFilters(kecamatan="serpong"))
    assert only_serpong.channels.totals[Channel.FACE_TO_FACE]["comments"] == 1
    assert only_serpong.channels.totals[Channel.DESK]["comments"] == 0


def test_json_gains_channels(app, offline):
    data = summary_json(build_summary(offline.policy))
    assert data["channels"]["totals"]["face_to_face"]["people"] == 12
    assert {"clause_key", "number", "heading", "channels"} <= set(data["channels"]["clauses"][0])
    assert "policy" in data and "clauses" in data  # the earlier shape is kept


def test_csv_rows_gain_a_channel_column(app, offline):
    file = summaries.export_policy(offline.official, offline.policy.id, "csv")
    text = "".join(file.chunks)
    rows = list(csv.DictReader(io.StringIO(text[len(BOM):])))
    header = text[len(BOM):].splitlines()[0].split(",")
    assert header.index("channel") > header.index("text") == header.index("author") + 1  # added, never renamed
    point = next(row for row in rows if row["text"] == "Taman harus ramah lansia.")
    assert point["channel"] == "face_to_face" and point["kecamatan"] == "Serpong"
    assert {row["channel"] for row in rows} == {"online", "face_to_face", "desk"}


def test_summary_page_shows_channels_side_by_side(client, login, offline):
    login(offline.official)
    page = client.get(f"/konsultasi/{offline.policy.id}/ringkasan").get_data(as_text=True)
    assert "Masukan daring dan tatap muka" in page
    assert "Daring" in page and "Tatap muka" in page and "Layanan kelurahan" in page
    assert "Sikap per pasal dan saluran" in page
