"""All models, imported here so Alembic and the app see every table."""
from forum.models.content import Content, ContentStatus
from forum.models.people import AccountState, Agency, ApiToken, Role, User
from forum.models.places import Category, District

__all__ = [
    "AccountState",
    "Agency",
    "ApiToken",
    "Category",
    "Content",
    "ContentStatus",
    "District",
    "Role",
    "User",
]
