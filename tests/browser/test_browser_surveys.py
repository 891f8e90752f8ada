"""The survey journey in real Chromium with JavaScript off, with real CSRF.

An official builds a standalone survey with the no-JavaScript question list
(adds, fills and reorders questions), saves and publishes it; a resident
answers it, is told a required answer is missing (the text typed is kept),
sends it, and changes an answer; the official sees the results as SVG
charts with tables. Pages are in the default language (Indonesian); `t()`
renders the templates' msgids through the compiled catalog.
"""
import pytest
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Role, Survey, SurveyAnswer, SurveyResponse
from tests.browser.steps import log_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def question(page, index, part):
    return page.locator(f'[name="questions-{index}-{part}"]')


def test_official_builds_a_survey_and_a_resident_answers_it_without_javascript(
        live_server, nojs_page, open_nojs_page, make_user, t):
    official = make_user(Role.OFFICIAL, password=PASSWORD)
    resident = make_user(password=PASSWORD)
    page = nojs_page
    log_in(page, live_server, t, official)

    page.goto(live_server("/dinas/survei/baru"))
    page.get_by_label(t("Title")).fill("Kepuasan layanan perizinan online")
    page.get_by_label(t("Public service surveyed")).fill("Layanan perizinan online (SIMPEL/OSS)")
    question(page, 0, "type").select_option("long_text")
    question(page, 0, "text").fill("Apa saran Anda?")
    page.locator('button[value="add_question"]').click()
    question(page, 1, "type").select_option("single")
    question(page, 1, "text").fill("Bagaimana Anda mengurus izin?")
    question(page, 1, "choices").fill("Daring\nDatang ke kantor")
    question(page, 1, "required").check()
    page.locator('button[value="add_question"]').click()
    question(page, 2, "type").select_option("likert")
    question(page, 2, "text").fill("Aplikasinya mudah dipakai.")
    # The open question goes last: move it down twice.
    page.locator('button[value="move_down-0"]').click()
    page.locator('button[value="move_down-1"]').click()
    expect(question(page, 2, "text")).to_have_value("Apa saran Anda?")
    expect(question(page, 0, "choices")).to_have_value("Daring\nDatang ke kantor")
    page.get_by_role("button", name=t("Save survey")).click()
    expect(page.locator("h1")).to_contain_text("Kepuasan layanan perizinan online")
    page.get_by_role("button", name=t("Publish")).click()
    expect(page.locator(".flash")).to_contain_text(t("The survey is published."))
    survey = db.session.scalar(db.select(Survey))
    assert [q.kind for q in survey.questions] == ["single", "likert", "long_text"]

    answering = open_nojs_page()
    log_in(answering, live_server, t, resident)
    answering.goto(live_server(f"/survei/{survey.id}"))
    answering.get_by_role("link", name=t("Answer the survey")).click()
    answering.get_by_label("4", exact=True).check()
    answering.get_by_label("Apa saran Anda?").fill("Tambahkan panduan unggah berkas.")
    answering.get_by_role("button", name=t("Send my answers")).click()
    # The required choice is missing: named, and what was typed is kept.
    expect(answering.locator(".form-errors")).to_be_visible()
    expect(answering.get_by_label("Apa saran Anda?")).to_have_value("Tambahkan panduan unggah berkas.")
    expect(answering.get_by_label("4", exact=True)).to_be_checked()
    answering.get_by_label("Daring").check()
    answering.get_by_role("button", name=t("Send my answers")).click()
    expect(answering.locator(".flash")).to_contain_text(t(
        "Thank you: your answers were saved. You can change them until the survey closes."))
    answering.get_by_role("link", name=t("Change my answers")).click()
    answering.get_by_label("2", exact=True).check()
    answering.get_by_role("button", name=t("Save my changed answers")).click()
    expect(answering.locator(".flash")).to_be_visible()

    assert db.session.scalar(db.select(db.func.count()).select_from(SurveyResponse)) == 1
    likert = survey.questions[1]
    assert db.session.scalar(db.select(SurveyAnswer.value).where(SurveyAnswer.question_id == likert.id)) == 2

    page.goto(live_server(f"/survei/{survey.id}/hasil"))
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Tambahkan panduan unggah berkas.")
    assert page.locator("svg.chart").count() == 2 and page.locator("table.chart-table").count() >= 2
