"""The feedback summary service: every figure against the rows the fixture made."""
from datetime import timedelta

import pytest

from forum.errors import Conflict, Forbidden, NotFound
from forum.models import PolicyPhase, Role
from forum.reports.scope import SummaryFilters, pseudonym
from forum.reports.summary import build_summary
from forum.services import summaries
from forum.timeutil import to_city_time, utcnow
from tests.factories import make_comment, make_policy


def test_participation_and_votes(consultation):
    summary = build_summary(consultation.policy)
    assert summary.comments == 6            # resident comments, published (the response is counted apart)
    assert summary.replies == 1
    assert summary.official_responses == 1
    assert summary.commenters == 5
    assert (summary.votes_support, summary.votes_oppose) == (2, 1)
    assert summary.participants == 5        # voters are commenters too
    assert summary.stance_totals == {"support": 2, "oppose": 2, "neutral": 1}
    today = to_city_time(utcnow()).date()
    assert summary.by_day == [(today, 6, 3)]


def test_stance_per_clause_and_top_comments(consultation):
    summary = build_summary(consultation.policy)
    first, second, third = summary.clauses
    assert (first.number, first.support, first.oppose, first.neutral, first.net) == (1, 1, 2, 0, -1)
    assert (second.comments, second.neutral) == (1, 1)
    assert third.comments == 0              # only non-public comments there
    assert [quote.text for quote in first.top["oppose"]][0].startswith("Anggaran taman")
    assert first.top["support"][0].helpful == 5
    assert summary.general.support == 1
    assert "taman" in [word for word, _count in first.terms]


def test_quotes_carry_pseudonyms_not_names(consultation):
    summary = build_summary(consultation.policy)
    quote = summary.clauses[0].top["support"][0]
    assert quote.author == pseudonym(consultation.policy.id, consultation.residents[0].id)
    assert consultation.residents[0].display_name not in str(summary)


def test_responses_and_unanswered(consultation):
    summary = build_summary(consultation.policy)
    assert [quote.text for quote in summary.responses] == ["Terima kasih, kami akan menambah taman."]
    unanswered = [quote.text for quote in summary.unanswered]
    assert "Taman kota harus diperbanyak untuk anak-anak." not in unanswered   # it has a response
    assert unanswered[0].startswith("Anggaran taman")


def test_areas_roll_kelurahan_up_to_kecamatan(consultation):
    summary = build_summary(consultation.policy)
    kecamatan = {area.code: (area.comments, area.participants) for area in summary.kecamatan}
    assert kecamatan == {"pondok-aren": (4, 3), "serpong": (1, 1), None: (1, 1)}
    assert {area.code: area.comments for area in summary.kelurahan} == {
        "pondok-aren.pondok-betung": 4, "serpong.ciater": 1}


def test_moderation_figures_and_notes(consultation):
    summary = build_summary(consultation.policy)
    assert summary.moderation_totals == {"pending": 1, "hidden": 1, "removed": 1, "deleted": 1}
    assert summary.moderation["removed"] == [("spam", 1)]
    notes = " ".join(str(note) for note in summary.notes)
    assert "%" in notes


def test_key_terms_per_stance_in_the_words_residents_used(consultation):
    summary = build_summary(consultation.policy)
    oppose_words = [word for word, _count in summary.terms_by_stance["oppose"]]
    assert "perbaiki" in oppose_words
    assert "dulu" in oppose_words or "taman" in oppose_words


def test_filters_by_kecamatan_dates_and_version(consultation):
    policy = consultation.policy
    assert build_summary(policy, SummaryFilters(kecamatan="serpong")).comments == 1
    today = to_city_time(utcnow()).date()
    assert build_summary(policy, SummaryFilters(since=today, until=today)).comments == 6
    assert build_summary(policy, SummaryFilters(until=today - timedelta(days=1))).comments == 0
    assert build_summary(policy, SummaryFilters(version=2)).comments == 6
    assert build_summary(policy, SummaryFilters(version=1)).comments == 0


def test_a_policy_without_comments_is_an_empty_summary(official):
    policy = make_policy(official.agency)
    summary = build_summary(policy)
    assert summary.is_empty
    assert summary.by_day == [] and summary.kecamatan == []
    assert summary.notes


def test_pseudonyms_are_stable_per_policy_and_differ_across(app):
    assert pseudonym(1, 7) == pseudonym(1, 7)
    assert pseudonym(1, 7) != pseudonym(2, 7)
    assert pseudonym(1, 7) != pseudonym(1, 8)


def test_who_reads_which_summary(consultation, make_user, resident, admin, moderator):
    policy = consultation.policy
    assert summaries.open_summary(consultation.official, policy.id)[1] == summaries.STAFF
    assert summaries.open_summary(admin, policy.id)[1] == summaries.STAFF
    other_agency = make_user(Role.OFFICIAL, agency=None)
    for outsider in (resident, moderator, other_agency, None):
        with pytest.raises(Forbidden):
            summaries.open_summary(outsider, policy.id)
    policy.phase = PolicyPhase.FINAL
    assert summaries.open_summary(resident, policy.id)[1] == summaries.PUBLIC
    assert summaries.open_summary(None, policy.id)[1] == summaries.PUBLIC


def test_unknown_and_draft_policies(official, make_user):
    with pytest.raises(NotFound):
        summaries.open_summary(official, 999999)
    draft = make_policy(official.agency, phase=PolicyPhase.DRAFT)
    with pytest.raises(Conflict):
        summaries.open_summary(official, draft.id)
    with pytest.raises(NotFound):
        summaries.open_summary(make_user(Role.RESIDENT), draft.id)


def test_summary_counts_grow_with_sql_not_python(official, resident):
    policy = make_policy(official.agency)
    section = policy.current_version.sections[0]
    for number in range(30):
        make_comment(policy, resident, section=section, stance=("support", "oppose", "neutral")[number % 3])
    summary = build_summary(policy)
    assert (summary.clauses[0].support, summary.clauses[0].oppose, summary.clauses[0].neutral) == (10, 10, 10)
    assert len(summary.clauses[0].top["support"]) == 3


def test_survey_results_of_the_policy_are_included(consultation, resident):
    from forum.services import survey_answers, surveys

    policy = consultation.policy
    survey = surveys.create_survey(
        consultation.official, policy=policy, publish=True, title="Survei taman",
        questions=[{"type": "single", "text": "Perlu taman baru?", "choices": ["Ya", "Tidak"], "required": True}])
    question = survey.questions[0]
    survey_answers.submit_response(resident, survey, {question.id: {"choice_ids": [question.choices[0].id]}})
    summary = build_summary(policy)
    assert summary.survey[0]["title"] == "Survei taman"
    assert [choice["count"] for choice in summary.survey[0]["questions"][0]["choices"]] == [1, 0]
    assert build_summary(policy, public=True).survey is None   # results not public, survey still open
    from forum.reports.opendata import survey_rows

    assert survey_rows(summary.survey)[0] == ("Survei taman", "Perlu taman baru?", "Ya", 1)
