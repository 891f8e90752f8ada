"""Survey results from SQL: counts, distributions, mean, median, NPS, masked texts, key terms, breakdowns."""
import pytest

from forum.models import District
from forum.services import survey_answers
from forum.services.survey_results import _median, key_terms, survey_results
from tests.surveys.conftest import full_answers

LIKERT = [5, 4, 4, 2]
RATING = [10, 9, 7, 3]
TEXTS = ["Pelayanan cepat, hubungi saya 081234567890", "Pelayanannya lambat sekali",
         "Pelayanan perizinan perlu panduan", "Perizinan daring membantu"]


@pytest.fixture
def answered(make_survey, make_user):
    """A survey with demographics answered by four residents in two kecamatan."""
    survey = make_survey(ask_demographics=True)
    q = survey.questions
    serpong = District.query.filter_by(code="serpong.lengkong-gudang").one()
    people = [make_user(), make_user(), make_user(district=serpong), make_user(district=serpong)]
    for number, person in enumerate(people):
        single = {"choice_ids": [q[0].choices[0].id]} if number < 3 else {"choice_ids": [], "text": "Lewat kantor RW"}
        survey_answers.submit_response(person, survey, full_answers(
            survey, q1=single, q2={"choice_ids": [c.id for c in q[1].choices[: number % 3 + 1]]},
            q3={"value": LIKERT[number]}, q4={"value": RATING[number]}, q6={"text": TEXTS[number]},
        ), {"age_band": "25_34" if number % 2 else "45_54", "gender": "female"})
    return survey


def _question(results, position):
    return results["questions"][position - 1]


def test_choice_counts_and_shares(answered):
    results = survey_results(answered)
    q = answered.questions
    single, multiple = _question(results, 1), _question(results, 2)
    assert results["responses"] == 4
    assert single["responses"] == 4 and single["counts"] == {str(q[0].choices[0].id): 3, str(q[0].choices[1].id): 0}
    assert single["other"] == 1 and single["answers"] == ["Lewat kantor RW"]
    # Multiple choice: one respondent counts once, whatever the number of choices ticked.
    assert multiple["responses"] == 4
    assert [choice["count"] for choice in multiple["choices"]] == [4, 2, 1]
    assert multiple["choices"][1]["share"] == 0.5


def test_scale_distribution_mean_median_and_nps(answered):
    results = survey_results(answered)
    likert, rating = _question(results, 3), _question(results, 4)
    assert likert["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 2, "5": 1}
    assert likert["mean"] == 3.75 and likert["median"] == 4.0
    assert rating["mean"] == 7.25 and rating["median"] == 8.0
    # Two promoters (10, 9), one passive (7), one detractor (3): (2 - 1) / 4.
    assert rating["nps"] == 25.0
    assert rating["nps_groups"] == {"promoters": 2, "passives": 1, "detractors": 1}


def test_free_text_is_masked_and_key_terms_use_stems(answered):
    texts = _question(survey_results(answered), 6)
    assert texts["answers_total"] == 4
    assert "081234567890" not in " ".join(texts["answers"])
    assert any("0812****7890" in answer for answer in texts["answers"])
    terms = {term["term"]: term["count"] for term in texts["key_terms"]}
    # pelayanan / pelayanannya share a stem; perizinan twice.
    assert terms["pelayanan"] == 3 and terms["perizinan"] == 2
    assert "saya" not in terms or terms["saya"] == 1


def test_breakdown_by_kecamatan_and_by_demographic_answer(answered):
    results = survey_results(answered, breakdown="all")
    likert = _question(results, 3)["breakdowns"]
    by_place = {row["group"]: row for row in likert["kecamatan"]}
    assert by_place["pondok-aren"]["responses"] == 2 and by_place["pondok-aren"]["mean"] == 4.5
    assert by_place["serpong"]["responses"] == 2 and by_place["serpong"]["mean"] == 3.0
    assert by_place["setu"]["responses"] == 0 and by_place["setu"]["mean"] is None
    by_age = {row["group"]: row for row in likert["age_band"]}
    assert by_age["45_54"]["distribution"]["5"] == 1 and by_age["25_34"]["responses"] == 2
    multiple = {row["group"]: row for row in _question(results, 2)["breakdowns"]["gender"]}
    assert multiple["female"]["responses"] == 4 and multiple["none"]["responses"] == 0
    groups = {group["code"]: group["responses"] for group in results["breakdowns"]["kecamatan"]["groups"]}
    assert groups["pondok-aren"] == 2 and groups["none"] == 0


def test_an_empty_survey_has_zeroes_not_errors(survey):
    results = survey_results(survey, breakdown="kecamatan")
    assert results["responses"] == 0
    assert _question(results, 3)["mean"] is None and _question(results, 4)["nps"] is None
    assert _question(results, 6)["answers"] == []


@pytest.mark.parametrize("distribution, median", [
    ({1: 1}, 1.0), ({1: 1, 2: 1}, 1.5), ({1: 2, 5: 1}, 1.0), ({2: 1, 4: 1, 5: 2}, 4.5), ({}, None),
])
def test_median_from_a_distribution(distribution, median):
    assert _median(distribution) == median


def test_key_terms_skip_stop_words_and_numbers(app):
    terms = [term["term"] for term in key_terms(["yang dan 2026 jalan rusak", "jalan berlubang"])]
    assert terms[0] == "jalan" and "yang" not in terms and "2026" not in terms
