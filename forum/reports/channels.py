"""Input per channel in a feedback summary: online, face to face and desk side by side.

Two GROUP BY queries over the summary's first-level comments (the same
conditions as the rest of the summary): stance counts per clause and
channel, and comments per kecamatan and channel. Every value of
`Channel.ALL` gets a column, so a new channel appears without more work.
A comment's area is where its input came from: `Content.input_district_id`
(the meeting's kelurahan, the desk resident's) or else the author's
registered kelurahan. `people` counts voices: one per online or desk
comment, and for a point raised at a meeting the people there who agreed.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from forum.channels import CHANNEL_LABELS
from forum.charts import diverging_bars, horizontal_bars
from forum.extensions import db
from forum.models import Channel, Comment, District, Section, Stance, User

COUNTS = ("comments", "support", "oppose", "neutral", "people")


def _empty():
    return {channel: dict.fromkeys(COUNTS, 0) for channel in Channel.ALL}


@dataclass
class ChannelClause:
    key: str
    number: int
    heading: str
    channels: dict = field(default_factory=_empty)  # channel -> {comments, support, oppose, neutral, people}


@dataclass
class ChannelArea:
    code: str | None      # kecamatan code; None: no known area
    name: str | None
    channels: dict = field(default_factory=lambda: dict.fromkeys(Channel.ALL, 0))  # channel -> comments


@dataclass
class ChannelBreakdown:
    totals: dict = field(default_factory=_empty)
    clauses: list = field(default_factory=list)      # ChannelClause, the policy as a whole first
    kecamatan: list = field(default_factory=list)    # ChannelArea

    @property
    def offline(self):
        """Whether any input came through another channel than online (the page then shows the section)."""
        return any(self.totals[channel]["comments"] for channel in Channel.ALL if channel != Channel.ONLINE)


def input_area():
    """SQL: the district input came from (offline: its own; online: the author's registered one)."""
    return func.coalesce(Comment.input_district_id, User.district_id)


def channel_breakdown(resident, clauses):
    """The ChannelBreakdown of the first-level comments matching `resident` (the summary's conditions).

    `clauses` are the summary's Clause objects (the policy as a whole has key "").
    """
    breakdown = ChannelBreakdown()
    by_key = {clause.key: ChannelClause(clause.key, clause.number, clause.heading) for clause in clauses}
    voices = func.coalesce(func.sum(case((Comment.agreed_count.is_not(None), Comment.agreed_count), else_=1)), 0)
    rows = db.session.execute(
        select(Section.clause_key, Comment.channel, Comment.stance, func.count(), voices)
        .select_from(Comment).outerjoin(Section, Section.id == Comment.section_id)
        .where(resident, Comment.parent_id.is_(None))
        .group_by(Section.clause_key, Comment.channel, Comment.stance)
    ).all()
    for key, channel, stance, count, people in rows:
        clause = by_key.get(key or "") or by_key.setdefault(key or "", ChannelClause(key or "", 0, ""))
        for counts in (clause.channels[channel], breakdown.totals[channel]):
            counts["comments"] += count
            counts["people"] += people
            if stance in Stance.ALL:
                counts[stance] += count
    breakdown.clauses = [clause for clause in sorted(by_key.values(), key=lambda clause: clause.number)
                         if any(counts["comments"] for counts in clause.channels.values())]
    breakdown.kecamatan = _areas(resident)
    return breakdown


def _areas(resident):
    area = input_area()
    rows = db.session.execute(
        select(area, Comment.channel, func.count())
        .select_from(Comment).outerjoin(User, User.id == Comment.author_id)
        .where(resident, Comment.parent_id.is_(None)).group_by(area, Comment.channel)
    ).all()
    districts = {district.id: district for district in db.session.scalars(select(District))}
    kecamatan = {}
    for district_id, channel, count in rows:
        place = districts.get(district_id)
        top = place.kecamatan if place is not None else None
        key = top.code if top is not None else None
        entry = kecamatan.setdefault(key, ChannelArea(key, top.name if top else None))
        entry.channels[channel] += count
    return sorted(kecamatan.values(), key=lambda entry: (entry.code is None, entry.name or ""))


# -- what the page, the JSON and the spreadsheets show ----------------------------------------
def channel_label(channel):
    return str(CHANNEL_LABELS[channel])


def channel_json(breakdown):
    """The summary JSON's `channels` object (forum/reports/README.md)."""
    return {
        "totals": breakdown.totals,
        "clauses": [{"clause_key": clause.key or None, "number": clause.number or None,
                     "heading": clause.heading or None, "channels": clause.channels} for clause in breakdown.clauses],
        "kecamatan": [{"code": area.code, "name": area.name, "channels": area.channels}
                      for area in breakdown.kecamatan],
    }


def channel_rows(breakdown, clause_label, channel_name=channel_label):
    """(clause, channel, comments, support, oppose, neutral, people) rows, for the XLSX sheet and the open data.

    The open data names the channel by its code (`channel_name=str`), the spreadsheet by its label.
    """
    return [(clause_label(clause), channel_name(channel), *(clause.channels[channel][name] for name in COUNTS))
            for clause in breakdown.clauses for channel in Channel.ALL]


def channel_context(breakdown, clause_label, area_label):
    """Charts and labels of the summary page's channel section."""
    return {
        "channels": Channel.ALL,
        "channel_label": channel_label,
        "channel_chart": diverging_bars(
            [(f"{clause_label(clause)} · {channel_label(channel)}", counts["oppose"], counts["neutral"],
              counts["support"])
             for clause in breakdown.clauses for channel, counts in clause.channels.items() if counts["comments"]],
            title=_("Stance per clause and channel: against to the left, in support to the right")),
        "channel_area_chart": horizontal_bars(
            [(f"{area_label(area)} · {channel_label(channel)}", count)
             for area in breakdown.kecamatan for channel, count in area.channels.items() if count],
            title=_("Input per kecamatan and channel")),
    }
