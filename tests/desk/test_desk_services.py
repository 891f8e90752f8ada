"""Desk services: submitting for residents, consent, kelurahan binding, updates, tracking and claiming."""
import io

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from tests.desk.conftest import resident_details
from tests.factories import make_policy
from tests.surveys.conftest import full_answers

from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.extensions import db
from forum.models import Aspiration, Channel, Comment, Content, DeskSubmission, Notification, SurveyResponse
from forum.services import aspirations as aspiration_service
from forum.services import desk, desk_tracking
from forum.services.signed_tokens import TokenInvalid
from moderation.models import AuditEntry


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, "JPEG")
    return FileStorage(stream=io.BytesIO(buffer.getvalue()), filename="foto.jpg")


def test_desk_aspiration_has_no_author_and_is_signed_by_the_kelurahan(desk_aspiration, officer, kelurahan):
    submission = desk_aspiration()
    aspiration = submission.content
    assert aspiration.author_id is None
    assert aspiration.channel == Channel.DESK
    assert aspiration.input_district_id == kelurahan.id
    assert aspiration.state == "submitted" and aspiration.verify_due_at is not None
    assert submission.officer_id == officer.id and submission.consent_version == desk.CONSENT_VERSION
    assert submission.consent_at is not None
    assert "Pondok Betung" in aspiration.public_author_name()
    assert officer.display_name not in aspiration.public_author_name()
    assert aspiration.events[0].actor_role == "desk"
    assert "Pondok Betung" in aspiration_service.event_actor(aspiration.events[0], None)


def test_phone_is_kept_as_a_keyed_digest_of_the_normalized_number(desk_aspiration):
    submission = desk_aspiration(resident_details(phone="+62 812-3456-7890"))
    assert "812" not in submission.phone_digest
    assert submission.phone_digest == desk.phone_digest("081234567890")


def test_anonymous_desk_aspiration_hides_the_signature_from_the_public(desk_aspiration, moderator):
    aspiration = desk_aspiration(visibility="anonymous").content
    assert aspiration.public_author_name() is None
    assert aspiration.author_name_for(None) is None
    assert "Pondok Betung" in aspiration.author_name_for(moderator)


def test_missing_consent_is_422_and_saves_nothing(desk_aspiration):
    with pytest.raises(ValidationFailed) as refused:
        desk_aspiration(resident_details(consent=False))
    assert "consent" in refused.value.fields
    assert db.session.scalar(select(func.count()).select_from(Content)) == 0
    assert db.session.scalar(select(func.count()).select_from(DeskSubmission)) == 0


def test_other_kelurahan_is_forbidden(other_officer):
    with pytest.raises(Forbidden):
        desk.submit_aspiration(other_officer, resident_details(), aspiration_type="complaint",
                               title="Lampu jalan padam", body="Padam.", category="kebencanaan")
    assert db.session.scalar(select(func.count()).select_from(Content)) == 0


def test_residents_cannot_use_the_desk(resident):
    with pytest.raises(Forbidden):
        desk.submit_aspiration(resident, resident_details(), aspiration_type="complaint",
                               title="Lampu jalan padam", body="Padam.", category="kebencanaan")


def test_bad_phone_and_name_are_named(desk_aspiration):
    with pytest.raises(ValidationFailed) as refused:
        desk_aspiration(resident_details(name=" ", phone="12ab"))
    assert {"resident_name", "phone"} <= set(refused.value.fields)


def test_desk_comment_with_stance_on_a_clause(officer, agency, kelurahan):
    policy = make_policy(agency)
    section = policy.current_version.sections[0]
    submission = desk.submit_comment(officer, resident_details(), policy_id=policy.id, body="Saya setuju pasal ini.",
                                     stance="support", section_id=section.id)
    comment = submission.content
    assert isinstance(comment, Comment) and comment.author_id is None
    assert comment.channel == Channel.DESK and comment.input_district_id == kelurahan.id
    assert comment.section_id == section.id and comment.stance == "support"
    assert "Pondok Betung" in comment.public_author_name()
    db.session.refresh(section)
    assert section.support_count == 1


def test_desk_comment_needs_a_stance(officer, agency):
    policy = make_policy(agency)
    with pytest.raises(ValidationFailed) as refused:
        desk.submit_comment(officer, resident_details(), policy_id=policy.id, body="Komentar.", stance="")
    assert "stance" in refused.value.fields
    assert db.session.scalar(select(func.count()).select_from(DeskSubmission)) == 0


def test_desk_survey_answer_has_no_user_and_counts(officer, survey):
    submission = desk.submit_survey_response(officer, resident_details(), survey, full_answers(survey))
    response = submission.survey_response
    assert response.user_id is None and response.channel == "desk"
    assert response.kecamatan_id == officer.district.parent_id
    db.session.refresh(survey)
    assert survey.response_count == 1
    # A second resident at the same desk answers too: no "one per person" clash without accounts.
    desk.submit_survey_response(officer, resident_details(name="Pak Budi"), survey, full_answers(survey))
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 2


def test_queue_lists_only_the_officers_kelurahan(desk_aspiration, officer, other_officer):
    desk_aspiration()
    assert len(db.session.scalars(desk.queue_query(officer)).all()) == 1
    assert db.session.scalars(desk.queue_query(other_officer)).all() == []


def test_update_adds_a_public_timeline_step_and_a_photo(desk_aspiration, officer, other_officer):
    submission = desk_aspiration()
    with pytest.raises(Forbidden):
        desk.add_update(other_officer, submission, "Warga datang lagi.")
    desk.add_update(officer, submission, "Warga datang lagi, menambahkan foto.", [_photo()])
    aspiration = db.session.get(Aspiration, submission.content_id)
    step = aspiration.events[-1]
    assert step.from_state == step.to_state == "submitted" and step.note.startswith("Warga datang lagi")
    assert len(aspiration.photos) == 1


def test_update_needs_text_or_photo(desk_aspiration, officer):
    submission = desk_aspiration()
    with pytest.raises(ValidationFailed):
        desk.add_update(officer, submission, "  ")


def test_get_submission_of_another_kelurahan_is_forbidden(desk_aspiration, other_officer):
    submission = desk_aspiration()
    with pytest.raises(Forbidden):
        desk.get_submission(other_officer, submission.id)
    with pytest.raises(NotFound):
        desk.get_submission(other_officer, submission.id + 1000)


# -- tracking --------------------------------------------------------------------------------------
def test_track_shows_status_and_public_timeline_with_the_answer(desk_aspiration, staff):
    submission = desk_aspiration()
    typed = submission.receipt_code.lower()[:4] + " - " + submission.receipt_code[4:]
    tracked = desk_tracking.track(typed)
    assert tracked.status == "submitted" and tracked.aspiration is None and tracked.steps == []
    aspiration = submission.content
    aspiration_service.transition(staff["moderator"], aspiration, "verified")
    aspiration_service.transition(staff["moderator"], aspiration, "forwarded", agency="diskominfo")
    aspiration_service.transition(staff["official"], aspiration, "answered", note="Lampu sudah diganti.")
    tracked = desk_tracking.track(submission.receipt_code)
    assert tracked.status == "answered" and tracked.aspiration.id == aspiration.id
    assert any(step.note == "Lampu sudah diganti." for step in tracked.steps)


def test_confidential_aspiration_tracks_its_status_only(desk_aspiration, staff):
    submission = desk_aspiration(visibility="confidential")
    aspiration_service.transition(staff["moderator"], submission.content, "verified")
    tracked = desk_tracking.track(submission.receipt_code)
    assert tracked.status == "verified" and tracked.aspiration is None and tracked.steps == []


def test_comment_receipt_tracks_status_and_consultation(officer, agency):
    policy = make_policy(agency)
    submission = desk.submit_comment(officer, resident_details(), policy_id=policy.id, body="Setuju.",
                                     stance="support")
    tracked = desk_tracking.track(submission.receipt_code)
    assert tracked.status == "published" and tracked.policy.id == policy.id


def test_mistyped_and_unknown_codes_are_told_apart(desk_aspiration):
    code = desk_aspiration().receipt_code
    typo = code[:2] + code[3] + code[2] + code[4:] if code[2] != code[3] else code[:7] + ("2" if code[7] != "2" else "3")
    with pytest.raises(NotFound) as invalid:
        desk_tracking.track(typo)
    assert invalid.value.code == "invalid_code"
    body = "ABCDEFG" if code[:7] != "ABCDEFG" else "BCDEFGH"
    from forum.receipt_codes import check_character
    with pytest.raises(NotFound) as unknown:
        desk_tracking.track(body + check_character(body))
    assert unknown.value.code == "not_found"


# -- claiming --------------------------------------------------------------------------------------
def test_claim_with_the_right_phone_moves_the_aspiration_to_the_resident(desk_aspiration, resident, staff):
    submission = desk_aspiration()
    found, token = desk_tracking.start_claim(resident, submission.receipt_code, "0812 3456 7890")
    assert found.id == submission.id
    desk_tracking.confirm_claim(resident, token)
    aspiration = db.session.get(Aspiration, submission.content_id)
    assert aspiration.author_id == resident.id
    assert db.session.get(DeskSubmission, submission.id).claimed_by_id == resident.id
    # Still signed as desk input in public; the resident now hears of each step.
    assert "Pondok Betung" in aspiration.public_author_name()
    aspiration_service.transition(staff["moderator"], aspiration, "verified")
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == resident.id)) == 1
    with pytest.raises(Conflict):
        desk_tracking.start_claim(resident, submission.receipt_code, "081234567890")


def test_claim_with_a_wrong_phone_is_refused_and_audited(desk_aspiration, resident):
    submission = desk_aspiration()
    with pytest.raises(ValidationFailed) as refused:
        desk_tracking.start_claim(resident, submission.receipt_code, "0899 0000 1111")
    assert "phone" in refused.value.fields
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "desk.claim_refused"))
    assert entry is not None and entry.actor_id == resident.id
    assert db.session.get(DeskSubmission, submission.id).claimed_by_id is None


def test_claim_token_is_bound_to_the_account(desk_aspiration, resident, make_user):
    submission = desk_aspiration()
    _found, token = desk_tracking.start_claim(resident, submission.receipt_code, "081234567890")
    with pytest.raises(TokenInvalid):
        desk_tracking.confirm_claim(make_user(), token)
    with pytest.raises(TokenInvalid):
        desk_tracking.confirm_claim(resident, token + "x")


def test_claiming_a_survey_answer(officer, survey, resident):
    submission = desk.submit_survey_response(officer, resident_details(), survey, full_answers(survey))
    _found, token = desk_tracking.start_claim(resident, submission.receipt_code, "081234567890")
    desk_tracking.confirm_claim(resident, token)
    assert db.session.get(SurveyResponse, submission.survey_response_id).user_id == resident.id


def test_officers_keep_their_kelurahan_when_editing_their_profile(officer, kelurahan):
    from forum.services import profile

    profile.update_profile(officer, officer, "Petugas Baru", "serpong.cilenggang", "id")
    assert officer.display_name == "Petugas Baru" and officer.district_id == kelurahan.id


def test_admins_bind_desk_officers_to_a_kelurahan(admin, resident):
    from forum.services import users

    with pytest.raises(ValidationFailed) as refused:
        users.create_user("petugas@example.test", "desk", "kata sandi yang panjang sekali", "Petugas")
    assert "district" in refused.value.fields
    officer = users.create_user("petugas@example.test", "desk", "kata sandi yang panjang sekali", "Petugas",
                                district_code="serpong.cilenggang")
    assert officer.is_desk and officer.district.code == "serpong.cilenggang"
    users.change_user_roles(admin, resident, "desk", district_code="serpong.cilenggang")
    assert resident.role == "desk" and resident.district.code == "serpong.cilenggang"
