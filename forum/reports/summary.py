"""The feedback summary of one policy: one dataclass, every number from SQL.

`build_summary(policy, filters)` runs a handful of GROUP BY queries (and one
windowed query for the most helpful comments per clause) and returns a
`FeedbackSummary`. Nothing loads all comments into Python: rows come back
already counted, and the only texts read are the few quoted comments and
the bounded sample behind the key terms (forum/reports/terms.py). Every
renderer (page, CSV, XLSX, JSON, PDF) reads this one object.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select, union

from forum.extensions import db
from forum.models import (
    Comment, ContentStatus, District, PolicyVersion, Section, Stance, Survey, SurveyStatus, User, Vote,
)
from forum.reports import terms
from forum.reports.channels import channel_breakdown, input_area
from forum.reports.organization_input import RESIDENTS_ONLY_COMMENTS, RESIDENTS_ONLY_VOTES, organizations_taking_part
from forum.reports.scope import (
    SummaryFilters, as_date, city_day, comment_conditions, pseudonym, version_id, vote_conditions,
)
from forum.services.survey_results import survey_results
from forum.text import excerpt
from forum.timeutil import utcnow

TOP_PER_STANCE = 3
LISTED_RESPONSES = 20
LISTED_UNANSWERED = 10
REASONS_PER_STATUS = 10
EXCERPT_LENGTH = 280
UNKNOWN_AREA = None


@dataclass
class Quote:
    """A comment quoted in the summary (its text is a plain-text excerpt)."""

    id: int
    author: str | None          # pseudonymous id
    clause_key: str | None
    stance: str | None
    text: str
    helpful: int
    unhelpful: int
    created_at: object


@dataclass
class Clause:
    """Stance counts of one clause (all versions of it, unless a version is chosen)."""

    key: str
    number: int
    heading: str
    comments: int = 0
    support: int = 0
    oppose: int = 0
    neutral: int = 0
    top: dict = field(default_factory=lambda: {Stance.SUPPORT: [], Stance.OPPOSE: []})
    terms: list = field(default_factory=list)

    @property
    def net(self):
        return self.support - self.oppose


@dataclass
class Area:
    code: str | None
    name: str | None
    kecamatan: str | None
    comments: int
    participants: int


@dataclass
class FeedbackSummary:
    policy_id: int
    title: str
    phase: str
    agency: str
    filters: SummaryFilters
    generated_at: object
    participants: int = 0
    commenters: int = 0
    voters: int = 0
    comments: int = 0
    replies: int = 0
    votes_support: int = 0
    votes_oppose: int = 0
    stance_totals: dict = field(default_factory=dict)  # first-level comments by stance
    general: Clause | None = None           # comments on the policy as a whole
    clauses: list = field(default_factory=list)
    by_day: list = field(default_factory=list)        # (date, comments, votes)
    kecamatan: list = field(default_factory=list)     # Area
    kelurahan: list = field(default_factory=list)     # Area
    official_responses: int = 0
    responses: list = field(default_factory=list)     # Quote
    unanswered: list = field(default_factory=list)    # Quote
    terms_by_stance: dict = field(default_factory=dict)
    terms_sample: int = 0
    moderation: dict = field(default_factory=dict)    # status -> [(reason, count)]
    moderation_totals: dict = field(default_factory=dict)
    from_new_accounts: int = 0                        # comments by accounts created since the opening
    notes: list = field(default_factory=list)
    survey: object = None
    organizations: list = field(default_factory=list)  # OrganizationTakingPart, counted apart from residents
    channels: object = None                           # forum/reports/channels.py ChannelBreakdown

    @property
    def is_empty(self):
        return self.comments == 0 and self.votes_support + self.votes_oppose == 0

    def all_clauses(self):
        """The general comments first, then each clause."""
        return ([self.general] if self.general and self.general.comments else []) + self.clauses


def build_summary(policy, filters=None, *, public=False):
    """The FeedbackSummary of `policy` (not a draft) within `filters`; `public` for the public version."""
    filters = filters or SummaryFilters()
    summary = FeedbackSummary(
        policy_id=policy.id, title=policy.title, phase=policy.phase, agency=policy.agency.code,
        filters=filters, generated_at=utcnow(),
    )
    conditions = comment_conditions(policy, filters)
    resident = and_(*conditions, Comment.is_official_response.is_(False), RESIDENTS_ONLY_COMMENTS)
    _participation(summary, policy, filters, resident)
    _clauses(summary, policy, filters, resident)
    summary.channels = channel_breakdown(resident, [summary.general, *summary.clauses])
    _areas(summary, policy, resident)
    _responses(summary, policy, conditions, resident)
    _moderation(summary, policy, filters)
    stance_terms, clause_terms, summary.terms_sample = terms.key_terms(conditions)
    summary.terms_by_stance = stance_terms
    for clause in summary.clauses:
        clause.terms = clause_terms.get(clause.key, [])
    summary.notes = _notes(summary, resident)
    summary.survey = _survey_results(policy, public)
    summary.organizations = organizations_taking_part(policy, filters)
    return summary


def _participation(summary, policy, filters, resident):
    row = db.session.execute(
        select(
            func.count(),
            func.count(func.distinct(Comment.author_id)),
            func.coalesce(func.sum(case((Comment.parent_id.is_not(None), 1), else_=0)), 0),
        ).where(resident)
    ).one()
    summary.comments, summary.commenters, summary.replies = row

    votes = [*vote_conditions(Vote, policy, filters), RESIDENTS_ONLY_VOTES]
    vote_rows = dict(db.session.execute(
        select(Vote.value, func.count()).where(*votes).group_by(Vote.value)).all())
    summary.votes_support, summary.votes_oppose = vote_rows.get("support", 0), vote_rows.get("oppose", 0)
    summary.voters = summary.votes_support + summary.votes_oppose
    people = union(select(Comment.author_id.label("person")).where(resident),
                   select(Vote.user_id.label("person")).where(*votes)).subquery()
    summary.participants = db.session.scalar(select(func.count()).select_from(people))

    comment_days = dict(db.session.execute(
        select(city_day(Comment.created_at), func.count()).where(resident).group_by(city_day(Comment.created_at))
    ).all())
    vote_days = dict(db.session.execute(
        select(city_day(Vote.updated_at), func.count()).where(*votes).group_by(city_day(Vote.updated_at))
    ).all())
    days = sorted({as_date(day) for day in (*comment_days, *vote_days)})
    by_text = {as_date(day): count for day, count in comment_days.items()}
    votes_by_day = {as_date(day): count for day, count in vote_days.items()}
    summary.by_day = [(day, by_text.get(day, 0), votes_by_day.get(day, 0)) for day in days]


def _clause_list(policy, filters):
    """Clause key -> Clause, labelled by the newest section with that key (in the chosen version)."""
    query = (select(Section.clause_key, Section.number, Section.heading)
             .join(PolicyVersion, PolicyVersion.id == Section.version_id)
             .where(PolicyVersion.policy_id == policy.id)
             .order_by(PolicyVersion.number, Section.number))
    if filters.version is not None:
        query = query.where(PolicyVersion.id == version_id(policy, filters))
    clauses = {}
    for key, number, heading in db.session.execute(query):
        clauses[key] = Clause(key=key, number=number, heading=heading)
    return clauses


def _clauses(summary, policy, filters, resident):
    clauses = _clause_list(policy, filters)
    general = Clause(key="", number=0, heading="")
    rows = db.session.execute(
        select(Section.clause_key, Comment.stance, func.count())
        .select_from(Comment).outerjoin(Section, Section.id == Comment.section_id)
        .where(resident, Comment.parent_id.is_(None))
        .group_by(Section.clause_key, Comment.stance)
    ).all()
    totals = dict.fromkeys(Stance.ALL, 0)
    for key, stance, count in rows:
        clause = clauses.get(key, general) if key else general
        clause.comments += count
        if stance in Stance.ALL:
            setattr(clause, stance, getattr(clause, stance) + count)
            totals[stance] += count
    summary.stance_totals = totals
    for quote in _top_quotes(policy, resident):
        clause = clauses.get(quote.clause_key, general) if quote.clause_key else general
        clause.top[quote.stance].append(quote)
    summary.general = general
    summary.clauses = sorted(clauses.values(), key=lambda clause: clause.number)


def _top_quotes(policy, resident):
    """The most helpful root comments for and against, per clause: one windowed query."""
    rank = func.row_number().over(
        partition_by=(Section.clause_key, Comment.stance),
        order_by=(Comment.up_count.desc(), Comment.down_count, Comment.id),
    ).label("rank")
    ranked = (
        select(Comment.id, rank)
        .select_from(Comment).outerjoin(Section, Section.id == Comment.section_id)
        .where(resident, Comment.parent_id.is_(None), Comment.stance.in_((Stance.SUPPORT, Stance.OPPOSE)))
        .subquery()
    )
    chosen = select(ranked.c.id).where(ranked.c.rank <= TOP_PER_STANCE)
    return _quotes(policy, Comment.id.in_(chosen), order=(Comment.up_count.desc(), Comment.id))


def _quotes(policy, condition, order, limit=None):
    query = (select(Comment.id, Comment.author_id, Section.clause_key, Comment.stance, Comment.body_html,
                    Comment.up_count, Comment.down_count, Comment.created_at)
             .select_from(Comment).outerjoin(Section, Section.id == Comment.section_id)
             .where(condition).order_by(*order).limit(limit))
    return [
        Quote(id=row.id, author=pseudonym(policy.id, row.author_id), clause_key=row.clause_key,
              stance=row.stance, text=excerpt(row.body_html, EXCERPT_LENGTH), helpful=row.up_count,
              unhelpful=row.down_count, created_at=row.created_at)
        for row in db.session.execute(query)
    ]


def _areas(summary, policy, resident):
    """Comments and commenters by where the input came from (the commenters' registered kelurahan
    for online input), rolled up to kecamatan.

    The same pass counts the comments of accounts created since the
    consultation opened (a data-quality note).
    """
    start = policy.published_at or policy.opens_at
    area = input_area()  # a meeting's point is placed at the meeting, not at its recorder's home
    rows = db.session.execute(
        select(area, func.count(), func.count(func.distinct(Comment.author_id)),
               func.coalesce(func.sum(case((User.created_at >= start, 1), else_=0)), 0))
        .select_from(Comment).outerjoin(User, User.id == Comment.author_id)
        .where(resident).group_by(area)
    ).all()
    summary.from_new_accounts = sum(row[3] for row in rows)
    rows = [row[:3] for row in rows]
    districts = {district.id: district for district in db.session.scalars(select(District))}
    kelurahan, kecamatan = [], {}
    for district_id, comments, people in rows:
        place = districts.get(district_id)
        top = place.kecamatan if place is not None else None
        if place is not None and place.level == District.KELURAHAN:
            kelurahan.append(Area(place.code, place.name, top.name, comments, people))
        key = top.code if top is not None else UNKNOWN_AREA
        area = kecamatan.setdefault(key, Area(key, top.name if top else None, None, 0, 0))
        area.comments += comments
        # A kecamatan's commenters: distinct per kelurahan, and nobody lives in two.
        area.participants += people
    summary.kelurahan = sorted(kelurahan, key=lambda area: (-area.comments, area.name))
    summary.kecamatan = sorted(kecamatan.values(), key=lambda area: (area.code is None, -area.comments,
                                                                         area.name or ""))


def _responses(summary, policy, conditions, resident):
    official = and_(*conditions, Comment.is_official_response.is_(True))
    summary.official_responses = db.session.scalar(select(func.count()).select_from(Comment).where(official))
    summary.responses = _quotes(policy, official, order=(Comment.created_at.desc(), Comment.id.desc()),
                                limit=LISTED_RESPONSES)
    # correlate(None): the threads the agency answered, not a subquery tied to the outer row.
    answered = select(Comment.root_id).where(
        Comment.target_id == policy.id, Comment.is_official_response.is_(True),
        Comment.status == ContentStatus.PUBLISHED, Comment.root_id.is_not(None)).correlate(None)
    summary.unanswered = _quotes(
        policy, and_(resident, Comment.parent_id.is_(None), Comment.id.not_in(answered)),
        order=(Comment.up_count.desc(), Comment.id), limit=LISTED_UNANSWERED)


def _moderation(summary, policy, filters):
    """Comments held, hidden, removed (and deleted by their authors), by reason, within the filters."""
    rows = db.session.execute(
        select(Comment.status, Comment.status_reason, func.count())
        .where(*comment_conditions(policy, filters, published_only=False),
               Comment.status != ContentStatus.PUBLISHED)
        .group_by(Comment.status, Comment.status_reason)
        .order_by(Comment.status, func.count().desc())
    ).all()
    moderation, totals = {}, {}
    for status, reason, count in rows:
        totals[status] = totals.get(status, 0) + count
        reasons = moderation.setdefault(status, [])
        if len(reasons) < REASONS_PER_STATUS:
            reasons.append((reason, count))
    summary.moderation, summary.moderation_totals = moderation, totals


def _notes(summary, resident):
    """Data-quality notes: what a reader should keep in mind about these numbers."""
    notes = []
    if summary.comments == 0:
        notes.append(_l("No published comments match: this summary is empty, not an error."))
        return notes
    notes.append(_l("%(share)s of comments come from accounts created during the consultation.",
                    share=_share(summary.from_new_accounts, summary.comments)))
    held = summary.moderation_totals.get(ContentStatus.PENDING, 0)
    removed = sum(summary.moderation_totals.get(status, 0) for status in (ContentStatus.HIDDEN,
                                                                          ContentStatus.REMOVED))
    written = summary.comments + summary.official_responses + sum(summary.moderation_totals.values())
    notes.append(_l("%(share)s of comments are held for review and %(removed)s were hidden or removed; "
                    "neither is counted here.", share=_share(held, written), removed=_share(removed, written)))
    unknown = sum(area.comments for area in summary.kecamatan if area.code is UNKNOWN_AREA)
    if unknown:
        notes.append(_l("%(share)s of comments come from accounts without a registered kelurahan.",
                        share=_share(unknown, summary.comments)))
    top_share = _top_commenter_share(resident, summary.comments)
    if top_share:
        notes.append(_l("The ten most active accounts wrote %(share)s of the comments.", share=top_share))
    if summary.terms_sample < summary.comments:
        notes.append(_l("Key terms are drawn from the %(count)d most helpful comments.",
                        count=summary.terms_sample))
    return notes


def _top_commenter_share(resident, total):
    per_author = (select(func.count().label("written")).select_from(Comment).where(resident)
                  .group_by(Comment.author_id).order_by(func.count().desc()).limit(10).subquery())
    written = db.session.scalar(select(func.coalesce(func.sum(per_author.c.written), 0)))
    return _share(written, total) if total >= 50 else None


def _share(part, whole):
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _survey_results(policy, public):
    """Results of the published surveys attached to the policy (forum/services/survey_results.py).

    The public summary shows only surveys whose results the agency made
    public and which have closed. Free-text answers are left out: the
    summary quotes comments, not questionnaires.
    """
    surveys = db.session.scalars(select(Survey).where(Survey.policy_id == policy.id,
                                                      Survey.published_at.is_not(None)).order_by(Survey.id)).all()
    if public:
        surveys = [survey for survey in surveys if survey.results_public and survey.status() == SurveyStatus.CLOSED]
    return [survey_results(survey, texts=False) for survey in surveys] or None


def day_range(summary):
    """(first, last) city date with any activity, or (None, None)."""
    if not summary.by_day:
        return None, None
    return summary.by_day[0][0], summary.by_day[-1][0]
