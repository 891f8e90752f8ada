"""Survey pages through the test client: the builder without JavaScript, answering page by page, results."""
import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Survey, SurveyAnswer, SurveyResponse
from forum.services import survey_answers, surveys
from tests.factories import make_policy
from tests.surveys.conftest import QUESTIONS, full_answers

BUILDER = {
    "title": "Kepuasan layanan SIMPEL", "service_name": "Layanan perizinan online (SIMPEL/OSS)",
    "intro": "Mohon isi survei singkat ini.", "closes_at": "2099-01-31T17:00",
    "questions-0-type": "single", "questions-0-text": "Cara mengurus izin", "questions-0-choices": "Daring\nLuring",
    "questions-0-required": "y",
    "questions-1-type": "likert", "questions-1-text": "Aplikasi mudah dipakai", "questions-1-choices": "",
}


def _english(client):
    client.set_cookie("lang", "en")
    return client


def _page_text(response):
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


# -- the builder ------------------------------------------------------------------------
def test_builder_adds_moves_and_removes_questions_without_saving(client, login, official):
    login(official)
    added = client.post("/dinas/survei/baru", data={**BUILDER, "action": "add_question"})
    assert added.status_code == 200
    assert 'name="questions-2-text"' in added.get_data(as_text=True)
    moved = client.post("/dinas/survei/baru", data={**BUILDER, "action": "move_down-0"})
    html = moved.get_data(as_text=True)
    assert html.index("Aplikasi mudah dipakai") < html.index("Cara mengurus izin")
    assert "Daring\nLuring" in html  # the choices moved with their question
    removed = client.post("/dinas/survei/baru", data={**BUILDER, "action": "remove_question-0"})
    assert "Cara mengurus izin" not in removed.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 0


def test_builder_saves_a_draft_then_publishes_it(client, login, official):
    login(official)
    saved = client.post("/dinas/survei/baru", data=BUILDER)
    assert saved.status_code == 302
    survey = db.session.scalar(select(Survey))
    assert survey.published_at is None and [q.kind for q in survey.questions] == ["single", "likert"]
    assert [c.label for c in survey.questions[0].choices] == ["Daring", "Luring"]
    assert survey.closes_at.isoformat().startswith("2099-01-31T10:00")  # 17:00 in Jakarta
    assert client.post(f"/dinas/survei/{survey.id}/terbitkan").status_code == 302
    db.session.expire_all()
    assert survey.status() == "open"


def test_builder_keeps_the_text_and_names_the_problem(client, login, official):
    login(_english(client) and official)
    data = {**BUILDER, "questions-0-choices": "Hanya satu", "service_name": ""}
    refused = client.post("/dinas/survei/baru", data=data)
    assert refused.status_code == 422
    text = _page_text(refused)
    assert "Name the public service this survey is about." in text
    data["service_name"] = "SIMPEL"
    refused = client.post("/dinas/survei/baru", data=data)
    assert refused.status_code == 422
    text = _page_text(refused)
    assert "Give at least 2 choices, one per line." in text and "Cara mengurus izin" in text
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 0


def test_changing_questions_after_responses_is_409_with_a_new_version_offered(client, login, official, survey,
                                                                              resident):
    survey_answers.submit_response(resident, survey, full_answers(survey))
    login(_english(client) and official)
    form = {"title": survey.title, "service_name": survey.service_name, "questions-0-type": "rating",
            "questions-0-text": "Nilai saja"}
    refused = client.post(f"/dinas/survei/{survey.id}/ubah", data=form)
    assert refused.status_code == 409
    text = _page_text(refused)
    assert "already has responses" in text and "Make a new version" in text and "Nilai saja" in text
    copied = client.post(f"/dinas/survei/{survey.id}/versi-baru")
    assert copied.status_code == 302
    copy = db.session.scalar(select(Survey).where(Survey.previous_id == survey.id))
    assert copied.headers["Location"].endswith(f"/dinas/survei/{copy.id}/ubah")
    assert len(copy.questions) == len(QUESTIONS)


def test_a_consultation_survey_is_built_from_the_consultation(client, login, official, agency):
    policy = make_policy(agency)
    login(official)
    page = client.get(f"/dinas/survei/baru?konsultasi={policy.id}")
    assert policy.title in page.get_data(as_text=True)
    saved = client.post(f"/dinas/survei/baru?konsultasi={policy.id}", data={**BUILDER, "service_name": ""})
    assert saved.status_code == 302
    survey = db.session.scalar(select(Survey))
    assert survey.policy_id == policy.id and survey.agency_id == agency.id
    assert client.get("/dinas/survei/baru?konsultasi=abc").status_code == 404


def test_residents_cannot_reach_the_builder(client, login, resident, survey):
    login(resident)
    assert client.get("/dinas/survei/").status_code == 403
    assert client.post(f"/dinas/survei/{survey.id}/tutup").status_code == 403


# -- answering --------------------------------------------------------------------------
def _form(survey, answers, page, action):
    data = {"page": str(page), "action": action}
    for question in survey.questions:
        entry = answers.get(question.id, {})
        name = f"question-{question.id}"
        values = [str(c) for c in entry.get("choice_ids", [])]
        if "value" in entry:
            values.append(str(entry["value"]))
        if question.kind in ("short_text", "long_text") and entry.get("text"):
            values.append(entry["text"])
        data[name] = values
    return data


@pytest.fixture
def long_survey(make_survey):
    """Twelve questions: three pages of five at most, and a fourth with the demographics."""
    questions = [dict(QUESTIONS[2], text=f"Pernyataan {n}", required=n == 7) for n in range(1, 13)]
    return make_survey(questions=questions, ask_demographics=True)


def test_a_long_survey_goes_page_by_page_keeping_earlier_answers(client, login, resident, long_survey):
    login(_english(client) and resident)
    first = client.get(f"/survei/{long_survey.id}/isi")
    assert "Page 1 of 4" in _page_text(first)
    answers = {q.id: {"value": 1 + n % 5} for n, q in enumerate(long_survey.questions)}
    second = client.post(f"/survei/{long_survey.id}/isi", data=_form(long_survey, answers, 0, "next"))
    text = _page_text(second)
    assert second.status_code == 200 and "Page 2 of 4" in text
    # The first page's answers travel along as hidden fields.
    q1 = long_survey.questions[0]
    assert f'type="hidden" name="question-{q1.id}" value="1"' in second.get_data(as_text=True)
    # A required question left empty on page 2 keeps the user on page 2, named.
    missing = {key: value for key, value in answers.items() if key != long_survey.questions[6].id}
    refused = client.post(f"/survei/{long_survey.id}/isi", data=_form(long_survey, missing, 1, "next"))
    assert refused.status_code == 422 and "Page 2 of 4" in _page_text(refused)
    assert "This question needs an answer." in _page_text(refused)
    back = client.post(f"/survei/{long_survey.id}/isi", data=_form(long_survey, answers, 1, "back"))
    assert "Page 1 of 4" in _page_text(back)
    last = _form(long_survey, answers, 3, "send")
    last.update(age_band="35_44", gender="")
    sent = client.post(f"/survei/{long_survey.id}/isi", data=last)
    assert sent.status_code == 302
    response = db.session.scalar(select(SurveyResponse))
    assert response.age_band == "35_44" and response.gender is None and len(response.answers) == 12


def test_a_bad_answer_on_the_last_page_returns_to_its_page_with_the_answers_kept(client, login, resident,
                                                                                 long_survey):
    login(_english(client) and resident)
    answers = {q.id: {"value": 3} for q in long_survey.questions}
    answers[long_survey.questions[1].id] = {"value": 7}
    refused = client.post(f"/survei/{long_survey.id}/isi", data=_form(long_survey, answers, 3, "send"))
    assert refused.status_code == 422
    text = _page_text(refused)
    assert "Page 1 of 4" in text and "Choose a whole number from 1 to 5." in text
    assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) == 0


def test_answers_can_be_changed_until_the_survey_closes(client, login, resident, survey, official):
    login(_english(client) and resident)
    survey_answers.submit_response(resident, survey, full_answers(survey))
    page = client.get(f"/survei/{survey.id}")
    assert "Change my answers" in _page_text(page)
    form_page = client.get(f"/survei/{survey.id}/isi")
    assert 'value="4" checked' in form_page.get_data(as_text=True)
    changed = client.post(f"/survei/{survey.id}/isi",
                          data=_form(survey, full_answers(survey, q3={"value": 2}), 0, "send"))
    assert changed.status_code == 302
    assert db.session.scalar(select(SurveyAnswer.value).where(
        SurveyAnswer.question_id == survey.questions[2].id)) == 2
    surveys.close_survey(official, survey)
    closed = client.post(f"/survei/{survey.id}/isi", data=_form(survey, full_answers(survey), 0, "send"))
    assert closed.status_code == 302
    assert db.session.scalar(select(SurveyAnswer.value).where(
        SurveyAnswer.question_id == survey.questions[2].id)) == 2


def test_other_answer_through_the_form(client, login, resident, survey):
    login(resident)
    data = _form(survey, full_answers(survey), 0, "send")
    q1 = survey.questions[0]
    data[f"question-{q1.id}"] = ["other"]
    data[f"question-{q1.id}-other"] = "Lewat kantor RW"
    assert client.post(f"/survei/{survey.id}/isi", data=data).status_code == 302
    assert db.session.scalar(select(SurveyAnswer.text).where(SurveyAnswer.question_id == q1.id)) == "Lewat kantor RW"


def test_unknown_survey_pages_are_404(client, login, resident):
    login(resident)
    for path in ("/survei/99999", "/survei/99999/isi", "/survei/99999/hasil"):
        assert client.get(path).status_code == 404


# -- results ----------------------------------------------------------------------------
def test_results_are_for_the_agency_until_closed_then_public_if_chosen(client, login, make_survey, official,
                                                                      resident):
    survey = make_survey(results_public=True)
    survey_answers.submit_response(resident, survey, full_answers(survey))
    assert client.get(f"/survei/{survey.id}/hasil").status_code == 403
    login(official)
    shown = client.get(f"/survei/{survey.id}/hasil?rincian=gender")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and html.count("<svg") == 4 and "<table" in html
    surveys.close_survey(official, survey)
    visitor = client.application.test_client()
    assert visitor.get(f"/survei/{survey.id}/hasil").status_code == 200
    private = make_survey(title="Tertutup")
    surveys.close_survey(official, private)
    assert visitor.get(f"/survei/{private.id}/hasil").status_code == 403


def test_results_page_shows_nps_masked_texts_and_breakdown(client, login, official, make_survey, make_user):
    survey = make_survey()
    for value in (10, 9, 3):
        survey_answers.submit_response(make_user(), survey, full_answers(
            survey, q4={"value": value}, q6={"text": "Telepon saya 081234567890"}))
    login(_english(client) and official)
    text = _page_text(client.get(f"/survei/{survey.id}/hasil"))
    assert "Net promoter score" in text and "+33.3" in text
    assert "081234567890" not in text and "0812****7890" in text
    assert "Answers by kecamatan" in text and "Pondok Aren" in text


def test_a_consultation_page_links_to_its_published_surveys(client, official, agency):
    policy = make_policy(agency)
    draft = surveys.create_survey(official, policy=policy, title="Survei draf", questions=QUESTIONS[:1])
    assert "/survei/?konsultasi=" not in client.get(f"/konsultasi/{policy.id}").get_data(as_text=True)
    surveys.publish_survey(official, draft)
    page = client.get(f"/konsultasi/{policy.id}").get_data(as_text=True)
    assert f"/survei/?konsultasi={policy.id}" in page
    listed = client.get(f"/survei/?konsultasi={policy.id}").get_data(as_text=True)
    assert "Survei draf" in listed and f"/survei/{draft.id}" in listed
    assert client.get("/survei/?konsultasi=999999").status_code == 404


def test_exports_are_for_the_agency_and_admins(client, login, survey, resident, admin, make_user):
    from forum.models import Agency, Role

    url = f"/dinas/survei/{survey.id}/unduh/csv"
    assert client.get(url).status_code == 302  # to the login page
    login(resident)
    assert client.get(url).status_code == 403
    login(make_user(Role.OFFICIAL, agency=Agency.query.filter(Agency.code != "diskominfo").first()))
    assert client.get(url).status_code == 403
    login(admin)
    downloaded = client.get(url)
    assert downloaded.status_code == 200 and downloaded.headers["Cache-Control"] == "no-store"
    assert client.get(f"/dinas/survei/{survey.id}/unduh/docx").status_code == 404


def test_an_expired_form_keeps_the_answers(make_app, survey, resident):
    guarded = make_app(WTF_CSRF_ENABLED=True)
    browser = guarded.test_client()
    browser.set_cookie("lang", "en")
    with browser.session_transaction() as session:
        session["_user_id"] = resident.get_id()
    data = _form(survey, full_answers(survey, q6={"text": "Saran yang panjang"}), 0, "send")
    refused = browser.post(f"/survei/{survey.id}/isi", data=data)
    assert refused.status_code == 422
    text = _page_text(refused)
    assert "Your form expired" in text and "Saran yang panjang" in text
    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


def test_list_editor_keeps_unticked_boxes_unticked_and_new_rows_tickable():
    from werkzeug.datastructures import MultiDict

    from forum.surveys.forms import apply_question_action

    posted = MultiDict([("title", "x"), ("questions-0-text", "A"), ("questions-0-required", "y"),
                        ("questions-1-text", "B"), ("action", "add_question")])
    rebuilt, problem = apply_question_action(posted)
    assert problem is None and "action" not in rebuilt
    assert rebuilt.getlist("questions-1-required") == [] and rebuilt["questions-0-required"] == "y"
    assert rebuilt.getlist("questions-2-type") == [""] and rebuilt.getlist("questions-2-required") == []
