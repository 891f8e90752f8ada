"""Staff lists: the agency desk (/dinas/aspirasi) and the moderators' verification queue (/moderasi/aspirasi).

Both list and link; the work itself (moving along the workflow, answering,
internal notes) happens on the aspiration's page, through the same services.
"""
from flask import render_template, request
from flask_login import current_user, login_required

from forum.aspirations import desk_bp, screening_bp
from forum.aspirations.routes import LIST_PAGE_SIZE
from forum.extensions import db
from forum.models import AspirationState
from forum.permissions import require
from forum.services import aspiration_lists as lists
from forum.services import aspiration_labels, aspiration_stats
from forum.timeutil import utcnow
from forum.web import id_arg


@desk_bp.get("/")
@login_required
def index():
    official = current_user._get_current_object()
    require(official, "aspiration.desk")
    state = request.args.get("status", "")
    state = state if state in AspirationState.ALL else ""
    page = db.paginate(lists.desk_query(official, state or None), page=id_arg("page") or 1,
                       per_page=LIST_PAGE_SIZE, error_out=False)
    own = aspiration_stats.compute(utcnow(), lists.desk_filter(official.agency_id)).agencies
    figures = own[0] if own else None
    return render_template("aspirations/desk.html", page=page, state=state, states=AspirationState.WITH_AGENCY,
                           figures=figures, now=utcnow(), labels=aspiration_labels, agency=official.agency)


@screening_bp.get("/")
@login_required
def queue():
    moderator = current_user._get_current_object()
    page = db.paginate(lists.queue_query(moderator), page=id_arg("page") or 1, per_page=LIST_PAGE_SIZE,
                       error_out=False)
    return render_template("aspirations/queue.html", page=page, now=utcnow(), labels=aspiration_labels)
