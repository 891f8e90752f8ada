"""Survey forms: the builder with its no-JavaScript question list, and reading posted answers.

The question list is edited by submit buttons named `action` (`add_question`,
`remove_question-2`, `move_up-3`, `move_down-3`, forum/list_editor.py). Each
question's choices are typed one per line. The answer form is built from the
survey itself (templates/surveys/_questions.html), so `posted_answers()`
reads the request's fields `question-<id>` (choice ids, a value or a text)
and `question-<id>-other` into the answers dict the service takes.
"""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from forum.drafting.forms import DATETIME_FORMATS, city_to_utc
from forum.forms import REPLACEMENT_CHAR, BaseForm, clean_text, length, optional, required
from forum.list_editor import apply_list_action
from forum.models import QuestionType
from forum.services import surveys
from forum.services.survey_answers import field_name
from forum.timeutil import to_city_time

QUESTION_PARTS = ("type", "text", "required", "choices", "allow_other", "low_label", "high_label")
TYPE_LABELS = {
    QuestionType.SINGLE: _l("One choice"),
    QuestionType.MULTIPLE: _l("Several choices"),
    QuestionType.LIKERT: _l("Agreement scale 1–5"),
    QuestionType.RATING: _l("Rating 0–10"),
    QuestionType.SHORT_TEXT: _l("Short text"),
    QuestionType.LONG_TEXT: _l("Long text"),
}


class QuestionForm(BaseForm):
    class Meta:
        csrf = False

    type = SelectField(_l("Question type"), choices=[SelectChoice(code, label) for code, label in TYPE_LABELS.items()],
                       validate_choice=False)
    text = StringField(_l("Question"), validators=[required(), length(max=surveys.QUESTION_MAX)])
    required = BooleanField(_l("An answer is required"))
    choices = TextAreaField(_l("Choices, one per line (for choice questions)"))
    allow_other = BooleanField(_l("Offer \"Other\" with a text box (for choice questions)"))
    low_label = StringField(_l("Label of the lowest value (for scales)"),
                            validators=[optional(), length(max=surveys.LABEL_MAX)])
    high_label = StringField(_l("Label of the highest value (for scales)"),
                             validators=[optional(), length(max=surveys.LABEL_MAX)])


class SurveyForm(BaseForm):
    #: A problem with the question list as a whole (none, too many), shown above it.
    questions_problem = None

    title = StringField(_l("Title"), validators=[required(), length(max=surveys.TITLE_MAX)])
    service_name = StringField(_l("Public service surveyed"), validators=[optional(), length(max=surveys.SERVICE_MAX)])
    intro = TextAreaField(_l("Introduction (Markdown)"), validators=[optional(), length(max=surveys.INTRO_MAX)])
    opens_at = DateTimeLocalField(_l("Opens at (Jakarta time)"), format=DATETIME_FORMATS,
                                  validators=[optional()], render_kw={"step": 60})
    closes_at = DateTimeLocalField(_l("Closes at (Jakarta time)"), format=DATETIME_FORMATS,
                                   validators=[optional()], render_kw={"step": 60})
    results_public = BooleanField(_l("Publish the results for everyone once the survey closes"))
    ask_demographics = BooleanField(_l("Ask optional questions about the respondent (age band, gender)"))
    questions = FieldList(FormField(QuestionForm), min_entries=1)

    def survey_fields(self):
        return {
            "title": self.title.data, "service_name": self.service_name.data, "intro": self.intro.data,
            "opens_at": city_to_utc(self.opens_at.data), "closes_at": city_to_utc(self.closes_at.data),
            "results_public": self.results_public.data, "ask_demographics": self.ask_demographics.data,
            "questions": self.question_data(),
        }

    def question_data(self):
        return [
            {"type": entry.form.type.data, "text": entry.form.text.data, "required": entry.form.required.data,
             "choices": (entry.form.choices.data or "").splitlines(), "allow_other": entry.form.allow_other.data,
             "low_label": entry.form.low_label.data, "high_label": entry.form.high_label.data}
            for entry in self.questions
        ]


def survey_form_data(survey):
    """Form values of a saved survey, with times in Jakarta (naive, as the inputs show them)."""
    def local(moment):
        return to_city_time(moment).replace(tzinfo=None) if moment else None

    return {
        "title": survey.title, "service_name": survey.service_name, "intro": survey.intro,
        "opens_at": local(survey.opens_at) if survey.published_at else None, "closes_at": local(survey.closes_at),
        "results_public": survey.results_public, "ask_demographics": survey.ask_demographics,
        "questions": [
            {**data, "choices": "\n".join(data["choices"])}
            for data in map(surveys.question_data, survey.questions)
        ],
    }


def apply_question_action(formdata):
    """(new form data, problem) for a builder button press; (None, None) for a plain submit."""
    return apply_list_action(
        formdata, prefix="questions", item="question", parts=QUESTION_PARTS, maximum=surveys.MAX_QUESTIONS,
        too_many=_l("A survey can have at most %(max)d questions.", max=surveys.MAX_QUESTIONS),
    )


def apply_builder_errors(form, fields):
    """Put the service's field errors on the builder; return the message for the list as a whole, if any."""
    leftover = []
    for name, message in fields.items():
        parts = name.split("-")
        if len(parts) == 3 and parts[0] == "questions" and parts[1].isdigit() \
                and int(parts[1]) < len(form.questions.entries) and parts[2] in QUESTION_PARTS:
            target = form.questions.entries[int(parts[1])].form[parts[2]]
        elif name in form and name != "questions":
            target = form[name]
        else:
            leftover.append(str(message))
            continue
        target.errors = list(target.errors) + [message]
    return " ".join(leftover) or None


# -- answers -------------------------------------------------------------------------------
def _clean(value):
    return clean_text(value).replace(REPLACEMENT_CHAR, "")


def posted_answers(survey, formdata):
    """The answers dict for `survey` from posted form data (every page's fields, hidden or shown)."""
    answers = {}
    for question in survey.questions:
        name = field_name(question)
        values = [_clean(value) for value in formdata.getlist(name) if value != ""]
        if question.kind in QuestionType.CHOICE:
            other = _clean(formdata.get(f"{name}-other", "")).strip()
            chosen = [int(value) if value.isascii() and value.isdigit() and len(value) < 10 else value
                      for value in values if value != "other"]
            entry = {"choice_ids": chosen}
            # Text typed in the "other" box counts as choosing it, unless another single answer was chosen.
            if "other" in values or (other and (question.kind == QuestionType.MULTIPLE or not chosen)):
                entry["text"] = other
        elif question.kind in QuestionType.SCALE:
            entry = {"value": values[0] if values else None}
        else:
            entry = {"text": values[0] if values else ""}
        answers[question.id] = entry
    return answers


def posted_demographics(formdata):
    return {key: _clean(formdata.get(key, "")).strip() or None for key in ("age_band", "gender", "kecamatan")}
