"""Demo input of organizations for `seed-demo`: comments, aspirations, supports and a survey answer.

The organizations themselves (and their members) come from their own seeder
(forum/demo/organizations.py), which runs before this one; here each
verified organization with a member comments on an open consultation, the
first ones raise an aspiration and support residents' aspirations, and the
first answers the open licensing survey, all "as the organization". Rows are
written directly (the services would screen and rate-limit each line), with
the counters they move; the survey answer goes through the answering service.
An organization that already has input is skipped, so running the seeder
again adds nothing; with no verified organization it does nothing.
"""
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import (
    Aspiration,
    AspirationEvent,
    AspirationState,
    Category,
    Comment,
    Content,
    District,
    Follow,
    MemberRole,
    Organization,
    OrganizationMember,
    OrganizationStatus,
    Policy,
    PolicyPhase,
    QuestionType,
    Stance,
    Survey,
    SurveyResponse,
    Vote,
    VoteValue,
)
from forum.services import survey_answers, transaction
from forum.services.comments import adjust_counters
from forum.services.workdays import add_working_days
from forum.text import render_markdown
from forum.timeutil import utcnow

COMMENTS = (
    (Stance.SUPPORT, "Kami di {name} mendukung pasal ini. Warga binaan kami sudah lama menunggu aturan seperti ini."),
    (Stance.OPPOSE, "{name} keberatan dengan pasal ini: beban terbesar jatuh pada warga berpenghasilan rendah. "
                    "Mohon ada masa transisi."),
    (Stance.NEUTRAL, "Catatan dari {name}: mohon pelaksanaannya disosialisasikan lewat RT/RW sebelum berlaku."),
)
ASPIRATIONS = (
    ("Bank sampah di setiap RW", "{name} siap mengelola bank sampah bila kelurahan menyediakan tempat dan "
                                 "timbangan. Mohon dukungan dinas terkait.", "lingkungan"),
    ("Pelatihan UMKM pemasaran daring", "{name} mengusulkan pelatihan rutin pemasaran daring untuk pelaku usaha "
                                        "kecil di kecamatan kami.", "ekonomi"),
)
SUPPORTS_EACH = 2


def _organizations():
    """Verified organizations with their first admin (or member), oldest first."""
    rows = db.session.execute(
        select(Organization, OrganizationMember)
        .join(OrganizationMember, OrganizationMember.organization_id == Organization.id)
        .where(Organization.status == OrganizationStatus.VERIFIED)
        .order_by(Organization.id, OrganizationMember.role != MemberRole.ADMIN, OrganizationMember.id)
    ).all()
    chosen = {}
    for organization, member in rows:
        chosen.setdefault(organization.id, (organization, member.user))
    return list(chosen.values())


def _has_input(organization):
    return db.session.scalar(select(Content.id).where(Content.organization_id == organization.id).limit(1)) \
        is not None


def _comment(organization, member, policy, index, now):
    stance, text = COMMENTS[index % len(COMMENTS)]
    body = text.format(name=organization.name)
    version = policy.current_version
    sections = version.sections if version is not None else []
    comment = Comment(
        author=member, organization=organization, target=policy, body_source=body, body_html=render_markdown(body),
        status="published", stance=stance, version_id=version.id if version is not None else None,
        section_id=sections[index % len(sections)].id if sections else None, created_at=now - timedelta(hours=index),
    )
    db.session.add(comment)
    db.session.flush()
    adjust_counters(comment, +1)


def _aspiration(organization, member, index, now):
    title, text, category_code = ASPIRATIONS[index % len(ASPIRATIONS)]
    body = text.format(name=organization.name)
    category = db.session.scalar(select(Category).where(Category.code == category_code)) or \
        db.session.scalar(select(Category).order_by(Category.id))
    district = organization.district or member.district
    if district is None or district.level != District.KELURAHAN:
        return
    created = now - timedelta(days=2 + index)
    aspiration = Aspiration(
        author=member, organization=organization, title=title, body_source=body, body_html=render_markdown(body),
        status="published", aspiration_type="proposal", category=category, district=district,
        kecamatan_id=district.parent_id, location_text="", visibility="public", state=AspirationState.VERIFIED,
        created_at=created, state_changed_at=created + timedelta(days=1), verified_at=created + timedelta(days=1),
        verify_due_at=add_working_days(created, 3),
    )
    db.session.add(aspiration)
    db.session.flush()
    aspiration.events.append(AspirationEvent(from_state=None, to_state=AspirationState.SUBMITTED, actor=member,
                                             actor_role=member.role, note="", created_at=created))
    aspiration.events.append(AspirationEvent(from_state=AspirationState.SUBMITTED, to_state=AspirationState.VERIFIED,
                                             actor_role="moderator", note="", created_at=created + timedelta(days=1)))
    db.session.add(Follow(user_id=member.id, content_id=aspiration.id, created_at=created))


def _supports(organization, member, now):
    public = db.session.scalars(
        select(Aspiration).where(Aspiration.public_filter(), Aspiration.organization_id.is_(None),
                                 Aspiration.title.not_like("[bench]%"),
                                 Aspiration.state.not_in((AspirationState.CLOSED, AspirationState.DECLINED)))
        .order_by(Aspiration.up_count.desc(), Aspiration.id).limit(SUPPORTS_EACH)).all()
    for aspiration in public:
        db.session.add(Vote(content_id=aspiration.id, user_id=member.id, organization_id=organization.id,
                            value=VoteValue.UP, created_at=now, updated_at=now))
        aspiration.up_count = Aspiration.up_count + 1


@transaction()
def _posts(organizations, progress):
    now = utcnow()
    # The benchmark's consultations keep their exact comment counts (bench/).
    policies = db.session.scalars(select(Policy).where(Policy.phase == PolicyPhase.OPEN, Policy.opens_at <= now,
                                                       Policy.closes_at > now, Policy.title.not_like("[bench]%"))
                                  .order_by(Policy.id)).all()
    with progress(organizations, "Organization posts") as rows:
        for index, (organization, member) in enumerate(rows):
            if _has_input(organization):
                continue
            if policies:
                _comment(organization, member, policies[index % len(policies)], index, now)
            if index < len(ASPIRATIONS):
                _aspiration(organization, member, index, now)
            _supports(organization, member, now)


def _survey_answer(organization, member):
    """The first organization answers the open licensing survey (once)."""
    survey = db.session.scalar(select(Survey).where(Survey.title.like("Survei kepuasan layanan perizinan%"))
                               .order_by(Survey.id))
    if survey is None or not survey.accepts_responses() or db.session.scalar(
            select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id,
                                            SurveyResponse.organization_id == organization.id)) is not None:
        return
    answers = {}
    for question in survey.questions:
        if question.kind in QuestionType.CHOICE:
            answers[question.id] = {"choice_ids": [question.choices[0].id]}
        elif question.kind in QuestionType.SCALE:
            answers[question.id] = {"value": question.value_range[1] - 1}
        else:
            answers[question.id] = {"text": f"Jawaban bersama anggota {organization.name}."}
    survey_answers.submit_response(member, survey, answers, as_organization=organization.id)


def seed_organization_posts(size, progress):
    """Input as the demo organizations (see the module docstring); `size` does not change it."""
    organizations = _organizations()
    if not organizations:
        return
    _posts(organizations, progress)
    _survey_answer(*organizations[0])
