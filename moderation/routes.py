"""The moderators' desk (blueprint); the moderation issue fills it in."""
from flask import render_template
from flask_login import current_user, login_required

from forum.permissions import require
from moderation import bp


@bp.get("/")
@login_required
def desk():
    require(current_user, "moderation.desk")
    return render_template("moderation/desk.html")
