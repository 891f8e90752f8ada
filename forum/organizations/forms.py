"""Forms of the organization pages. Codes (kind, place) and files are checked by the service, whose field
errors are shown on these fields."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice

from forum.auth.forms import email_field
from forum.forms import BaseForm, length, optional, required
from forum.models import OrganizationKind
from forum.services import organization_labels as labels
from forum.services import organizations as service

KIND_CHOICES = [SelectChoice("", _l("Choose the kind"))] + [SelectChoice(kind, labels.KIND_LABELS[kind])
                                                          for kind in OrganizationKind.ALL]


class ProfileFields(BaseForm):
    """What the founder fills in and the organization's admins may change later."""

    kind = SelectField(_l("Kind of organization"), choices=KIND_CHOICES, validate_choice=False)
    district = SelectField(_l("Where it works"), choices=[], validate_choice=False)
    description = TextAreaField(_l("What the organization does"),
                                validators=[required(), length(max=service.DESCRIPTION_MAX)])
    website = StringField(_l("Website (optional)"), validators=[optional(), length(max=service.WEBSITE_MAX)])
    contact = StringField(_l("Contact for the verifiers (not public)"),
                          validators=[required(), length(max=service.CONTACT_MAX)])
    logo = FileField(_l("Logo (optional)"))


class RequestForm(ProfileFields):
    name = StringField(_l("Name of the organization"),
                       validators=[required(), length(min=service.NAME_MIN, max=service.NAME_MAX)])
    document = FileField(_l("Supporting document (PDF or JPEG)"))


class ProfileForm(ProfileFields):
    remove_logo = BooleanField(_l("Remove the current logo"))


class InviteForm(BaseForm):
    email = email_field()


DECISION_CHOICES = [SelectChoice(action, label) for action, label in labels.ACTION_LABELS.items()]


class DecisionForm(BaseForm):
    action = RadioField(_l("Decision"), choices=DECISION_CHOICES, validate_choice=False)
    reason = TextAreaField(_l("Reason (required to refuse or suspend; shown to the organization's admins)"),
                           validators=[optional(), length(max=service.REASON_MAX)])


class VerifierForm(BaseForm):
    email = email_field()
