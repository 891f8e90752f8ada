"""Forms of the desk pages. The service checks the resident's details, the consent and every code
(a refused consent is its 422, not the form's), so these forms only carry the typed values."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, MultipleFileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice

from forum.aspirations.forms import AspirationForm
from forum.forms import BaseForm, length, optional, required
from forum.models import Stance
from forum.services import desk
from forum.services.comments import BODY_MAX

STANCE_CHOICES = [
    SelectChoice(Stance.SUPPORT, _l("Agrees")),
    SelectChoice(Stance.OPPOSE, _l("Disagrees")),
    SelectChoice(Stance.NEUTRAL, _l("Neutral")),
]


class ResidentForm(BaseForm):
    """Who the input is for, and their consent: the first part of every desk form."""

    resident_name = StringField(_l("Resident's name"), validators=[optional(), length(max=desk.NAME_MAX)])
    phone = StringField(_l("Phone number (optional)"), validators=[optional(), length(max=30)])
    kelurahan = SelectField(_l("Resident's kelurahan"), choices=[], validate_choice=False)
    consent = BooleanField(_l("The resident heard the consent text and agrees"))
    from_paper_form = BooleanField(_l("Typed from a paper form"))

    def resident(self):
        return desk.Resident(name=self.resident_name.data or "", phone=self.phone.data or "",
                             kelurahan=self.kelurahan.data or "", consent=bool(self.consent.data),
                             from_paper_form=bool(self.from_paper_form.data))


class DeskAspirationForm(ResidentForm, AspirationForm):
    """An aspiration for a resident; its kelurahan (where the matter is) defaults to the resident's."""


class DeskCommentForm(ResidentForm):
    section = SelectField(_l("Clause"), choices=[], validate_choice=False)
    stance = RadioField(_l("The resident's stance"), choices=STANCE_CHOICES, validate_choice=False)
    body = TextAreaField(_l("The resident's comment"), validators=[required(), length(max=BODY_MAX)])


class DeskUpdateForm(BaseForm):
    body = TextAreaField(_l("What the resident added"), validators=[optional(), length(max=desk.UPDATE_MAX)])
    photos = MultipleFileField(_l("Photos (optional)"))


class ClaimForm(BaseForm):
    code = StringField(_l("Receipt code"), validators=[required(), length(max=40)])
    phone = StringField(_l("Phone number given at the desk"), validators=[required(), length(max=30)])


class ClaimConfirmForm(BaseForm):
    token = HiddenField()
