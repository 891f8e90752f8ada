"""Organizations that took part in a consultation, counted apart from residents (issue 15).

Organizations are public actors: the feedback summary names them with their
overall vote and their stance on each clause (first-level comments), while
residents' figures leave organization input out. Two GROUP BY queries,
whatever the number of comments; the members who wrote are never named.
"""
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select

from forum.extensions import db
from forum.models import Comment, Organization, Section, Stance, Vote
from forum.reports.scope import comment_conditions, vote_conditions

#: Conditions leaving organization input out of residents' figures.
RESIDENTS_ONLY_COMMENTS = Comment.organization_id.is_(None)
RESIDENTS_ONLY_VOTES = Vote.organization_id.is_(None)


@dataclass
class OrganizationTakingPart:
    """One organization's input on one consultation."""

    id: int
    name: str
    slug: str
    verified: bool
    comments: int = 0
    vote: str | None = None                           # its overall vote: support, oppose or None
    stances: dict = field(default_factory=dict)       # clause key ("" = the policy as a whole) -> {stance: count}

    def stance_on(self, clause_key):
        """The organization's stance on a clause: the one it took most often, or None."""
        counts = self.stances.get(clause_key or "", {})
        return max(counts, key=lambda stance: (counts[stance], stance)) if counts else None


def organizations_taking_part(policy, filters):
    """[OrganizationTakingPart] of the organizations that commented or voted on `policy`, by name."""
    written = and_(*comment_conditions(policy, filters), Comment.is_official_response.is_(False),
                   Comment.organization_id.is_not(None))
    found = {}

    def entry(organization_id, name, slug, status):
        return found.setdefault(organization_id, OrganizationTakingPart(
            id=organization_id, name=name, slug=slug, verified=status == "verified"))

    rows = db.session.execute(
        select(Organization.id, Organization.name, Organization.slug, Organization.status,
               Section.clause_key, Comment.stance, Comment.parent_id.is_(None), func.count())
        .select_from(Comment).join(Organization, Organization.id == Comment.organization_id)
        .outerjoin(Section, Section.id == Comment.section_id).where(written)
        .group_by(Organization.id, Organization.name, Organization.slug, Organization.status, Section.clause_key,
                  Comment.stance, Comment.parent_id.is_(None))
    ).all()
    for organization_id, name, slug, status, clause_key, stance, is_root, count in rows:
        taking_part = entry(organization_id, name, slug, status)
        taking_part.comments += count
        if is_root and stance in Stance.ALL:
            by_stance = taking_part.stances.setdefault(clause_key or "", {})
            by_stance[stance] = by_stance.get(stance, 0) + count
    votes = db.session.execute(
        select(Organization.id, Organization.name, Organization.slug, Organization.status, Vote.value)
        .join(Vote, Vote.organization_id == Organization.id)
        .where(*vote_conditions(Vote, policy, filters))
    ).all()
    for organization_id, name, slug, status, value in votes:
        entry(organization_id, name, slug, status).vote = value
    return sorted(found.values(), key=lambda taking_part: (taking_part.name.casefold(), taking_part.id))


def organizations_json(summary):
    """The summary's `organizations` list, JSON-ready (forum/reports/README.md)."""
    clause_keys = [""] + [clause.key for clause in summary.clauses]
    return [
        {"id": item.id, "name": item.name, "slug": item.slug, "verified": item.verified,
         "comments": item.comments, "vote": item.vote,
         "stances": [{"clause_key": key or None, "stance": item.stance_on(key), "counts": item.stances[key]}
                     for key in clause_keys if key in item.stances]}
        for item in summary.organizations
    ]


def organization_rows(summary):
    """(organization, clause, stance, comments) rows for the XLSX sheet and the CSV-minded readers."""
    numbers = {clause.key: clause.number for clause in summary.clauses}
    rows = []
    for item in summary.organizations:
        rows.append((item.name, None, item.vote, item.comments))
        rows += [(item.name, numbers.get(key) if key else None, item.stance_on(key), sum(counts.values()))
                 for key, counts in sorted(item.stances.items(), key=lambda pair: numbers.get(pair[0], 0))]
    return rows
