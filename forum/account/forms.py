"""Forms of the account pages; the rules themselves live in forum.services.profile."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields import EmailField, SelectChoice

from forum.forms import BaseForm, email_address, length, required
from forum.services.accounts import kelurahan_groups
from forum.services.passwords import MAX_LENGTH as PASSWORD_MAX


def kelurahan_choices():
    """Kelurahan codes grouped by kecamatan (<optgroup>), as at registration."""
    return [
        SelectChoice(code, name, optgroup=kecamatan)
        for kecamatan, kelurahan in kelurahan_groups()
        for code, name in kelurahan
    ]


class ProfileForm(BaseForm):
    display_name = StringField(_l("Display name"), validators=[required(), length(max=80)])
    district = SelectField(_l("Kelurahan"), validate_choice=False)
    locale = SelectField(_l("Preferred language"), validate_choice=False)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, languages=(), allow_no_district=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = kelurahan_choices()
        if allow_no_district:
            choices = [SelectChoice("", _l("No kelurahan"))] + choices
        self.district.choices = choices
        names = {"id": "Bahasa Indonesia", "en": "English"}
        self.locale.choices = [(code, names.get(code, code)) for code in languages]


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[required(), length(max=PASSWORD_MAX)])
    new_password = PasswordField(_l("New password"), validators=[required(), length(max=PASSWORD_MAX)])
    submit = SubmitField(_l("Change password"))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class EmailChangeForm(BaseForm):
    email = EmailField(
        _l("New e-mail address"),
        validators=[required(), length(max=254), email_address()],
        filters=[_strip],
    )
    password = PasswordField(_l("Current password"), validators=[required(), length(max=PASSWORD_MAX)])
    submit = SubmitField(_l("Send confirmation link"))


class TokenForm(BaseForm):
    name = StringField(_l("Token name"), validators=[required(), length(max=80)])
    submit = SubmitField(_l("Create token"))


class DeleteAccountForm(BaseForm):
    password = PasswordField(_l("Current password"), validators=[required(), length(max=PASSWORD_MAX)])
    confirm = BooleanField(_l("I understand that this cannot be undone."))
    submit = SubmitField(_l("Delete my account"))
