"""Forms of the auth pages. They check shape (present, length, format);
the rules (unique e-mail, password policy, consent) live in the accounts service.
"""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from forum.forms import BaseForm, email_address, length, required
from forum.services.accounts import CONSENT_NEEDED, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, NAME_MIN_LENGTH, kelurahan_groups
from forum.services.passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def kelurahan_choices():
    """An empty prompt, then every kelurahan inside an <optgroup> per kecamatan."""
    choices = [SelectChoice("", _l("Choose your kelurahan"))]
    for kecamatan, kelurahan in kelurahan_groups():
        choices.extend(SelectChoice(code, name, optgroup=kecamatan) for code, name in kelurahan)
    return choices


class KelurahanField(SelectField):
    """A <select> of kelurahan codes grouped by kecamatan (also used on the profile)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("choices", kelurahan_choices)
        kwargs.setdefault("invalid_choice_message", _l("Choose a kelurahan from the list."))
        super().__init__(label, validators, **kwargs)


def email_field(*extra_validators):
    return EmailField(
        _l("E-mail address"),
        validators=[required(), length(max=EMAIL_MAX_LENGTH), *extra_validators],
        filters=[_strip],
    )


class RegisterForm(BaseForm):
    email = email_field(email_address())
    display_name = StringField(
        _l("Your name"),
        validators=[required(), length(min=NAME_MIN_LENGTH, max=NAME_MAX_LENGTH)],
        filters=[_strip],
    )
    district = KelurahanField(_l("Kelurahan where you live"), validators=[required()])
    password = PasswordField(_l("Password"), validators=[required(), length(max=PASSWORD_MAX_LENGTH)])
    consent = BooleanField(
        _l("I agree that Musyawarah keeps and uses my data as described above (UU No. 27 Tahun 2022)."),
        validators=[InputRequired(message=CONSENT_NEEDED)],
    )
    submit = SubmitField(_l("Register"))


class LoginForm(BaseForm):
    # No format check when logging in: whatever address an account has must work.
    email = email_field()
    password = PasswordField(_l("Password"), validators=[required(), length(max=PASSWORD_MAX_LENGTH)])
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class ForgotPasswordForm(BaseForm):
    email = email_field()
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(BaseForm):
    password = PasswordField(_l("New password"), validators=[required(), length(max=PASSWORD_MAX_LENGTH)])
    submit = SubmitField(_l("Save the new password"))
