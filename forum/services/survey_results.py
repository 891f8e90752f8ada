"""Survey results, aggregated in SQL: counts per choice, distributions, mean, median, NPS, texts.

`survey_results(survey)` is the one shape every reader uses (the results page,
`GET /api/v1/surveys/{id}/results`, the exports and the consultation's
feedback summary). One GROUP BY over the answers gives every count,
distribution and number of respondents (a multiple-choice row carries how
many rows its response has, so no DISTINCT is needed); means and medians
follow exactly from the distributions (whole numbers on a short scale). A
breakdown by kecamatan, age band or gender is one more GROUP BY over the same
table (the demographics are copied onto each answer row,
forum/models/surveys.py). Free-text answers are listed newest first through
the moderation screen's personal-data masking, with the key terms of a
bounded sample (the search analyzer's Indonesian stop words and stems).

Organizations' answers (issue 15) are kept apart: the figures are residents'
unless `organizations=True` asks for the organizations' own group, which
also names the organizations that answered (they are public actors).
"""
from collections import Counter, defaultdict

from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Demographic, District, Organization, QuestionType, SurveyAnswer, SurveyResponse
from forum.search.analysis import tokens
from moderation.filters.personal import mask_personal_data

TEXTS_LISTED = 100
KEY_TERM_SAMPLE = 500
KEY_TERMS = 15
NOT_STATED = "none"

DIMENSION_LABELS = {
    "kecamatan": _l("Kecamatan"),
    "age_band": _l("Age band"),
    "gender": _l("Gender"),
}
AGE_BAND_LABELS = {
    "under_18": _l("Under 18"), "18_24": _l("18–24"), "25_34": _l("25–34"), "35_44": _l("35–44"),
    "45_54": _l("45–54"), "55_64": _l("55–64"), "65_plus": _l("65 or older"),
}
GENDER_LABELS = {"female": _l("Female"), "male": _l("Male"), "other": _l("Another answer")}


# -- the numbers -----------------------------------------------------------------------
def _median(distribution):
    """The median of {value: count} (the mean of the two middle values for an even total)."""
    total = sum(distribution.values())
    if not total:
        return None
    middle, running, below = (total - 1) // 2, 0, None
    for value in sorted(distribution):
        running += distribution[value]
        if below is None and running > middle:
            below = value
        if running > total // 2:
            return (below + value) / 2 if total % 2 == 0 else float(value)
    return None


def _scale_summary(question, distribution):
    low, high = question.value_range
    full = {value: distribution.get(value, 0) for value in range(low, high + 1)}
    total = sum(full.values())
    summary = {
        "distribution": {str(value): count for value, count in full.items()},
        "mean": round(sum(value * count for value, count in full.items()) / total, 2) if total else None,
        "median": _median(full),
    }
    if question.kind == QuestionType.RATING:
        promoters = full[9] + full[10]
        detractors = sum(full[value] for value in range(0, 7))
        summary["nps"] = round(100 * (promoters - detractors) / total, 1) if total else None
        summary["nps_groups"] = {"promoters": promoters, "passives": total - promoters - detractors,
                                 "detractors": detractors}
    return summary


def _choice_summary(question, counts, other, respondents):
    return {
        "counts": {str(choice.id): counts.get(choice.id, 0) for choice in question.choices},
        "other": other if question.allow_other else None,
        "choices": [
            {"id": choice.id, "label": choice.label, "count": counts.get(choice.id, 0),
             "share": round(counts.get(choice.id, 0) / respondents, 4) if respondents else 0.0}
            for choice in question.choices
        ],
    }


def _respondents(organizations):
    """The SQL condition on SurveyResponse choosing residents' responses, or organizations'."""
    column = SurveyResponse.organization_id
    return column.is_not(None) if organizations else column.is_(None)


def _answers_of(organizations):
    """The answer ids of residents' (or organizations') responses, as a subquery."""
    return select(SurveyResponse.id).where(_respondents(organizations))


def _aggregate(question_ids, group_column=None, organizations=False):
    """{(group,) question id: {(choice_id, value): count}} from one GROUP BY over the answers."""
    columns = [SurveyAnswer.question_id, SurveyAnswer.choice_id, SurveyAnswer.value]
    if group_column is not None:
        columns.insert(1, group_column)
    rows = db.session.execute(
        select(*columns, func.count()).where(SurveyAnswer.question_id.in_(question_ids),
                                             SurveyAnswer.response_id.in_(_answers_of(organizations)))
        .group_by(*columns)
    ).all()
    table = defaultdict(dict)
    for row in rows:
        key = (row[0], row[1]) if group_column is not None else row[0]
        table[key][(row[-3], row[-2])] = row[-1]
    return table


def _question_numbers(question, cells):
    """The per-type figures of one question (or one group of a breakdown) from its GROUP BY cells.

    A multiple-choice row's `value` is the number of rows its response has for the question
    (forum/services/survey_answers.py), so each response adds up to one respondent exactly.
    """
    if question.kind in QuestionType.CHOICE:
        counts, other, respondents = defaultdict(int), 0, 0.0
        for (choice_id, ticked), count in cells.items():
            if choice_id is None:
                other += count
            else:
                counts[choice_id] += count
            respondents += count / (ticked or 1)
        answered = round(respondents)
        return answered, _choice_summary(question, counts, other, answered)
    if question.kind in QuestionType.SCALE:
        distribution = {value: count for (_, value), count in cells.items() if value is not None}
        return sum(distribution.values()), _scale_summary(question, distribution)
    return cells.get((None, None), 0), {}


def _texts(question, limit, organizations=False):
    """The newest `limit` texts answered to `question` (the "other" answers for a choice question)."""
    return db.session.scalars(
        select(SurveyAnswer.text)
        .where(SurveyAnswer.question_id == question.id, SurveyAnswer.text.is_not(None),
               SurveyAnswer.response_id.in_(_answers_of(organizations)))
        .order_by(SurveyAnswer.id.desc()).limit(limit)
    ).all()


def key_terms(texts, limit=KEY_TERMS):
    """The most used words (stop words dropped, counted by stem), each shown as residents wrote it most."""
    by_stem, spellings = Counter(), defaultdict(Counter)
    for text in texts:
        for folded, stem, *_rest in tokens(text):
            if len(folded) > 2 and not folded.isdigit():
                by_stem[stem] += 1
                spellings[stem][folded] += 1
    return [{"term": spellings[stem].most_common(1)[0][0], "count": count}
            for stem, count in by_stem.most_common(limit)]


def _text_summary(question, answered, organizations=False):
    sample = _texts(question, KEY_TERM_SAMPLE, organizations)
    listed = [mask_personal_data(text) for text in sample[:TEXTS_LISTED]]
    return {"answers": listed, "answers_total": answered, "key_terms": key_terms(mask_personal_data(t) for t in sample)}


# -- breakdowns --------------------------------------------------------------------------
def dimension_label(dimension, code):
    """The people-facing name of one group of a breakdown."""
    if code == NOT_STATED:
        return gettext("Not stated")
    if dimension == "age_band":
        return str(AGE_BAND_LABELS.get(code, code))
    if dimension == "gender":
        return str(GENDER_LABELS.get(code, code))
    return code


def _groups(survey, dimension):
    """[(code, label, responses)] of the breakdown's groups, in a stable order."""
    column = getattr(SurveyResponse, f"{dimension}_id" if dimension == "kecamatan" else dimension)
    counts = dict(db.session.execute(
        select(column, func.count()).where(SurveyResponse.survey_id == survey.id, _respondents(False))
        .group_by(column)
    ).all())
    if dimension == "kecamatan":
        names = dict(db.session.execute(
            select(District.id, District.code).where(District.level == District.KECAMATAN)).all())
        labels = dict(db.session.execute(
            select(District.code, District.name).where(District.level == District.KECAMATAN)).all())
        order = sorted(names, key=lambda district_id: labels[names[district_id]])
        groups = [(names[key], labels[names[key]], counts.get(key, 0)) for key in order]
    else:
        values = Demographic.AGE_BANDS if dimension == "age_band" else Demographic.GENDERS
        groups = [(code, dimension_label(dimension, code), counts.get(code, 0)) for code in values]
    groups.append((NOT_STATED, dimension_label(dimension, NOT_STATED), counts.get(None, 0)))
    return groups, (names if dimension == "kecamatan" else None)


def _breakdown(survey, dimension, questions):
    groups, kecamatan_codes = _groups(survey, dimension)
    column = getattr(SurveyAnswer, f"{dimension}_id" if dimension == "kecamatan" else dimension)
    table = _aggregate([question.id for question in questions], column)

    def code_of(raw):
        if raw is None:
            return NOT_STATED
        return kecamatan_codes.get(raw, str(raw)) if kecamatan_codes is not None else raw

    by_question = defaultdict(dict)
    for (question_id, raw_group), cells in table.items():
        by_question[question_id][code_of(raw_group)] = cells
    result = {}
    for question in questions:
        rows = []
        for code, label, _responses in groups:
            answered, numbers = _question_numbers(question, by_question[question.id].get(code, {}))
            numbers.pop("choices", None)
            rows.append({"group": code, "label": label, "responses": answered, **numbers})
        result[question.id] = rows
    return {"dimension": dimension, "label": str(DIMENSION_LABELS[dimension]),
            "groups": [{"code": code, "label": label, "responses": count} for code, label, count in groups]}, result


# -- the one shape ---------------------------------------------------------------------
def survey_results(survey, *, breakdown=None, texts=True, organizations=False):
    """The survey's results as a JSON-ready dict (the API's `results` shape).

    `breakdown` is one of `Demographic.DIMENSIONS`, a list of them, or "all";
    each question then carries `breakdowns[dimension]`: one row per group.
    `texts=False` leaves out the listed free-text answers and key terms.
    The figures are residents'; `organizations=True` gives the organizations'
    group instead (no demographic breakdown: organizations have none), with
    `organizations` naming those that answered.
    """
    questions = list(survey.questions)
    ids = [question.id for question in questions]
    table = _aggregate(ids, organizations=organizations) if ids else {}
    dimensions = [] if organizations else _dimensions(breakdown)
    breakdowns = {dimension: _breakdown(survey, dimension, questions) for dimension in dimensions} if ids else {}
    items = []
    for question in questions:
        answered, numbers = _question_numbers(question, table.get(question.id, {}))
        item = {"id": question.id, "position": question.position, "type": question.kind, "text": question.text,
                "required": question.required, "responses": answered, **numbers}
        if question.kind in QuestionType.SCALE:
            item["low_label"], item["high_label"] = question.low_label, question.high_label
        if texts and (question.kind in QuestionType.TEXT or (question.allow_other and numbers.get("other"))):
            item.update(_text_summary(question, answered if question.kind in QuestionType.TEXT else numbers["other"],
                                      organizations))
        if breakdowns:
            item["breakdowns"] = {dimension: rows[question.id] for dimension, (_, rows) in breakdowns.items()}
        items.append(item)
    result = {
        "survey_id": survey.id,
        "title": survey.title,
        "status": survey.status(),
        "responses": _response_count(survey, organizations),
        "questions": items,
        "breakdowns": {dimension: groups for dimension, (groups, _) in breakdowns.items()},
    }
    if organizations:
        result["organizations"] = answering_organizations(survey)
    else:
        result["organization_responses"] = _response_count(survey, True)
    return result


def _response_count(survey, organizations):
    return db.session.scalar(select(func.count()).select_from(SurveyResponse).where(
        SurveyResponse.survey_id == survey.id, _respondents(organizations)))


def answering_organizations(survey):
    """[{id, name, slug}] of the organizations that answered `survey`, by name."""
    rows = db.session.execute(
        select(Organization.id, Organization.name, Organization.slug)
        .join(SurveyResponse, SurveyResponse.organization_id == Organization.id)
        .where(SurveyResponse.survey_id == survey.id).order_by(Organization.name)
    ).all()
    return [{"id": row.id, "name": row.name, "slug": row.slug} for row in rows]


def _dimensions(breakdown):
    if breakdown is None:
        return []
    if breakdown == "all":
        return list(Demographic.DIMENSIONS)
    if isinstance(breakdown, str):
        breakdown = [breakdown]
    return [dimension for dimension in Demographic.DIMENSIONS if dimension in breakdown]
