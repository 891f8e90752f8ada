"""Event forms: schedule or change an event, cancel it, minutes with attendance, a point raised at the meeting.

Fields are read as typed and checked by the services (forum/services/events.py,
event_outcomes.py), whose errors land on the fields; the forms only keep
lengths and the Jakarta date-time inputs.
"""
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice

from forum.drafting.forms import DATETIME_FORMATS, city_to_utc
from forum.events.labels import KIND_LABELS
from forum.forms import BaseForm, length, optional, required
from forum.models import Demographic, Stance
from forum.services import event_outcomes, events
from forum.services.survey_results import AGE_BAND_LABELS, GENDER_LABELS
from forum.timeutil import to_city_time

STANCE_CHOICES = [SelectChoice("", _l("Choose")), SelectChoice(Stance.SUPPORT, _l("Agree")),
                  SelectChoice(Stance.OPPOSE, _l("Disagree")), SelectChoice(Stance.NEUTRAL, _l("Neutral"))]


class EventForm(BaseForm):
    title = StringField(_l("Title"), validators=[required(), length(max=events.TITLE_MAX)])
    kind = SelectField(_l("Kind of event"), choices=[SelectChoice("", _l("Choose"))] + [SelectChoice(*item) for item in KIND_LABELS.items()],
                       validate_choice=False)
    description = TextAreaField(_l("What it is about (Markdown)"),
                                validators=[optional(), length(max=events.DESCRIPTION_MAX)])
    kelurahan = SelectField(_l("Kelurahan"), validate_choice=False)
    address = StringField(_l("Address"), validators=[required(), length(max=events.ADDRESS_MAX)])
    latitude = StringField(_l("Latitude (optional)"), validators=[optional(), length(max=20)])
    longitude = StringField(_l("Longitude (optional)"), validators=[optional(), length(max=20)])
    starts_at = DateTimeLocalField(_l("Starts at (Jakarta time)"), format=DATETIME_FORMATS, validators=[required()],
                                   render_kw={"step": 60})
    ends_at = DateTimeLocalField(_l("Ends at (Jakarta time)"), format=DATETIME_FORMATS, validators=[required()],
                                 render_kw={"step": 60})
    capacity = StringField(_l("Seats"), validators=[required(), length(max=6)], render_kw={"inputmode": "numeric"})
    policy_id = SelectField(_l("Consultation discussed (optional)"), validate_choice=False)

    def fill_choices(self, kelurahan, policies):
        self.kelurahan.choices = [SelectChoice("", _l("Choose"))] + [
            SelectChoice(place.code, place.name, optgroup=place.parent.name) for place in kelurahan]
        self.policy_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(policy.id), policy.title) for policy in policies]

    def event_fields(self):
        return {
            "title": self.title.data, "kind": self.kind.data, "description": self.description.data,
            "kelurahan": self.kelurahan.data, "address": self.address.data, "latitude": self.latitude.data,
            "longitude": self.longitude.data, "starts_at": city_to_utc(self.starts_at.data),
            "ends_at": city_to_utc(self.ends_at.data), "capacity": self.capacity.data,
            "policy_id": self.policy_id.data,
        }


def event_form_data(event):
    """Form values of a saved event, with times in Jakarta (naive, as the inputs show them)."""
    return {
        "title": event.title, "kind": event.kind, "description": event.description,
        "kelurahan": event.district.code, "address": event.address,
        "latitude": str(event.latitude) if event.latitude is not None else "",
        "longitude": str(event.longitude) if event.longitude is not None else "",
        "starts_at": to_city_time(event.starts_at).replace(tzinfo=None),
        "ends_at": to_city_time(event.ends_at).replace(tzinfo=None),
        "capacity": str(event.capacity), "policy_id": str(event.policy_id or ""),
    }


class CancelForm(BaseForm):
    reason = TextAreaField(_l("Reason told to those registered (optional)"),
                           validators=[optional(), length(max=events.REASON_MAX)])


def _attendance_fields():
    """One small number field per gender and age band: `gender_female`, `age_band_18_24`, ..."""
    fields = {}
    for part, codes, labels in (("gender", Demographic.GENDERS, GENDER_LABELS),
                                ("age_band", Demographic.AGE_BANDS, AGE_BAND_LABELS)):
        for code in codes:
            fields[f"{part}_{code}"] = StringField(labels[code], validators=[optional(), length(max=6)],
                                                   render_kw={"inputmode": "numeric"})
    return fields


class MinutesForm(BaseForm):
    minutes = TextAreaField(_l("Minutes (notulen, Markdown)"),
                            validators=[required(), length(max=event_outcomes.MINUTES_MAX)])
    attendance_total = StringField(_l("People who attended"), validators=[optional(), length(max=6)],
                                   render_kw={"inputmode": "numeric"})

    def attendance(self):
        return {part: {code: self[f"{part}_{code}"].data for code in codes if self[f"{part}_{code}"].data}
                for part, codes in event_outcomes.BREAKDOWN_PARTS.items()}

    def attendance_rows(self, part):
        return [self[f"{part}_{code}"] for code in event_outcomes.BREAKDOWN_PARTS[part]]


for _name, _field in _attendance_fields().items():
    setattr(MinutesForm, _name, _field)


def minutes_form_data(event):
    data = {"minutes": event.minutes or "",
            "attendance_total": "" if event.attendance_total is None else str(event.attendance_total)}
    for part, counts in (event.attendance_breakdown or {}).items():
        data.update({f"{part}_{code}": str(value) for code, value in counts.items()})
    return data


class PointForm(BaseForm):
    body = TextAreaField(_l("The point raised"), validators=[required(), length(max=5000)])
    stance = SelectField(_l("Stance"), choices=STANCE_CHOICES, validate_choice=False)
    section_id = SelectField(_l("Clause"), validate_choice=False)
    agreed_count = StringField(_l("People at the meeting who agreed"), validators=[required(), length(max=6)],
                               render_kw={"inputmode": "numeric"})

    def fill_clauses(self, policy):
        version = policy.current_version
        sections = version.sections if version is not None else []
        self.section_id.choices = [SelectChoice("", _l("The policy as a whole"))] + [
            SelectChoice(str(section.id), f"{section.number}. {section.heading}") for section in sections]
