"""The survey services: building, freezing questions, versions, and answering with every bad input."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.errors import Conflict, Forbidden, NotFound, ValidationFailed
from forum.extensions import db
from forum.models import Role, SurveyAnswer, SurveyResponse
from forum.services import survey_answers, surveys
from forum.timeutil import utcnow
from tests.surveys.conftest import QUESTIONS, english, full_answers


def _rows():
    return (db.session.scalar(select(func.count()).select_from(SurveyResponse)),
            db.session.scalar(select(func.count()).select_from(SurveyAnswer)))


# -- building ----------------------------------------------------------------------------
def test_survey_keeps_questions_in_order_with_their_choices(survey):
    assert [q.kind for q in survey.questions] == [q["type"] for q in QUESTIONS]
    assert [c.label for c in survey.questions[1].choices] == ["Unggah berkas", "Lacak status", "Bayar"]
    assert survey.status() == "open" and survey.agency_id == survey.questions[0].survey.agency_id


@pytest.mark.parametrize("question, field, fragment", [
    ({"type": "single", "text": "Pilih", "choices": ["Satu"]}, "questions-0-choices", "at least 2"),
    ({"type": "single", "text": "Pilih", "choices": ["Ya", "ya"]}, "questions-0-choices", "different"),
    ({"type": "essay", "text": "Apa?"}, "questions-0-type", "type"),
    ({"type": "likert", "text": ""}, "questions-0-text", "required"),
    ({"type": "likert", "text": "x", "low_label": "a" * 81}, "questions-0-low_label", "80"),
])
def test_builder_names_the_faulty_field(app, official, question, field, fragment):
    with pytest.raises(ValidationFailed) as refused:
        surveys.create_survey(official, title="Survei", questions=[question])
    assert field in refused.value.fields
    assert fragment in english(refused.value.fields[field])


def test_builder_refuses_no_questions_and_a_closing_time_in_the_past(app, official):
    with pytest.raises(ValidationFailed) as refused:
        surveys.create_survey(official, title="Survei", questions=[], closes_at=utcnow() - timedelta(hours=1))
    assert set(refused.value.fields) == {"questions", "closes_at"}


def test_only_officials_build_standalone_surveys(app, resident):
    with pytest.raises(Forbidden):
        surveys.create_survey(resident, title="Survei", questions=QUESTIONS)


def test_questions_change_freely_until_the_first_response(survey, official, resident):
    changed = [dict(QUESTIONS[2]), dict(QUESTIONS[0])]
    surveys.update_survey(official, survey, title="Baru", questions=changed)
    assert [q.kind for q in survey.questions] == ["likert", "single"]
    likert, single = survey.questions
    survey_answers.submit_response(resident, survey, {likert.id: {"value": 3},
                                                      single.id: {"choice_ids": [single.choices[0].id]}})
    # Same questions, other title: fine.
    surveys.update_survey(official, survey, title="Judul lain", questions=changed)
    with pytest.raises(Conflict) as refused:
        surveys.update_survey(official, survey, title="Judul lain", questions=changed[:1])
    assert refused.value.status == 409 and refused.value.code == "survey_has_responses"
    assert "new version" in english(refused.value.message)
    db.session.expire_all()
    assert len(survey.questions) == 2 and survey.title == "Judul lain"


def test_a_new_version_copies_the_questions_and_closes_the_old_one_when_published(survey, official):
    copy = surveys.copy_survey(official, survey)
    assert copy.published_at is None and copy.version == 2 and copy.previous_id == survey.id
    assert [q.text for q in copy.questions] == [q.text for q in survey.questions]
    surveys.publish_survey(official, copy)
    assert survey.status() == "closed" and copy.status() == "open"


def test_another_agencys_official_cannot_edit(survey, make_user):
    from forum.models import Agency

    stranger = make_user(Role.OFFICIAL, agency=Agency.query.filter(Agency.code != "diskominfo").first())
    with pytest.raises(Forbidden):
        surveys.update_survey(stranger, survey, title="x", questions=QUESTIONS)


def test_drafts_are_hidden_from_residents(make_survey, resident, official):
    draft = make_survey(publish=False)
    with pytest.raises(NotFound):
        surveys.visible_survey(resident, draft.id)
    assert surveys.visible_survey(official, draft.id) is draft


def test_unknown_survey_is_not_found(app, resident):
    for survey_id in (999_999, 0, 2**40):
        with pytest.raises(NotFound):
            surveys.visible_survey(resident, survey_id)


# -- answering ----------------------------------------------------------------------------
def test_a_response_stores_one_row_per_choice_value_and_text(survey, resident):
    response = survey_answers.submit_response(resident, survey, full_answers(survey),
                                              {"age_band": "25_34", "gender": "female"})
    assert _rows() == (1, 7)
    assert response.kecamatan.code == "pondok-aren"
    assert {a.age_band for a in response.answers} == {None}  # demographics not asked by this survey
    assert survey.response_count == 1


def test_second_response_is_a_conflict_and_put_changes_the_first(survey, resident):
    survey_answers.submit_response(resident, survey, full_answers(survey))
    with pytest.raises(Conflict) as refused:
        survey_answers.submit_response(resident, survey, full_answers(survey))
    assert refused.value.code == "already_answered"
    survey_answers.submit_response(resident, survey, full_answers(survey, q3={"value": 1}), replace=True)
    assert _rows() == (1, 7)
    assert db.session.scalar(select(SurveyAnswer.value).where(SurveyAnswer.question_id == survey.questions[2].id)) == 1


@pytest.mark.parametrize("override, problem", [
    ({"q1": {"choice_ids": [999_999]}}, "Choose from the answers offered"),
    ({"q1": {"choice_ids": ["1"]}}, "Choose from the answers offered"),
    ({"q3": {"value": 7}}, "from 1 to 5"),
    ({"q3": {"value": 0}}, "from 1 to 5"),
    ({"q3": {"value": True}}, "from 1 to 5"),
    ({"q4": {"value": 11}}, "from 0 to 10"),
    ({"q4": {"value": "sembilan"}}, "from 0 to 10"),
    ({"q1": {}}, "needs an answer"),
    ({"q3": {"value": None}}, "needs an answer"),
    ({"q5": {"text": "x" * 301}}, "at most 300"),
    ({"q2": {"choice_ids": [], "text": "lainnya"}}, "no \"other\" answer"),
])
def test_bad_answers_are_refused_with_nothing_saved(survey, resident, override, problem):
    with pytest.raises(ValidationFailed) as refused:
        survey_answers.submit_response(resident, survey, full_answers(survey, **override))
    assert problem in english(*refused.value.fields.values())
    assert _rows() == (0, 0)
    db.session.expire_all()
    assert survey.response_count == 0


def test_single_choice_takes_one_answer_and_other_only_when_offered(survey, resident):
    q = survey.questions[0]
    with pytest.raises(ValidationFailed):
        survey_answers.submit_response(resident, survey, full_answers(
            survey, q1={"choice_ids": [c.id for c in q.choices]}))
    survey_answers.submit_response(resident, survey, full_answers(survey, q1={"choice_ids": [], "text": "Lewat RT"}))
    assert db.session.scalar(select(SurveyAnswer.text).where(SurveyAnswer.question_id == q.id)) == "Lewat RT"


def test_questions_of_another_survey_are_refused(survey, make_survey, resident):
    other = make_survey(title="Survei lain")
    answers = full_answers(survey)
    answers[other.questions[0].id] = {"choice_ids": [other.questions[0].choices[0].id]}
    with pytest.raises(ValidationFailed) as refused:
        survey_answers.submit_response(resident, survey, answers)
    assert "answers" in refused.value.fields


def test_no_response_after_closing_or_before_opening(survey, make_survey, official, resident):
    surveys.close_survey(official, survey)
    with pytest.raises(Conflict) as refused:
        survey_answers.submit_response(resident, survey, full_answers(survey))
    assert refused.value.code == "survey_closed"
    upcoming = make_survey(opens_at=utcnow() + timedelta(days=1), publish=False)
    surveys.publish_survey(official, upcoming)
    with pytest.raises(Conflict) as refused:
        survey_answers.submit_response(resident, upcoming, full_answers(upcoming))
    assert refused.value.code == "survey_not_open"
    assert _rows() == (0, 0)


def test_an_answer_cannot_change_after_closing(survey, official, resident):
    survey_answers.submit_response(resident, survey, full_answers(survey))
    survey.closes_at = utcnow() - timedelta(seconds=1)
    survey.opens_at = utcnow() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(Conflict):
        survey_answers.submit_response(resident, survey, full_answers(survey, q3={"value": 1}), replace=True)


def test_officials_do_not_answer(survey, official):
    with pytest.raises(Forbidden):
        survey_answers.submit_response(official, survey, full_answers(survey))


def test_demographics_are_optional_and_checked(make_survey, make_user):
    survey = make_survey(ask_demographics=True)
    nowhere = make_user(district=None)
    with pytest.raises(ValidationFailed) as refused:
        survey_answers.submit_response(nowhere, survey, full_answers(survey),
                                       {"age_band": "ancient", "kecamatan": "mars"})
    assert set(refused.value.fields) == {"age_band", "kecamatan"}
    response = survey_answers.submit_response(nowhere, survey, full_answers(survey),
                                              {"kecamatan": "serpong", "gender": "male"})
    assert response.kecamatan.code == "serpong" and response.age_band is None
    assert {a.gender for a in response.answers} == {"male"}
    skipped = survey_answers.submit_response(make_user(), survey, full_answers(survey), {})
    assert skipped.age_band is None and skipped.gender is None
