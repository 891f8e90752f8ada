"""The policy services without HTTP: drafting rules, phases, versions, outcome, attachments, diff."""
from datetime import timedelta
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage

from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.extensions import db
from forum.models import (
    Agency,
    Attachment,
    Follow,
    Notification,
    Policy,
    PolicyPhase,
    Role,
)
from forum.services import attachments, diff, policies
from forum.timeutil import utcnow

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def sections(count=2):
    return [{"heading": f"Pasal {n}", "body": f"Isi pasal {n} tentang layanan."} for n in range(1, count + 1)]


def draft_fields(**overrides):
    now = utcnow()
    fields = {
        "title": "Rancangan Perwali Layanan Publik Digital",
        "summary": "Ringkasan rancangan.",
        "sections": sections(),
        "category_code": "infrastruktur",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=14),
    }
    fields.update(overrides)
    return fields


def make_draft(official, **overrides):
    return policies.create_policy(official, **draft_fields(**overrides))


def make_open(official, **overrides):
    policy = make_draft(official, **overrides)
    policies.publish_policy(official, policy)
    return policy


def force_closes_at(policy, moment):
    """Move the window into the past, as time passing would (no sleeping)."""
    policy.opens_at = moment - timedelta(days=10)
    policy.closes_at = moment
    db.session.commit()


def pdf_upload(data=PDF, name="rancangan.pdf"):
    return FileStorage(stream=BytesIO(data), filename=name, content_type="application/pdf")


@pytest.fixture
def other_official(make_user):
    return make_user(Role.OFFICIAL, agency=Agency.query.filter_by(code="dlh").one())


# -- creating and validating ---------------------------------------------------
def test_create_policy_makes_a_draft_with_version_one(official):
    policy = make_draft(official)
    assert policy.phase == PolicyPhase.DRAFT
    assert policy.agency_id == official.agency_id
    version = policy.current_version
    assert version.number == 1
    assert [s.number for s in version.sections] == [1, 2]
    assert len({s.clause_key for s in version.sections}) == 2
    assert version.sections[0].body_html == "<p>Isi pasal 1 tentang layanan.</p>"


@pytest.mark.parametrize("overrides, field", [
    ({"sections": []}, "sections"),
    ({"sections": sections(51)}, "sections"),
    ({"sections": [{"heading": "x" * 201, "body": "isi"}]}, "sections-0-heading"),
    ({"sections": [{"heading": "Pasal", "body": "x" * 20_001}]}, "sections-0-body"),
    ({"sections": [{"heading": "Pasal", "body": "  "}]}, "sections-0-body"),
    ({"title": ""}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"category_code": "no-such-category"}, "category"),
])
def test_create_policy_refuses_bad_fields(official, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        make_draft(official, **overrides)
    assert field in caught.value.fields
    assert Policy.query.count() == 0


def test_window_must_be_ordered_and_not_over(official):
    now = utcnow()
    with pytest.raises(ValidationFailed) as caught:
        make_draft(official, opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=1))
    assert "closes_at" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        make_draft(official, opens_at=now - timedelta(days=2), closes_at=now - timedelta(minutes=1))
    assert "closes_at" in caught.value.fields
    assert Policy.query.count() == 0


def test_only_agency_officials_create(resident, admin, moderator, make_user):
    for user in (resident, admin, moderator, make_user(Role.OFFICIAL, agency=None)):
        with pytest.raises(Forbidden):
            make_draft(user)


def test_drafts_belong_to_their_agency(official, other_official, resident, admin):
    policy = make_draft(official)
    for outsider in (other_official, resident, None):
        with pytest.raises(NotFound):
            policies.visible_policy(outsider, policy.id)
    assert policies.visible_policy(admin, policy.id) is policy
    with pytest.raises(Forbidden):
        policies.update_draft(other_official, policy, **draft_fields(title="Diubah"))
    with pytest.raises(Forbidden):
        policies.publish_policy(other_official, policy)
    assert db.session.get(Policy, policy.id).phase == PolicyPhase.DRAFT


def test_update_draft_rewrites_sections(official):
    policy = make_draft(official, sections=sections(3))
    policies.update_draft(official, policy, **draft_fields(title="Judul baru", sections=sections(1)))
    db.session.expire_all()
    policy = db.session.get(Policy, policy.id)
    assert policy.title == "Judul baru"
    assert [s.heading for s in policy.current_version.sections] == ["Pasal 1"]


# -- phases --------------------------------------------------------------------
def test_publish_opens_now_or_announces(official, resident):
    open_now = make_open(official)
    assert open_now.phase == PolicyPhase.OPEN and open_now.accepts_input()
    now = utcnow()
    later = make_open(official, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=5))
    assert later.phase == PolicyPhase.OPEN
    assert later.is_upcoming() and not later.accepts_input()
    assert policies.visible_policy(resident, later.id) is later
    with pytest.raises(Conflict):
        policies.publish_policy(official, later)


def test_publish_refuses_a_window_that_has_passed(official):
    policy = make_draft(official)
    force_closes_at(policy, utcnow() - timedelta(minutes=1))
    with pytest.raises(ValidationFailed):
        policies.publish_policy(official, policy)
    assert db.session.get(Policy, policy.id).phase == PolicyPhase.DRAFT


def test_close_by_hand(official, other_official):
    policy = make_open(official)
    with pytest.raises(Forbidden):
        policies.close_policy(other_official, policy)
    policies.close_policy(official, policy)
    assert policy.phase == PolicyPhase.CLOSED and policy.closed_at is not None
    with pytest.raises(Conflict):
        policies.close_policy(official, policy)


def test_overdue_consultations_close_on_read(official, resident):
    overdue = make_open(official)
    running = make_open(official)
    draft = make_draft(official)
    force_closes_at(overdue, utcnow() - timedelta(seconds=1))
    follower = Follow(user_id=resident.id, content_id=overdue.id)
    db.session.add(follower)
    db.session.commit()

    assert policies.visible_policy(resident, overdue.id).phase == PolicyPhase.CLOSED
    assert db.session.get(Policy, running.id).phase == PolicyPhase.OPEN
    assert db.session.get(Policy, draft.id).phase == PolicyPhase.DRAFT
    assert policies.refresh_phases() == []  # closed once, not again
    events = [n.event for n in Notification.query.filter_by(user_id=resident.id, content_id=overdue.id)]
    assert events.count("policy_closed") == 1


def test_closing_soon_is_announced_once(official, resident):
    soon = make_open(official, closes_at=utcnow() + timedelta(hours=30))
    far = make_open(official, closes_at=utcnow() + timedelta(days=10))
    for policy in (soon, far):
        db.session.add(Follow(user_id=resident.id, content_id=policy.id))
    db.session.commit()
    policies.refresh_phases()
    policies.refresh_phases()
    db.session.expire_all()
    assert db.session.get(Policy, soon.id).closing_soon_notified_at is not None
    assert db.session.get(Policy, far.id).closing_soon_notified_at is None
    notes = Notification.query.filter_by(user_id=resident.id, event="policy_closing_soon").all()
    assert [n.content_id for n in notes] == [soon.id]


# -- versions and diff -----------------------------------------------------------
def test_new_version_keeps_clause_keys_and_diffs(official):
    policy = make_open(official, sections=[
        {"heading": "Tujuan", "body": "Layanan cepat."},
        {"heading": "Biaya", "body": "Gratis."},
        {"heading": "Sanksi", "body": "Teguran."},
    ])
    first = policy.current_version
    keys = [s.clause_key for s in first.sections]
    with pytest.raises(ValidationFailed) as caught:
        policies.publish_new_version(official, policy, sections=sections(1), change_note="")
    assert "change_note" in caught.value.fields

    second = policies.publish_new_version(official, policy, change_note="Biaya dihapus; pasal baru.", sections=[
        {"heading": "Tujuan", "body": "Layanan cepat dan mudah.", "clause_key": keys[0]},
        {"heading": "Sanksi", "body": "Teguran.", "clause_key": keys[2]},
        {"heading": "Pengaduan", "body": "Warga dapat mengadu.", "clause_key": "made-up"},
    ])
    assert second.number == 2
    assert [v.number for v in policy.versions] == [1, 2]
    assert [s.heading for s in first.sections] == ["Tujuan", "Biaya", "Sanksi"]  # earlier version stays
    assert second.sections[0].clause_key == keys[0]
    assert second.sections[2].clause_key not in keys

    changes = {c.clause_key: c for c in policies.section_diff(first, second)}
    assert changes[keys[0]].status == diff.CHANGED
    assert str(changes[keys[0]].body_html) == "Layanan cepat<ins> dan mudah</ins>."
    assert changes[keys[1]].status == diff.REMOVED
    assert changes[keys[2]].status == diff.UNCHANGED
    assert changes[second.sections[2].clause_key].status == diff.ADDED


def test_new_version_needs_open_or_closed(official):
    policy = make_draft(official)
    with pytest.raises(Conflict):
        policies.publish_new_version(official, policy, sections=sections(1), change_note="x")


def test_diff_escapes_and_marks_moves():
    class S:
        def __init__(self, key, number, heading, body):
            self.clause_key, self.number, self.heading, self.body_source = key, number, heading, body

    class V:
        def __init__(self, *sections):
            self.sections = list(sections)

    old = V(S("a", 1, "A", "<script>x</script>"), S("b", 2, "B", "same"), S("c", 3, "C", "same"))
    new = V(S("c", 1, "C", "same"), S("a", 2, "A", "<script>y</script>"), S("b", 3, "B", "same"))
    result = diff.section_diff(old, new)
    by_key = {c.clause_key: c for c in result}
    assert by_key["c"].status == diff.MOVED
    assert by_key["b"].status == diff.UNCHANGED
    html = str(by_key["a"].body_html)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "<del>x</del><ins>y</ins>" in html


def test_word_diff_only_emits_ins_and_del():
    html = str(diff.word_diff('a <b onclick="x">', 'a <i> & "q"'))
    stripped = html.replace("<ins>", "").replace("</ins>", "").replace("<del>", "").replace("</del>", "")
    assert "<" not in stripped and ">" not in stripped


# -- outcome -------------------------------------------------------------------
def test_outcome_only_when_closed(official):
    policy = make_open(official)
    section = policy.current_version.sections[0]
    with pytest.raises(Conflict):
        policies.publish_outcome(official, policy, outcome="Hasil.")
    policies.close_policy(official, policy)
    with pytest.raises(ValidationFailed) as caught:
        policies.publish_outcome(official, policy, outcome="", clause_notes={section.id: "x"})
    assert "outcome" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        policies.publish_outcome(official, policy, outcome="Hasil.", clause_notes={999999: "x"})
    assert "clause_notes" in caught.value.fields
    policies.publish_outcome(official, policy, outcome="Kami **mengubah** pasal 1.",
                             clause_notes={section.id: "Anda meminta biaya gratis; kami setuju."})
    assert policy.phase == PolicyPhase.FINAL
    assert "<strong>mengubah</strong>" in policy.outcome_html
    assert section.outcome_note == "Anda meminta biaya gratis; kami setuju."


# -- agency list ---------------------------------------------------------------
def test_agency_list_shows_own_agency_only(official, other_official, admin, resident):
    mine = make_draft(official)
    theirs = make_draft(other_official)
    assert policies.agency_policies(official) == [mine]
    assert {p.id for p in policies.agency_policies(admin)} == {mine.id, theirs.id}
    with pytest.raises(Forbidden):
        policies.agency_policies(resident)


# -- attachments ---------------------------------------------------------------
def test_pdf_is_stored_under_a_generated_name(app, official):
    policy = make_draft(official)
    attachment = attachments.add_attachment(official, policy, pdf_upload(name="../../Rancangan Perwali.pdf"))
    assert attachment.original_name == "Rancangan Perwali.pdf"
    assert attachment.stored_name != attachment.original_name and len(attachment.stored_name) == 36
    stored = attachments.upload_dir() / attachment.stored_name
    assert stored.read_bytes() == PDF
    assert str(stored).startswith(app.config["UPLOAD_DIR"])


@pytest.mark.parametrize("data, name", [
    (b"MZ\x90\x00 not a pdf at all" * 10, "virus.pdf"),
    (b"%PDF-1.4 truncated without end marker", "half.pdf"),
    (b"", "empty.pdf"),
    (PDF + b"x" * (10 * 1024 * 1024), "big.pdf"),
])
def test_non_pdf_or_too_large_is_refused(official, data, name):
    policy = make_draft(official)
    with pytest.raises(ValidationFailed) as caught:
        attachments.add_attachment(official, policy, pdf_upload(data, name))
    assert "file" in caught.value.fields
    assert Attachment.query.count() == 0


def test_attachments_of_drafts_are_hidden(official, other_official, resident):
    policy = make_draft(official)
    attachment = attachments.add_attachment(official, policy, pdf_upload())
    with pytest.raises(Forbidden):
        attachments.add_attachment(other_official, policy, pdf_upload())
    for outsider in (resident, other_official, None):
        with pytest.raises(NotFound):
            attachments.attachment_for_download(outsider, attachment.id)
    policies.publish_policy(official, policy)
    assert attachments.attachment_for_download(resident, attachment.id)[0] is attachment
    attachments.remove_attachment(official, attachment.id)
    with pytest.raises(NotFound):
        attachments.attachment_for_download(resident, attachment.id)
