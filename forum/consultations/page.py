"""The consultation page: one body for every viewer, each viewer's own parts filled in per request.

The body (the text with its clauses and stance bars, the comment section with
its filters and pages, related discussions) is the same for every viewer
whose thread is the public one, so it is rendered once per policy revision,
language, query and consultation window and kept (forum/page_cache.py).
Where something depends on the viewer it holds a marker, and `fill()`
replaces the markers: the vote and follow buttons, the comment form, and on
each comment the viewer's controls (the vote buttons with their own vote
pressed, reply, edit, delete, every form with this visitor's CSRF token),
decided by `controls_for` and drawn by the `comment_actions` macro (both
shared with the aspiration page: forum/comment_views.py), plus the reply
form under the comment being answered. Permission rules read the
comment's `CommentFacts`, kept with the body, so a kept body needs no
comment rows. Moderators and authors with a held or hidden comment
on the policy see a thread of their own: it is rendered for them and never
stored.

Rendering stays cheap when it does happen: labels are translated once per
body, dates formatted with patterns parsed once, and each distinct set of
controls is drawn once per request.
"""
import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from babel import dates
from flask import get_template_attribute, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from forum.comment_views import controls_for
from forum.models import ContentStatus
from forum.page_cache import page_cache
from forum.permissions import can
from forum.services import comments as comment_service
from forum.services import events as event_service
from forum.timeutil import to_city_time

_MARKER = re.compile(r"<!--(?:(actions|reply):(\d+)|(votes|write))-->")
_ID_SLOT = 2**31 - 1  # stands for the comment id while drawing controls
_CSRF_SLOT = "csrf-token-slot"  # and for the CSRF token, which is never kept: filled per request
THREAD_ARGUMENTS = ("page", "urut", "pasal", "sikap")  # what picks the comments shown: page, order, clause, stance
_LABELS = {
    "deleted": _l("Deleted by the author."),
    "removed": _l("Removed by a moderator."),
    "official": _l("Official response"),
    "deleted_account": _l("Deleted account"),
    "support": _l("Agrees"),
    "oppose": _l("Disagrees"),
    "neutral": _l("Neutral"),
    "earlier_version": _l("earlier version"),
    "edited": _l("edited"),
}


@dataclass(frozen=True)
class CommentFacts:
    """What the viewer's controls and the permission rules read from a comment."""

    id: int
    author_id: int
    status: str
    is_official_response: bool
    created_at: datetime
    kind: str = "comment"

    @property
    def is_tombstone(self):
        return self.status in ContentStatus.TOMBSTONES

    @classmethod
    def of(cls, comment):
        return cls(comment.id, comment.author_id, comment.status, comment.is_official_response, comment.created_at)


@dataclass(frozen=True)
class PageBody:
    """The rendered body with markers, the facts of its comments (page order), and its cache key."""

    html: str
    facts: dict
    key: tuple


def window(policy, now):
    """The time-dependent state a page shows: accepting input, not open yet, whole days left."""
    accepting = policy.accepts_input(now)
    return accepting, policy.is_upcoming(now), (policy.closes_at - now).days if accepting else None


def _short_datetime_formatter():
    """`city_datetime("short")` with the locale's patterns parsed once, for many dates."""
    locale = get_locale()
    date_pattern = dates.parse_pattern(dates.get_date_format("short", locale))
    time_pattern = dates.parse_pattern(dates.get_time_format("short", locale))
    joined = dates.get_datetime_format("short", locale).replace("'", "")

    def format_short(moment):
        local = to_city_time(moment)
        return joined.replace("{0}", time_pattern.apply(local, locale)).replace(
            "{1}", date_pattern.apply(local, locale))

    return format_short


def body(policy, viewer, *, public, revisions, now, load_text, page, sort, section_id, stance):
    """The page body: the kept one when `public` (the viewer sees the public thread), else rendered for them.

    `load_text(policy)` loads what the body shows of the policy (versions,
    clauses, ...) in one query, called only to render.
    """
    cache = page_cache()
    arguments = tuple(sorted((name, value) for name, value in request.args.items(multi=True) if name != "balas"))
    key = ("body", policy.id, *revisions, str(get_locale()), arguments, window(policy, now))
    if public:
        found = cache.get(key)
        if found is not None:
            return found
    load_text(policy)
    thread = comment_service.comment_page(
        policy, None if public else viewer, page=page, sort=sort, section_id=section_id, stance=stance)
    html = render_template(
        "consultations/_policy_body.html", policy=policy, version=policy.current_version, now=now,
        thread=thread, sections={s.id: s for version in policy.versions for s in version.sections},
        section_id=section_id, stance=stance, datetime=_short_datetime_formatter(),
        labels={name: str(label) for name, label in _LABELS.items()},
        events=event_service.policy_events(policy),
    )
    rendered = PageBody(html=html, facts={c.id: CommentFacts.of(c) for c in thread.comments}, key=key)
    if public:
        cache.put(key, rendered)
    return rendered


def _kept_with_csrf(key, render, csrf):
    """A viewer part kept under `key`, which names all it depends on but the CSRF token: kept without the token."""
    cache = page_cache()
    kept = cache.get(key)
    if kept is None:
        kept = render().replace(csrf, _CSRF_SLOT)
        cache.put(key, kept)
    return kept.replace(_CSRF_SLOT, csrf)


def fill(page_body, viewer, *, policy, now, my_vote, following, my_votes, reply_to=None, comment_form=None,
         voices=()):
    """The body as `viewer` (None for a visitor) sees it, as Markup.

    `comment_form()` builds the comment form, called only when one is drawn.
    `voices` are the organizations the viewer may write and vote as.
    Comment controls are drawn once per distinct combination (a handful per
    page) for a stand-in comment id, then copied with each comment's id.
    """
    open_now = policy.accepts_input(now)
    responder = can(viewer, "comment.respond", policy)
    may_reply = bool(open_now and can(viewer, "content.write") or responder)
    viewer_can = partial(can, viewer)
    csrf = generate_csrf() if viewer is not None else None
    form = None

    def the_form():
        nonlocal form
        if form is None and comment_form is not None:
            form = comment_form()
        return form

    def write_part():
        return render_template("consultations/_write.html", policy=policy, open=open_now, form=the_form(),
                               responder=responder, reply_to=reply_to, thread_ids=page_body.facts, can=viewer_can)

    def votes_part():
        return render_template("consultations/_vote_controls.html", policy=policy, open=open_now,
                               my_vote=my_vote, following=following, can=viewer_can, voices=voices)

    if viewer is None:
        parts = {"votes": votes_part(), "write": write_part()}  # the whole page is kept: nothing to keep here
    else:
        voice_ids = tuple(organization.id for organization in voices)
        parts = {
            "votes": _kept_with_csrf(("votes", page_body.key, can(viewer, "vote.cast", policy), my_vote, following,
                                      voice_ids), votes_part, csrf),
            "write": write_part() if request.method != "GET" else _kept_with_csrf(
                ("write", page_body.key, responder, may_reply, reply_to in page_body.facts, voice_ids),
                write_part, csrf),
        }
    macros = "consultations/_macros.html"
    actions = get_template_attribute("comments/_macros.html", "comment_actions") if viewer is not None else None
    drawn = {}

    # The reply form opens on the same page of the thread, in the same order and filter.
    thread_view = {name: request.args[name] for name in THREAD_ARGUMENTS if request.args.get(name)}

    def reply_url(comment_id):
        return url_for("consultations.policy", policy_id=policy.id, **thread_view, balas=comment_id, _anchor="form")

    def draw(controls, comment_id):
        if controls not in drawn:
            drawn[controls] = (str(actions(_ID_SLOT, controls, _CSRF_SLOT, "consultations", reply_url))
                               if any(controls) else "")
        return drawn[controls].replace(str(_ID_SLOT), str(comment_id)).replace(_CSRF_SLOT, csrf)

    def replace(match):
        kind, comment_id, part = match.groups()
        if part is not None:
            return parts[part]
        facts = page_body.facts.get(int(comment_id))
        if viewer is None or facts is None:
            return ""
        if kind == "actions":
            return draw(controls_for(facts, viewer, open=open_now, may_reply=may_reply, my_votes=my_votes),
                        facts.id)
        if facts.id == reply_to and may_reply:
            return str(get_template_attribute(macros, "reply_form")(the_form(), policy, responder, facts.id))
        return ""

    return Markup(_MARKER.sub(replace, page_body.html))
