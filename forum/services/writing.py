"""What someone writes under a consultation or an aspiration: a comment, or an official response.

The one place that decides, for the consultation page, the aspiration page
and the API alike. An official answering for the target posts an official
response (on an aspiration, the handling agency's answer also moves the
workflow to `answered`); everyone else posts a comment or a reply. It sits
above forum/services/comments.py because the aspiration answer is a step of
forum/services/aspirations.py, which itself builds on comments.
"""
from forum.models import Aspiration
from forum.permissions import can
from forum.services import aspirations, comments


def write(actor, target, *, body, stance=None, section_id=None, parent_id=None, as_organization=None):
    """Post `body` by `actor` on `target`; returns the Comment (with the screen's `verdict`).

    `as_organization` (an organization id) makes a resident's comment or reply
    the organization's; officials answer for their agency, never as one.
    """
    if isinstance(target, Aspiration):
        if can(actor, "aspiration.handle", target):
            return aspirations.respond(actor, target, body)
        return comments.post_comment(actor, target, body=body, stance=None, parent_id=parent_id,
                                     as_organization=as_organization)
    if can(actor, "comment.respond", target):
        return comments.post_official_response(actor, target, body=body, comment_id=parent_id,
                                               section_id=section_id)
    return comments.post_comment(actor, target, body=body, stance=stance, section_id=section_id,
                                 parent_id=parent_id, as_organization=as_organization)
