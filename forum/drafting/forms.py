"""Drafting forms: the policy editor with its no-JavaScript section list, versions, outcome, upload.

The section list is edited by submit buttons named `action` (`add_section`,
`remove_section-2`, `move_up-3`, `move_down-3`); `apply_section_action()`
(forum/list_editor.py) rewrites the posted form data accordingly, so the
re-rendered form keeps everything typed, without saving anything. Lengths
are checked again by the service, which is the authority; errors it names
are put back by `apply_errors()`.
"""
import re
from datetime import UTC

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateTimeLocalField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from forum.forms import BaseForm, length, optional, required
from forum.list_editor import apply_list_action
from forum.services import policies, reference
from forum.timeutil import CITY_ZONE, to_city_time

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class SectionForm(BaseForm):
    class Meta:
        csrf = False

    heading = StringField(_l("Heading"), validators=[required(), length(max=policies.HEADING_MAX)])
    body = TextAreaField(_l("Text (Markdown)"), validators=[required(), length(max=policies.BODY_MAX)])
    clause_key = HiddenField()


class SectionsMixin:
    #: A problem with the section list as a whole (none, too many), shown above it.
    sections_problem = None

    def section_data(self):
        return [
            {"heading": entry.form.heading.data, "body": entry.form.body.data, "clause_key": entry.form.clause_key.data}
            for entry in self.sections
        ]


class PolicyForm(SectionsMixin, BaseForm):
    title = StringField(_l("Title"), validators=[required(), length(max=policies.TITLE_MAX)])
    summary = TextAreaField(_l("Summary"), validators=[required(), length(max=policies.SUMMARY_MAX)])
    category = SelectField(_l("Category"), validators=[required()], validate_choice=False)
    opens_at = DateTimeLocalField(
        _l("Opens at (Jakarta time)"), format=DATETIME_FORMATS, validators=[required()],
        render_kw={"step": 60},
    )
    closes_at = DateTimeLocalField(
        _l("Closes at (Jakarta time)"), format=DATETIME_FORMATS, validators=[required()],
        render_kw={"step": 60},
    )
    sections = FieldList(FormField(SectionForm), min_entries=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = get_locale()
        categories = reference.categories()
        self.category.choices = [SelectChoice("", _l("Choose a category"))] + [
            SelectChoice(category.code, category.localized_name(locale)) for category in categories
        ]

    def policy_fields(self):
        return {
            "title": self.title.data,
            "summary": self.summary.data,
            "sections": self.section_data(),
            "category_code": self.category.data,
            "opens_at": city_to_utc(self.opens_at.data),
            "closes_at": city_to_utc(self.closes_at.data),
        }


class VersionForm(SectionsMixin, BaseForm):
    change_note = TextAreaField(
        _l("What changed in this version"), validators=[required(), length(max=policies.CHANGE_NOTE_MAX)]
    )
    sections = FieldList(FormField(SectionForm), min_entries=1)


class OutcomeForm(BaseForm):
    outcome = TextAreaField(
        _l("Outcome: what you heard and what changed"),
        validators=[required(), length(max=policies.OUTCOME_MAX)],
    )


class AttachmentForm(BaseForm):
    file = FileField(_l("PDF file (at most 10 MB)"), validators=[optional()])


def city_to_utc(moment):
    """A naive Jakarta datetime from the form as an aware UTC datetime."""
    return moment.replace(tzinfo=CITY_ZONE).astimezone(UTC) if moment else None


def policy_form_data(policy):
    """Form values of a saved policy, with times in Jakarta (naive, as the input shows them)."""
    return {
        "title": policy.title,
        "summary": policy.summary,
        "category": policy.category.code,
        "opens_at": to_city_time(policy.opens_at).replace(tzinfo=None),
        "closes_at": to_city_time(policy.closes_at).replace(tzinfo=None),
        "sections": sections_form_data(policy.current_version),
    }


def sections_form_data(version):
    return [
        {"heading": section.heading, "body": section.body_source, "clause_key": section.clause_key}
        for section in version.sections
    ]


def apply_errors(form, fields):
    """Put a service's field errors on the form; return those that match no field."""
    leftover = {}
    for name, message in fields.items():
        match = re.match(r"^sections-(\d+)-(heading|body)$", name)
        if match and int(match.group(1)) < len(form.sections.entries):
            target = form.sections.entries[int(match.group(1))].form[match.group(2)]
        elif name in form and name != "sections":
            target = form[name]
        else:
            leftover[name] = message
            continue
        target.errors = list(target.errors) + [message]
    return leftover


def apply_section_action(formdata):
    """(new form data, problem) for an editor button press; (None, None) for a plain submit."""
    return apply_list_action(
        formdata, prefix="sections", item="section", parts=("heading", "body", "clause_key"),
        maximum=policies.MAX_SECTIONS,
        too_many=_l("A policy can have at most %(max)d sections.", max=policies.MAX_SECTIONS),
    )
