"""Forms of the aspiration pages. Codes (topic, kelurahan, agency) are checked by the service,
whose field errors are shown on these fields, as on the consultation pages."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, MultipleFileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice

from forum.forms import BaseForm, length, optional, required
from forum.models import AspirationType, Visibility
from forum.services import aspiration_labels
from forum.services import aspirations as service
from forum.voice_forms import voice_field

TYPE_CHOICES = [SelectChoice(value, aspiration_labels.TYPE_LABELS[value]) for value in AspirationType.ALL]
VISIBILITY_CHOICES = [
    SelectChoice(Visibility.PUBLIC, _l("Public: everyone sees it with my name")),
    SelectChoice(Visibility.ANONYMOUS, _l("Anonymous: everyone sees it, my name is shown only to the staff handling it")),
    SelectChoice(Visibility.CONFIDENTIAL, _l("Confidential: only the staff handling it see it")),
]


class AspirationForm(BaseForm):
    kind = RadioField(_l("What is it?"), choices=TYPE_CHOICES, default=AspirationType.ASPIRATION,
                      validate_choice=False)
    title = StringField(_l("Title"), validators=[required(), length(min=service.TITLE_MIN, max=service.TITLE_MAX)])
    body = TextAreaField(_l("Describe it"), validators=[required(), length(max=service.BODY_MAX)])
    category = SelectField(_l("Topic"), choices=[], validate_choice=False)
    district = SelectField(_l("Kelurahan"), choices=[], validate_choice=False)
    location = StringField(_l("Place (optional)"), validators=[optional(), length(max=service.LOCATION_MAX)])
    visibility = RadioField(_l("Who may see it"), choices=VISIBILITY_CHOICES, default=Visibility.PUBLIC,
                            validate_choice=False)
    photos = MultipleFileField(_l("Photos (optional)"))
    step = HiddenField(default="check")
    as_organization = voice_field()


class CommentForm(BaseForm):
    body = TextAreaField(_l("Your comment"), validators=[required(), length(max=service.BODY_MAX)])
    parent_id = HiddenField()
    as_organization = voice_field()


class TransitionForm(BaseForm):
    to = HiddenField()
    agency = SelectField(_l("Agency"), choices=[], validate_choice=False)
    note = TextAreaField(_l("Note"), validators=[optional(), length(max=service.BODY_MAX)])


class NoteForm(BaseForm):
    body = TextAreaField(_l("Internal note"), validators=[required(), length(max=service.NOTE_MAX)])
