"""The "as myself / as <organization>" choice on the write forms (issue 15).

Each write form (comment, reply, aspiration, survey answer, support, vote)
carries an `as_organization` field and, set by `offer_voices()`, the
verified organizations the viewer may write as (`form.voices`); the macro
templates/macros/organizations.html `voice_choice` draws the radio buttons
only when there is an organization to choose. A refused choice (not a
member, not verified, suspended) comes back from the service as a 403 or 409:
`refused_voice()` puts it on the field so the page re-renders with the typed
text kept, with that status.
"""
from flask_babel import lazy_gettext as _l
from wtforms import StringField

from forum.errors import Conflict, Forbidden
from forum.services.organization_voice import FIELD, organizations_for

REFUSALS = ("not_a_member", "organization_suspended", "organization_not_verified")


def voice_field():
    """The form field holding the chosen organization id ("" for oneself)."""
    return StringField(_l("Write as"), default="")


def offer_voices(form, user):
    """Attach the organizations `user` may write as to `form`; returns the form."""
    form.voices = organizations_for(user)
    return form


def refused_voice(form, error):
    """If `error` refuses the chosen organization, show it on the field and return the status; else None."""
    if not isinstance(error, (Forbidden, Conflict)) or error.code not in REFUSALS:
        return None
    form[FIELD].errors = list(form[FIELD].errors) + [error.message]
    return error.status
