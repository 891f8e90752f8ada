"""All models, imported here so Alembic and the app see every table."""
from forum.models.comments import Comment, CommentRevision, Stance
from forum.models.content import Content, ContentStatus
from forum.models.notifications import Follow, Notification
from forum.models.people import AccountState, Agency, ApiToken, Role, User
from forum.models.places import Category, District
from forum.models.policies import Attachment, Policy, PolicyPhase, PolicyVersion, Section
from forum.models.search import SearchOutbox
from forum.models.votes import Vote, VoteValue

__all__ = [
    "AccountState",
    "Agency",
    "ApiToken",
    "Attachment",
    "Category",
    "Comment",
    "CommentRevision",
    "Content",
    "ContentStatus",
    "District",
    "Follow",
    "Notification",
    "Policy",
    "PolicyPhase",
    "PolicyVersion",
    "Role",
    "SearchOutbox",
    "Section",
    "Stance",
    "User",
    "Vote",
    "VoteValue",
]
