"""The Indonesian catalog is complete and consistent with the source.

User-facing strings are written in English (the msgids) and translated to
Indonesian, the default locale. Every string extracted from the code and
templates must have a non-fuzzy Indonesian translation with the same
placeholders, and the compiled catalog must be what the app serves.
"""
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "forum" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _method_map():
    return [
        ("forum/**.py", "python"),
        ("moderation/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]


def _source_messages():
    found = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=_method_map(), keywords=KEYWORDS
    ):
        key = message[0] if isinstance(message, tuple) else message
        found.setdefault(key, filename)
    return found


@pytest.fixture(scope="module")
def catalog():
    with open(CATALOG, "rb") as handle:
        return read_po(handle, locale="id")


def test_every_source_string_has_an_indonesian_translation(catalog):
    missing = []
    for msgid, filename in sorted(_source_messages().items()):
        entry = catalog.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"{filename}: {msgid!r}")
        elif isinstance(entry.string, tuple) and not all(entry.string):
            missing.append(f"{filename}: {msgid!r} (plural form)")
    assert not missing, "untranslated strings (run `make catalog` and translate):\n" + "\n".join(missing)


def test_translations_keep_their_placeholders(catalog):
    wrong = []
    for entry in catalog:
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != expected:
                wrong.append(f"{entry.id!r} -> {string!r}")
    assert not wrong, "\n".join(wrong)


def test_the_app_serves_the_compiled_catalog(app):
    with app.test_request_context():
        with force_locale("id"):
            indonesian = gettext("Page not found")
        with force_locale("en"):
            english = gettext("Page not found")
    assert english == "Page not found"
    assert indonesian != english
