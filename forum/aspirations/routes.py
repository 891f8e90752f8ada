"""Public aspiration pages under /aspirasi: list, statistics, the two-step form, the page and its writes.

The form has two steps without JavaScript: the first checks the text and
shows up to five similar public aspirations ("support this one instead");
the second carries the text in hidden fields, takes the photos and sends.
With JavaScript, `/aspirasi/serupa` gives the same list while the title is typed.
Every write calls one service, then flashes and redirects; a form with
errors re-renders its page with the text kept (422). Comments are replied
to, rated, edited and deleted through the views consultations use too
(forum/comment_views.py).
"""
from flask import current_app, flash, make_response, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum import activity, channels as channel_labels, charts
from forum.aspirations import bp
from forum.aspirations.forms import AspirationForm, CommentForm, NoteForm, TransitionForm
from forum.comment_views import CommentViews, controls_for, tell_author
from forum.errors import Conflict, Forbidden, ValidationFailed
from forum.extensions import db, limiter
from forum.models import Agency, Aspiration, AspirationEvent, AspirationState, Channel, District
from forum.page_cache import kept, visitor_key
from forum.permissions import can
from forum.services import aspiration_lists as lists
from forum.services import aspiration_labels, aspiration_photos, aspiration_stats
from forum.services import aspirations as service
from forum.services import comments as comment_service
from forum.services import notifications, reference
from forum.services import votes as vote_service
from forum.services import writing
from forum.timeutil import utcnow
from forum.services.organization_voice import organizations_for, writer_visible_to
from forum.voice_forms import offer_voices, refused_voice
from forum.web import FORM_INVALID, MAX_ID, form_checks_csrf, id_arg, show_service_errors, signed_in_user

OVERDUE_BUCKET_SECONDS = 600  # kept list pages may show an overdue mark this much late
LIST_PAGE_SIZE = 20
SIMILAR_TITLE_MIN = 4  # characters of title before the live list looks
SIMILAR_TEXT_MAX = 500  # characters of each field it looks at


def reference_lists():
    """Topics, kecamatan with their kelurahan, and agencies, for filters and forms."""
    categories = reference.categories()
    kecamatan = db.session.scalars(select(District).where(District.parent_id.is_(None))
                                   .options(selectinload(District.children)).order_by(District.name)).all()
    agencies = db.session.scalars(select(Agency).order_by(Agency.short_name)).all()
    return categories, kecamatan, agencies


# -- the list and the figures ------------------------------------------------------------
def _list_key():
    """Visitors' list and figures pages: the aspirations' revision and a ten-minute bucket for overdue marks."""
    service.close_expired()
    return visitor_key(*aspiration_stats.lists_revision(), int(utcnow().timestamp() // OVERDUE_BUCKET_SECONDS))


@bp.get("/")
def index():
    def build():
        filters = lists.ListFilters.read(request.args)
        page = db.paginate(lists.public_query(filters), page=id_arg("page") or 1, per_page=LIST_PAGE_SIZE,
                           error_out=False)
        categories, kecamatan, agencies = reference_lists()
        return "aspirations/index.html", dict(
            page=page, filters=filters, now=utcnow(), categories=categories, kecamatan=kecamatan,
            agencies=agencies, states=AspirationState.PUBLIC, labels=aspiration_labels)

    return kept(_list_key(), build)


@bp.get("/statistik")
def statistics():
    def build():
        figures = aspiration_stats.public_statistics()
        language = _current_language()
        state_rows = [(str(aspiration_labels.state_label(state)), count) for state, count in figures.by_state]
        category_rows = [(category.localized_name(language), count) for category, count in figures.by_category]
        kecamatan_rows = [(district.name, count) for district, count in figures.by_kecamatan]
        channel_series = [(channel, channel_labels.CHANNEL_LABELS[channel]) for channel in Channel.ALL]
        response_rows = [(entry.agency.short_name, entry.median_days_to_first_response)
                         for entry in figures.agencies if entry.median_days_to_first_response is not None]
        return "aspirations/statistics.html", dict(
            figures=figures, labels=aspiration_labels,
            state_rows=state_rows, category_rows=category_rows, kecamatan_rows=kecamatan_rows,
            channel_series=channel_series,
            channel_chart=charts.stacked_bars(
                [(district.name, counts) for district, counts in figures.kecamatan_channels], channel_series,
                title=_("Aspirations per kecamatan and input channel")),
            state_chart=charts.horizontal_bars(state_rows, title=_("Aspirations by status")),
            category_chart=charts.horizontal_bars(category_rows, title=_("Aspirations by topic")),
            kecamatan_chart=charts.horizontal_bars(kecamatan_rows, title=_("Aspirations by kecamatan")),
            response_chart=charts.horizontal_bars(response_rows,
                                                  title=_("Median days to the first response, per agency")),
        )

    return kept(_list_key(), build)


# -- raising an aspiration ----------------------------------------------------------------
def form_choices(form):
    categories, kecamatan, _agencies = reference_lists()
    form.category.choices = [("", _("Choose a topic"))] + [(c.code, c.localized_name(_current_language()))
                                                           for c in categories]
    form.district.choices = [("", _("Choose a kelurahan"))] + [
        (kelurahan.code, f"{kelurahan.name} ({district.name})")
        for district in kecamatan for kelurahan in district.children]
    return form


def _current_language():
    from flask_babel import get_locale

    return str(get_locale() or "id")


def _submission_fields(form):
    return dict(aspiration_type=form.kind.data, title=form.title.data, body=form.body.data,
                category=form.category.data, district=form.district.data, visibility=form.visibility.data,
                location=form.location.data or "", as_organization=form.as_organization.data or None)


@bp.route("/baru", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def new():
    if not current_user.is_resident:
        raise Forbidden(_("Only residents raise aspirations; staff answer them."))
    form = offer_voices(form_choices(AspirationForm()), signed_in_user())
    if not form.is_submitted():
        return render_template("aspirations/new.html", form=form, step="check")
    if not form.validate_on_submit():
        return render_template("aspirations/new.html", form=form, step="check"), FORM_INVALID
    if form.step.data == "edit":
        return render_template("aspirations/new.html", form=form, step="check")
    fields = _submission_fields(form)
    try:
        service.check_submission(**{name: value for name, value in fields.items() if name != "as_organization"})
        if form.step.data != "send":
            similar = lists.similar(form.title.data, form.body.data)
            return render_template("aspirations/new.html", form=form, step="send", similar=similar)
        aspiration = service.submit_aspiration(signed_in_user(), photos=request.files.getlist("photos"), **fields)
    except ValidationFailed as error:
        show_service_errors(form, error)
        step = "send" if set(error.fields) == {"photos"} else "check"
        return render_template("aspirations/new.html", form=form, step=step, similar=[]), FORM_INVALID
    except (Forbidden, Conflict) as error:
        status = refused_voice(form, error)
        if status is None:
            raise
        return render_template("aspirations/new.html", form=form, step="check", similar=[]), status
    if aspiration.status == "pending":
        flash(_("Your aspiration was received and is awaiting review."), "info")
    else:
        flash(_("Your aspiration was sent. A moderator will check it within 3 working days."), "success")
    for notice in aspiration.notices:
        flash(notice, "warning")
    return redirect(url_for("aspirations.show", aspiration_id=aspiration.id))


def _similar_limit():
    return current_app.config["RATELIMIT_SIMILAR"]


@bp.get("/serupa")
@limiter.limit(_similar_limit)
def similar():
    """Similar public aspirations as an HTML fragment, for the form's live list (static/js/aspiration_similar.js)."""
    title = request.args.get("title", "")[:SIMILAR_TEXT_MAX]
    body = request.args.get("body", "")[:SIMILAR_TEXT_MAX]
    found = lists.similar(title, body) if len(title.strip()) >= SIMILAR_TITLE_MIN else []
    response = make_response(render_template("aspirations/_similar.html", similar=found, live=True))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# -- the aspiration page --------------------------------------------------------------------
def _render_page(aspiration_id, comment_form=None, transition_form=None, note_form=None, status=200):
    template, context = _page_context(aspiration_id, comment_form, transition_form, note_form)
    return render_template(template, **context), status


def _page_context(aspiration_id, comment_form=None, transition_form=None, note_form=None):
    """The aspiration page's template and context for the current viewer."""
    viewer = signed_in_user()
    aspiration = service.get_aspiration(viewer, aspiration_id)
    events = db.session.scalars(
        select(AspirationEvent).where(AspirationEvent.aspiration_id == aspiration.id)
        .options(selectinload(AspirationEvent.actor_agency), selectinload(AspirationEvent.agency),
                 selectinload(AspirationEvent.actor))
        .order_by(AspirationEvent.id)
    ).all()
    thread = comment_service.comment_page(aspiration, viewer, page=id_arg("page") or 1)
    targets = service.allowed_targets(viewer, aspiration)
    transition_form = transition_form or TransitionForm()
    transition_form.agency.choices = [("", _("Choose an agency"))] + [
        (agency.code, agency.name) for agency in reference_lists()[2] if agency.id != aspiration.agency_id]
    return "aspirations/show.html", dict(
        aspiration=aspiration, events=events, thread=thread, now=utcnow(),
        comment_form=offer_voices(comment_form or CommentForm(), viewer), transition_form=transition_form,
        voices=organizations_for(viewer), writer_of=lambda content: writer_visible_to(viewer, content),
        note_form=note_form or NoteForm(), notes=service.notes_of(viewer, aspiration), targets=targets,
        supported=service.supports(viewer, aspiration), following=notifications.is_following(viewer, aspiration),
        responder=can(viewer, "aspiration.handle", aspiration), staff=can(viewer, "aspiration.notes", aspiration),
        labels=aspiration_labels,
        author_name=aspiration.author_name_for(viewer), event_actor=lambda event: service.event_actor(event, viewer),
        may_comment=_may_comment(viewer, aspiration), **_thread_controls(viewer, aspiration, thread, comment_form),
        may_support=aspiration.is_public and aspiration.accepts_input() and can(viewer, "vote.cast", aspiration),
    )


def _page_key(aspiration_id):
    """A visitor's page of a public aspiration: its activity revision (read first) and its overdue state."""
    if visitor_key() is None or aspiration_id > MAX_ID:
        return None
    service.close_expired()
    row = db.session.execute(select(Aspiration, *activity.revisions(Aspiration.id))
                             .where(Aspiration.id == aspiration_id)).first()
    if row is None or not row[0].is_public:
        return None  # rendering answers 404
    return visitor_key(*row[1:], row[0].is_overdue())


@bp.get("/<int:aspiration_id>")
def show(aspiration_id):
    key = _page_key(aspiration_id)
    if key is None:
        return _render_page(aspiration_id)
    return kept(key, lambda: _page_context(aspiration_id))


def _back(aspiration, anchor=None):
    return redirect(url_for("aspirations.show", aspiration_id=aspiration.id, _anchor=anchor))


@bp.post("/<int:aspiration_id>/dukung")
@login_required
def support(aspiration_id):
    user = signed_in_user()
    aspiration = service.get_aspiration(user, aspiration_id)
    voice = request.form.get("as_organization") or None
    if request.form.get("value") == "clear":
        service.withdraw_support(user, aspiration, as_organization=voice)
        flash(_("You no longer support this aspiration."), "success")
    else:
        service.support(user, aspiration, as_organization=voice)
        flash(_("Thank you for your support. You will be notified of what happens to this aspiration."), "success")
    return _back(aspiration, "support")


@bp.post("/<int:aspiration_id>/komentar")
@login_required
@form_checks_csrf
def comment(aspiration_id):
    user = signed_in_user()
    aspiration = service.get_aspiration(user, aspiration_id)
    form = CommentForm()
    status = FORM_INVALID
    if form.validate_on_submit():
        try:
            posted = writing.write(user, aspiration, body=form.body.data, parent_id=form.parent_id.data or None,
                                   as_organization=form.as_organization.data or None)
        except ValidationFailed as error:
            show_service_errors(form, error)
        except (Forbidden, Conflict) as error:
            status = refused_voice(form, error)
            if status is None:
                raise
        else:
            tell_author(posted, _("Your comment has been posted."))
            return _back(aspiration, f"comment-{posted.id}")
    return _render_page(aspiration.id, comment_form=form, status=status)


# -- the comments' controls: reply, rate, edit, delete, flag ------------------------------
CommentViews(page_of=service.get_aspiration, endpoint="aspirations.show", argument="aspiration_id",
             back_label=_l("Back to the aspiration")).register(bp)


def _may_comment(viewer, aspiration):
    return aspiration.accepts_input() and aspiration.is_public and can(viewer, "content.write")


def _thread_controls(viewer, aspiration, thread, comment_form):
    """The viewer's controls on each comment shown, the comment being replied to (`?balas=`) and reply links.

    Nothing for visitors: their page is kept for every visitor (forum/page_cache.py).
    The handling agency's officials answer through `service.respond`, which
    writes no replies, so they are offered none.
    """
    if viewer is None:
        return dict(controls={}, reply_to=None, reply_url=None)
    may_reply = _may_comment(viewer, aspiration) and not can(viewer, "aspiration.handle", aspiration)
    comments = thread.comments
    my_votes = vote_service.votes_of(viewer, [comment.id for comment in comments])
    controls = {comment.id: controls_for(comment, viewer, open=aspiration.accepts_input(), may_reply=may_reply,
                                         my_votes=my_votes, flag=True)
                for comment in comments}
    reply_to = id_arg("balas")
    if comment_form is not None and str(comment_form.parent_id.data or "").isdigit():
        reply_to = int(comment_form.parent_id.data)
    if reply_to not in controls or not controls[reply_to].reply:
        reply_to = None

    def reply_url(comment_id):
        return url_for("aspirations.show", aspiration_id=aspiration.id, page=thread.page if thread.has_prev else None,
                       balas=comment_id, _anchor="form")

    return dict(controls=controls, reply_to=reply_to, reply_url=reply_url)



@bp.post("/<int:aspiration_id>/status")
@login_required
@form_checks_csrf
def change_state(aspiration_id):
    user = signed_in_user()
    aspiration = service.get_aspiration(user, aspiration_id)
    form = TransitionForm()
    form.agency.choices = []
    if form.validate_on_submit():
        try:
            service.transition(user, aspiration, form.to.data, agency=form.agency.data or None,
                               note=form.note.data or "")
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            flash(_("The aspiration is now: %(state)s.", state=aspiration_labels.state_label(aspiration.state)), "success")
            return _back(aspiration, "timeline")
    return _render_page(aspiration.id, transition_form=form, status=FORM_INVALID)


@bp.post("/<int:aspiration_id>/catatan")
@login_required
@form_checks_csrf
def add_note(aspiration_id):
    user = signed_in_user()
    aspiration = service.get_aspiration(user, aspiration_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            service.add_note(user, aspiration, form.body.data)
        except ValidationFailed as error:
            show_service_errors(form, error)
        else:
            flash(_("The internal note was saved."), "success")
            return _back(aspiration, "notes")
    return _render_page(aspiration.id, note_form=form, status=FORM_INVALID)


@bp.get("/foto/<int:photo_id>")
def photo(photo_id):
    path, mimetype = aspiration_photos.photo_file(signed_in_user(), photo_id, thumb=request.args.get("ukuran") == "kecil")
    response = send_file(path, mimetype=mimetype, max_age=3600)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
