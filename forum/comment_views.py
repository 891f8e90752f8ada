"""The comment controls and views every discussion page shares (consultations, aspirations).

`controls_for` decides which controls a viewer gets on a comment (rate, reply,
edit, delete, flag), drawn by the `comment_actions` macro
(templates/comments/_macros.html). `CommentViews` holds the views behind them:
edit within the window (a form page), delete (a tombstone) and rate helpful.
Each blueprint registers those views (`register`) under its own prefix with a `CommentViews`
that reads the page a comment is on for the viewer, so a comment is exactly
as reachable as its page (a draft policy or a confidential aspiration is a 404
to others, and so is every comment on it), and leads back to that page at
the comment. The services (forum/services/comments.py, votes.py) decide who
may do what.
"""
from dataclasses import dataclass
from typing import Callable, NamedTuple

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import TextAreaField

from forum.errors import ValidationFailed
from forum.forms import BaseForm, length, required
from forum.models import ContentStatus
from forum.permissions import can
from forum.services import comments as comment_service
from forum.services import votes as vote_service
from forum.web import FORM_INVALID, form_checks_csrf, show_service_errors, signed_in_user



class EditCommentForm(BaseForm):
    body = TextAreaField(_l("Your comment"), validators=[required(), length(max=comment_service.BODY_MAX)])


class Controls(NamedTuple):
    """Which controls one viewer gets on one comment."""

    vote: bool = False
    mine: str = None  # the viewer's vote on it: up, down or None
    reply: bool = False
    edit: bool = False
    delete: bool = False
    flag: bool = False


def controls_for(comment, viewer, *, open, may_reply, my_votes, flag=False):
    """The signed-in `viewer`'s controls on `comment` (a Comment, or facts with the same attributes).

    `open`: the page takes input now; `may_reply`: the viewer may reply on
    this page; `my_votes`: {comment id: value} of the viewer's votes; `flag`:
    the controls carry the flag link (for pages that do not show it to all).
    """
    published = comment.status == ContentStatus.PUBLISHED
    vote = open and published and can(viewer, "vote.cast", comment)
    # Editing and deleting are rules about one's own comments (forum/permissions.py): others' are not asked.
    own = comment.author_id == viewer.id and (open or comment.is_official_response)
    return Controls(
        vote=vote, mine=my_votes.get(comment.id) if vote else None, reply=published and may_reply,
        edit=own and can(viewer, "comment.edit", comment), delete=own and can(viewer, "comment.delete", comment),
        flag=flag and published and can(viewer, "content.flag", comment),
    )


def tell_author(comment, posted_message):
    """Flash what became of the author's comment: posted, or held for review, and what the screen changed."""
    verdict = getattr(comment, "verdict", None)
    messages = [str(m) for m in verdict.author_messages()] if verdict is not None else []
    if comment.status == ContentStatus.PENDING:
        flash(_("Your comment was received and is awaiting review. Only you can see it for now."), "info")
    else:
        flash(posted_message, "success")
    for message in messages:
        flash(message, "warning")


@dataclass(frozen=True)
class CommentViews:
    """One blueprint's comment views.

    `page_of(viewer, target_id)` returns the page's content (the policy, the
    aspiration) when the viewer may read it and raises NotFound otherwise;
    `endpoint` and `argument` name the page's route and its id argument;
    `back_label` is the edit page's link back.
    """

    page_of: Callable
    endpoint: str
    argument: str
    back_label: str

    def register(self, blueprint):
        """Add the views to `blueprint` under /komentar/<id>/: ubah, hapus, nilai (edit_comment, delete_comment, vote_comment)."""
        blueprint.add_url_rule("/komentar/<int:comment_id>/ubah", "edit_comment",
                               login_required(form_checks_csrf(self.edit)), methods=["GET", "POST"])
        blueprint.add_url_rule("/komentar/<int:comment_id>/hapus", "delete_comment", login_required(self.delete),
                               methods=["POST"])
        blueprint.add_url_rule("/komentar/<int:comment_id>/nilai", "vote_comment", login_required(self.vote),
                               methods=["POST"])

    def back_url(self, comment):
        return url_for(self.endpoint, **{self.argument: comment.target_id}, _anchor=f"comment-{comment.id}")

    def comment(self, comment_id):
        """The comment, if the viewer may read the page it is on (the services decide the rest)."""
        comment = comment_service.get_comment(comment_id)
        self.page_of(signed_in_user(), comment.target_id)
        return comment

    def edit(self, comment_id):
        """GET: the edit form with the comment's text; POST: save it and go back to the comment."""
        user = signed_in_user()
        comment = self.comment(comment_id)
        if not comment_service.may_edit(user, comment):
            flash(_("Comments can be edited for 15 minutes after posting, by their author."), "warning")
            return redirect(self.back_url(comment))
        form = EditCommentForm()
        if not form.is_submitted():
            form.body.data = comment.body_source
        if form.validate_on_submit():
            try:
                comment = comment_service.edit_comment(user, comment, form.body.data)
            except ValidationFailed as error:
                show_service_errors(form, error)
            else:
                tell_author(comment, _("Your comment has been changed."))
                return redirect(self.back_url(comment))
        status = FORM_INVALID if form.is_submitted() else 200
        return render_template("comments/edit.html", form=form, comment=comment, back=self.back_url(comment),
                               back_label=self.back_label), status

    def delete(self, comment_id):
        """The author deletes their comment; a tombstone keeps its place in the thread."""
        comment = self.comment(comment_id)
        comment_service.delete_comment(signed_in_user(), comment)
        flash(_("Your comment has been deleted."), "success")
        return redirect(self.back_url(comment))

    def vote(self, comment_id):
        """Rate the comment helpful or not (`value` up, down, or clear to withdraw)."""
        user = signed_in_user()
        comment = self.comment(comment_id)
        value = request.form.get("value", "")
        if value == "clear":
            vote_service.clear_content_vote(user, comment)
        else:
            vote_service.vote_on_content(user, comment, value)
        flash(_("Thank you for rating this comment."), "success")
        return redirect(self.back_url(comment))
