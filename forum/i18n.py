"""Locale choice: the remembered language, then the browser's, then Indonesian."""
from flask import current_app, has_request_context, request
from flask_login import current_user

LANGUAGE_COOKIE = "lang"


def supported_languages():
    return current_app.config["LANGUAGES"]


def select_locale():
    """Pick the page language; Indonesian unless the visitor chose otherwise."""
    languages = supported_languages()
    if not has_request_context():  # the CLI and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone():
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]
