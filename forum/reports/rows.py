"""The comment rows of a feedback export, read from the database in batches.

One row per published comment (official responses included, flagged), in
id order, with the channel it came through and the area it came from, as a tuple in the order of `columns()`. The author is a pseudonymous id
(forum/reports/scope.py); the text is plain text with the screen's
personal-data masks applied again, since a moderator may have restored text
the screen never saw, or the rules may have grown since it was written.
Names and e-mail addresses appear only in personal-data exports, which the
service allows and audits.

A comment written as an organization is the organization's: organizations
are public actors, so `organization` names it, `author` is its own id
(`ORG-<id>`), the area is the organization's, and no export ever names or
pseudonymises the member who wrote it.
"""
import html
import re

from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Comment, District, Organization, PolicyVersion, Section, User
from forum.reports.channels import input_area
from forum.reports.scope import comment_conditions, pseudonym
from forum.timeutil import isoformat
from moderation.filters.personal import mask_personal_data

BATCH = 1000

COLUMNS = (
    "policy_id", "policy_title", "version", "clause_number", "clause_heading", "comment_id", "reply_to",
    "stance", "helpful", "unhelpful", "official_response", "created_at", "kecamatan", "kelurahan",
    "author", "text", "organization", "channel",
)
PERSONAL_COLUMNS = ("author_name", "author_email")


def columns(with_personal_data=False):
    return COLUMNS + (PERSONAL_COLUMNS if with_personal_data else ())


# Every kind of personal data the screen masks holds a digit or an @: text
# without either is skipped (most comments), which halves an export's time.
_MAYBE_PERSONAL = re.compile(r"[0-9@]")
_TAG = re.compile(r"<[^>]*>")


def masked(text):
    """The text with NIK, phone, e-mail and plate numbers masked as the screen masks them."""
    if not _MAYBE_PERSONAL.search(text):
        return text
    return mask_personal_data(text)


def rendered_to_text(body_html):
    """Plain text of a stored `body_html`, on one line.

    `body_html` is our own sanitizer's output (forum/text.py: a small tag
    allowlist, every attribute quoted and escaped), so dropping the tags and
    decoding the entities gives the text `forum.text.plain_text` would, at a
    tenth of the cost of a full HTML parser: that matters at 100,000 rows.
    """
    return " ".join(html.unescape(_TAG.sub(" ", body_html)).split())


def _area_names(district):
    """(kecamatan name, kelurahan name or None) of a registered area."""
    if district.level == District.KELURAHAN:
        return district.parent.name, district.name
    return district.name, None


def count_rows(policy, filters):
    """How many comment rows the export holds."""
    return db.session.scalar(select(func.count()).select_from(Comment)
                             .where(*comment_conditions(policy, filters)))


def comment_rows(policy, filters, with_personal_data=False):
    """Yield one tuple per comment, in the order of `columns(with_personal_data)`, `BATCH` rows at a time."""
    areas = {district.id: _area_names(district) for district in db.session.scalars(select(District))}
    policy_id, title = policy.id, policy.title
    authors = {}  # user id -> pseudonym: one HMAC per author, not per row
    query = (
        select(Comment.id, Comment.parent_id, Comment.stance, Comment.up_count, Comment.down_count,
               Comment.is_official_response, Comment.created_at, Comment.author_id, Comment.body_html,
               PolicyVersion.number.label("version"), Section.number.label("clause_number"),
               Section.heading.label("clause_heading"), input_area(), User.display_name, User.email,
               Organization.id.label("organization_id"), Organization.name.label("organization"),
               Organization.district_id.label("organization_district_id"), Comment.channel)
        .select_from(Comment)
        .outerjoin(PolicyVersion, PolicyVersion.id == Comment.version_id)
        .outerjoin(Section, Section.id == Comment.section_id)
        .outerjoin(User, User.id == Comment.author_id)
        .outerjoin(Organization, Organization.id == Comment.organization_id)
        .where(*comment_conditions(policy, filters))
        .order_by(Comment.id)
        .execution_options(yield_per=BATCH)
    )
    for (comment_id, parent_id, stance, helpful, unhelpful, official, created_at, author_id, body_html, version,
         clause_number, clause_heading, district_id, name, email, organization_id, organization,
         organization_district_id, channel) in db.session.execute(query):
        if organization_id is not None:
            # The organization is the author: neither the member's pseudonym, area, name nor e-mail.
            author, district_id = organization_author(organization_id), organization_district_id
            name, email = organization, None
        else:  # desk input has no account behind it: no author id (its channel says where it came from)
            author = authors.get(author_id) or authors.setdefault(author_id, pseudonym(policy_id, author_id))
        kecamatan, kelurahan = areas.get(district_id, (None, None))
        row = (policy_id, title, version, clause_number, clause_heading, comment_id, parent_id, stance, helpful,
               unhelpful, bool(official), isoformat(created_at), kecamatan, kelurahan, author,
               masked(rendered_to_text(body_html)), organization, channel)
        yield row + (name, email) if with_personal_data else row


def organization_author(organization_id):
    """The author id of an organization's input in exports: public, the same everywhere."""
    return f"ORG-{organization_id}"
