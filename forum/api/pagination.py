"""List pages: `?page=N&per_page=M` in, `{"items", "page", "per_page", "total"}` out.

Arguments are strict whole numbers (no signs, spaces or non-ASCII digits);
anything else is a 422 naming the field, never a 500 or a silent default.
"""
import re

from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Query

from forum.errors import ValidationFailed
from forum.extensions import db

DEFAULT_PER_PAGE = 20
# Bounds the OFFSET sent to the database (a 64-bit integer on PostgreSQL).
MAX_PAGE = 1_000_000
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def _number(name, default, maximum, problems):
    raw = request.args.get(name)
    if raw is None:
        return default
    if _WHOLE_NUMBER.fullmatch(raw) and 1 <= int(raw) <= maximum:
        return int(raw)
    problems[name] = _("Use a whole number from 1 to %(max)d.", max=maximum)
    return default


def page_args(default_per_page=DEFAULT_PER_PAGE):
    """Return (page, per_page) from the query string; raise 422 when invalid."""
    problems = {}
    page = _number("page", 1, MAX_PAGE, problems)
    limit = current_app.config["API_MAX_PER_PAGE"]
    per_page = _number("per_page", min(default_per_page, limit), limit, problems)
    if problems:
        raise ValidationFailed(fields=problems)
    return page, per_page


def paginate(statement, serialize, default_per_page=DEFAULT_PER_PAGE):
    """Run one page of `statement` (a select of one entity, or a Query).

    `serialize` turns each row into its JSON dict. A page past the end has no
    items but still tells the total.
    """
    page, per_page = page_args(default_per_page)
    offset = (page - 1) * per_page
    if isinstance(statement, Query):
        total = statement.order_by(None).count()
        rows = statement.limit(per_page).offset(offset).all()
    else:
        total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
        rows = db.session.scalars(statement.limit(per_page).offset(offset)).all()
    return {"items": [serialize(row) for row in rows], "page": page, "per_page": per_page, "total": total}
