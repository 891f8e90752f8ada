"""Forms of the consultation pages: a comment (or reply, or official response).

Stance and clause are not checked against a list here: the service decides
(a reply may omit the stance, the clause must be in the current version) and
its field errors are shown on these fields. A comment's edit form is shared
with the aspiration page (forum/comment_views.py).
"""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.fields import SelectChoice

from forum.forms import BaseForm, length, required
from forum.services.comments import BODY_MAX
from forum.voice_forms import voice_field

STANCE_CHOICES = [
    SelectChoice("support", _l("I agree")),
    SelectChoice("oppose", _l("I disagree")),
    SelectChoice("neutral", _l("Neutral")),
]


class CommentForm(BaseForm):
    body = TextAreaField(_l("Your comment"), validators=[required(), length(max=BODY_MAX)])
    stance = RadioField(_l("Your stance"), choices=STANCE_CHOICES, validate_choice=False)
    section_id = SelectField(_l("About"), choices=[], validate_choice=False)
    parent_id = HiddenField()
    as_organization = voice_field()
