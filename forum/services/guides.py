"""Guides: read them, edit them with every save kept, restore, publish; the "how to take part" box.

Each verb is one transaction: `require(actor, "guide.edit")` first (admins),
`ValidationFailed` naming the admin form's fields, `Conflict` when the guide
changed since the editor opened it (`base_revision`). A save writes the
text onto the guide (rendered by `forum.text.render_guide`) and a new
`GuideRevision` with the editor and time; a restore is a save of an old
revision's text. Slugs are chosen at creation and never change: forms and
printed leaflets link to them.

The default guides ship in forum/data/guides.toml as reference content:
`install_default_guides()` (called by `flask init` and the demo seeder) adds
the ones whose slug is missing, published, and never touches a guide that
exists, so admins' edits survive every `init`.
"""
import re
import tomllib
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from forum.errors import Conflict, NotFound, ValidationFailed
from forum.extensions import db
from forum.forms import check_length
from forum.models import Content, Guide, GuideRevision, Role
from forum.permissions import require
from forum.services import transaction
from forum.text import render_guide, typed_text
from forum.timeutil import utcnow

DEFAULTS_FILE = Path(__file__).resolve().parent.parent / "data" / "guides.toml"
SLUG_MAX = 60
TITLE_MAX = 120
SUMMARY_MAX = 300
BODY_MAX = 20_000
NOTE_MAX = 200
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: Illustrations a guide may show: static/img/guides/<key>.svg, with its alt text.
ILLUSTRATIONS = {
    "daftar": _l("A phone showing the registration form with name, e-mail and password."),
    "komentar": _l("A clause of a draft policy with a speech bubble and the choices agree, disagree, neutral."),
    "aspirasi": _l("A letter going to the city hall, then a tick when it is answered."),
    "survei": _l("A questionnaire with ticked boxes and a pencil."),
    "data": _l("A folder with a padlock: personal data kept safe."),
    "moderator": _l("A shield over a conversation: moderators keep the discussion fair."),
}

#: The text fields of the admin form: (name, maximum length, required).
TEXT_LIMITS = (
    ("title", TITLE_MAX, True), ("title_en", TITLE_MAX, True),
    ("summary", SUMMARY_MAX, True), ("summary_en", SUMMARY_MAX, True),
    ("body_source", BODY_MAX, True), ("body_en_source", BODY_MAX, True),
)


# -- reading -------------------------------------------------------------------------------
def published_guides():
    """The public guides in their order."""
    return db.session.scalars(select(Guide).where(Guide.public_filter())
                              .order_by(Guide.position, Guide.id)).all()


def all_guides(actor):
    """Every guide, published or not, for the admins' list."""
    require(actor, "guide.edit")
    return db.session.scalars(select(Guide).order_by(Guide.position, Guide.id)).all()


def guide_by_slug(slug, viewer):
    """The guide at `/panduan/<slug>` if `viewer` may read it; NotFound otherwise."""
    guide = db.session.scalar(select(Guide).where(Guide.slug == str(slug)[:SLUG_MAX]))
    if guide is None or not guide.is_visible_to(viewer):
        raise NotFound()
    return guide


def guide_for_editing(actor, guide_id):
    require(actor, "guide.edit")
    guide = db.session.get(Guide, guide_id)
    if guide is None:
        raise NotFound()
    return guide


def revision(guide, number):
    found = next((rev for rev in guide.revisions if rev.number == number), None)
    if found is None:
        raise NotFound()
    return found


# -- writing -------------------------------------------------------------------------------
def _checked(values):
    """The typed fields cleaned, or ValidationFailed naming each problem."""
    cleaned = {name: typed_text(values.get(name)) for name, _limit, _required in TEXT_LIMITS}
    cleaned["note"] = typed_text(values.get("note"))
    errors = {}
    for name, limit, required in TEXT_LIMITS + (("note", NOTE_MAX, False),):
        check_length(errors, name, cleaned[name], limit, required)
    illustration = typed_text(values.get("illustration")) or None
    if illustration is not None and illustration not in ILLUSTRATIONS:
        errors["illustration"] = _l("Choose one of the listed illustrations.")
    cleaned["illustration"] = illustration
    try:
        cleaned["position"] = int(values.get("position") or 0)
    except (TypeError, ValueError):
        errors["position"] = _l("Enter a whole number.")
    else:
        if not 0 <= cleaned["position"] <= 1000:
            errors["position"] = _l("Enter a number from 0 to 1000.")
    if errors:
        raise ValidationFailed(fields=errors)
    return cleaned


def _save(actor, guide, cleaned, restored_from=None):
    """Write the text onto the guide and keep it as its next revision."""
    for name in Guide.TEXT_FIELDS:
        setattr(guide, name, cleaned[name])
    guide.body_html = render_guide(guide.body_source)
    guide.body_en_html = render_guide(guide.body_en_source)
    guide.edited_at = utcnow()
    guide.revision_count = (guide.revision_count or 0) + 1
    guide.revisions.append(GuideRevision(
        number=guide.revision_count, editor_id=getattr(actor, "id", None), created_at=guide.edited_at,
        note=cleaned.get("note") or "", restored_from=restored_from,
        **{name: cleaned[name] for name in Guide.TEXT_FIELDS}))
    return guide


@transaction()
def create_guide(actor, values):
    """A new, unpublished guide from the admin form's values (`slug` included)."""
    require(actor, "guide.edit")
    slug = typed_text(values.get("slug")).lower()
    problems = {}
    try:
        cleaned = _checked(values)
    except ValidationFailed as error:
        problems = error.fields
    if not slug:
        problems["slug"] = _l("This field is required.")
    elif len(slug) > SLUG_MAX or not SLUG_PATTERN.fullmatch(slug):
        problems["slug"] = _l("Use lowercase letters, digits and single hyphens, at most %(max)d characters.",
                              max=SLUG_MAX)
    elif db.session.scalar(select(exists().where(Guide.slug == slug))):
        problems["slug"] = _l("Another guide already has this address.")
    if problems:
        raise ValidationFailed(fields=problems)
    guide = Guide(slug=slug, position=cleaned["position"], author_id=None)
    db.session.add(guide)
    return _save(actor, guide, cleaned)


@transaction()
def update_guide(actor, guide, values):
    """Save the admin form's values as the guide's next revision.

    `base_revision` is the revision the editor started from: if someone saved
    since, nothing is written and the editor is told (their text is kept).
    """
    require(actor, "guide.edit")
    cleaned = _checked(values)
    if str(values.get("base_revision") or "") != str(guide.revision_count):
        raise Conflict(_l("Someone else saved this guide while you were editing it. "
                          "Your text is below: compare it with the history, then save again."),
                       code="stale")
    guide.position = cleaned["position"]
    return _save(actor, guide, cleaned)


@transaction()
def restore_revision(actor, guide, number):
    """Make revision `number`'s text current again, as a new revision."""
    require(actor, "guide.edit")
    old = revision(guide, number)
    cleaned = {name: getattr(old, name) for name in Guide.TEXT_FIELDS}
    cleaned["note"] = str(_l("Restored revision %(number)d", number=number))
    return _save(actor, guide, cleaned, restored_from=number)


@transaction()
def set_published(actor, guide, published):
    require(actor, "guide.edit")
    if published and guide.published_at is None:
        guide.published_at = utcnow()
    elif not published:
        guide.published_at = None
    return guide


@transaction()
def install_default_guides(path=DEFAULTS_FILE):
    """Add the shipped guides whose slug is missing (published); the number added."""
    with open(path, "rb") as handle:
        defaults = tomllib.load(handle)["guide"]
    present = set(db.session.scalars(select(Guide.slug)))
    added = 0
    for entry in defaults:
        if entry["slug"] in present:
            continue
        guide = Guide(slug=entry["slug"], position=entry["position"], author_id=None, published_at=utcnow())
        db.session.add(guide)
        _save(None, guide, {**{name: entry.get(name) for name in Guide.TEXT_FIELDS},
                            "note": "Default text"})
        added += 1
    return added


# -- the "how to take part" box ---------------------------------------------------------
def shows_participation_intro(user):
    """True for a resident's account that has written nothing yet and has not closed the box."""
    if user is None or not getattr(user, "is_authenticated", False) or user.role != Role.RESIDENT:
        return False
    if user.guide_intro_dismissed_at is not None:
        return False
    return not db.session.scalar(select(exists().where(Content.author_id == user.id)))


@transaction()
def dismiss_participation_intro(user):
    if user.guide_intro_dismissed_at is None:
        user.guide_intro_dismissed_at = utcnow()
