"""Content as readers reach it: who may read it, what it is about, where it lives.

Used by the API, moderation and notifications alike, so a comment is exactly
as reachable as the page it is on, wherever it is looked up.
"""
from flask import url_for
from werkzeug.routing import BuildError

from forum.errors import NotFound
from forum.extensions import MAX_ID, db
from forum.models import Aspiration, Comment, Content, Policy


def visible_content(user, content_id):
    """The content `content_id` if `user` may read it, else NotFound.

    A comment is only as visible as the policy (or other content) it is on.
    """
    content = db.session.get(Content, content_id) if 0 < content_id <= MAX_ID else None
    if content is None or not content.is_visible_to(user):
        raise NotFound()
    if isinstance(content, Comment) and not content.target.is_visible_to(user):
        raise NotFound()
    return content


def policy_of(content):
    """The policy a notification's content belongs to (itself, or a comment's target)."""
    if isinstance(content, Comment):
        content = content.target
    return content if isinstance(content, Policy) else None


def subject_of(content):
    """The policy or aspiration a notification is about (itself, or a comment's target)."""
    if isinstance(content, Comment):
        content = content.target
    return content if isinstance(content, (Policy, Aspiration)) else None


def content_url(content, external=False):
    """Where a notification leads: the consultation page, at the comment if there is one."""
    policy = policy_of(content)
    if policy is None:
        return _aspiration_url(content, external)
    anchor = f"comment-{content.id}" if isinstance(content, Comment) else None
    try:
        return url_for("consultations.policy", policy_id=policy.id, _anchor=anchor, _external=external)
    except BuildError:
        # The consultation pages are not registered in this app (the path is fixed).
        path = f"/konsultasi/{policy.id}" + (f"#{anchor}" if anchor else "")
        return url_for("main.home", _external=True).rstrip("/") + path if external else path


def _aspiration_url(content, external):
    aspiration = subject_of(content)
    if aspiration is None:
        return None
    anchor = f"comment-{content.id}" if isinstance(content, Comment) else None
    return url_for("aspirations.show", aspiration_id=aspiration.id, _anchor=anchor, _external=external)
