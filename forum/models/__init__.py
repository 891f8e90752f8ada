"""All models, imported here so Alembic and the app see every table."""
from forum.models.activity import ContentActivity
from forum.models.aspirations import (
    Aspiration,
    AspirationEvent,
    AspirationNote,
    AspirationPhoto,
    AspirationState,
    AspirationType,
    Visibility,
)
from forum.models.comments import Comment, CommentRevision, Stance
from forum.models.content import Channel, Content, ContentStatus
from forum.models.desk import DeskKind, DeskSubmission
from forum.models.guides import Guide, GuideRevision
from forum.models.events import Event, EventKind, EventRegistration, EventStatus, RegistrationStatus
from forum.models.notifications import Follow, Notification
from forum.models.organizations import (
    MemberRole,
    Organization,
    OrganizationInvitation,
    OrganizationKind,
    OrganizationMember,
    OrganizationStatus,
)
from forum.models.people import AccountState, Agency, ApiToken, Role, User
from forum.models.places import Category, District
from forum.models.policies import Attachment, Policy, PolicyPhase, PolicyVersion, Section
from forum.models.search import SearchOutbox
from forum.models.surveys import (
    Demographic,
    QuestionType,
    Survey,
    SurveyAnswer,
    SurveyChoice,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from forum.models.votes import Vote, VoteValue

__all__ = [
    "AccountState",
    "Agency",
    "ApiToken",
    "Aspiration",
    "AspirationEvent",
    "AspirationNote",
    "AspirationPhoto",
    "AspirationState",
    "AspirationType",
    "Attachment",
    "Category",
    "Channel",
    "Comment",
    "CommentRevision",
    "Content",
    "ContentActivity",
    "ContentStatus",
    "Demographic",
    "DeskKind",
    "DeskSubmission",
    "District",
    "Event",
    "EventKind",
    "EventRegistration",
    "EventStatus",
    "Follow",
    "Guide",
    "GuideRevision",
    "MemberRole",
    "Notification",
    "Organization",
    "OrganizationInvitation",
    "OrganizationKind",
    "OrganizationMember",
    "OrganizationStatus",
    "Policy",
    "PolicyPhase",
    "PolicyVersion",
    "QuestionType",
    "RegistrationStatus",
    "Role",
    "SearchOutbox",
    "Section",
    "Stance",
    "Survey",
    "SurveyAnswer",
    "SurveyChoice",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyStatus",
    "User",
    "Vote",
    "Visibility",
    "VoteValue",
]
