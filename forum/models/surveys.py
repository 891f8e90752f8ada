"""Surveys: questionnaires attached to a consultation, or standalone about a named public service.

A `Survey` belongs to an agency (the consultation's, for an attached one).
It is a draft until published (`published_at`), accepts responses between
`opens_at` and `closes_at` (no closing time: until closed by hand,
`closed_at`), and its questions may change only while nobody has answered;
after that a new version (a copy, `previous_id`) takes their place.

Answers are stored for aggregation in SQL: one `SurveyAnswer` row per
(response, question, choice) for choice questions, `value` for Likert and
rating, `text` for text questions and for the "other" choice (a row without
`choice_id`). On a multiple-choice row `value` is the number of rows the
response has for that question, so respondents are counted without DISTINCT.
The respondent's kecamatan, age band and gender are copied from the response
onto each answer row, so every breakdown is a GROUP BY over one table; a
response is saved or changed whole, so the copies never disagree.
"""
from sqlalchemy.orm import relationship

from forum.extensions import db
from forum.timeutil import UTCDateTime, utcnow


class QuestionType:
    SINGLE = "single"
    MULTIPLE = "multiple"
    LIKERT = "likert"          # 1-5 with labelled ends
    RATING = "rating"          # 0-10; a net promoter score is computed from it
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    ALL = (SINGLE, MULTIPLE, LIKERT, RATING, SHORT_TEXT, LONG_TEXT)
    CHOICE = (SINGLE, MULTIPLE)
    SCALE = (LIKERT, RATING)
    TEXT = (SHORT_TEXT, LONG_TEXT)
    RANGES = {LIKERT: (1, 5), RATING: (0, 10)}


class Demographic:
    """The optional, always skippable questions about the respondent."""

    AGE_BANDS = ("under_18", "18_24", "25_34", "35_44", "45_54", "55_64", "65_plus")
    GENDERS = ("female", "male", "other")
    DIMENSIONS = ("kecamatan", "age_band", "gender")


class SurveyStatus:
    """The state shown to people, derived from the survey's times."""

    DRAFT = "draft"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"
    ALL = (DRAFT, UPCOMING, OPEN, CLOSED)


class Survey(db.Model):
    __tablename__ = "survey"

    id = db.Column(db.Integer, primary_key=True)
    agency_id = db.Column(db.Integer, db.ForeignKey("agency.id"), nullable=False, index=True)
    policy_id = db.Column(db.Integer, db.ForeignKey("policy.id"), index=True)
    previous_id = db.Column(db.Integer, db.ForeignKey("survey.id"))
    created_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    version = db.Column(db.Integer, nullable=False, default=1)
    title = db.Column(db.String(200), nullable=False)
    service_name = db.Column(db.String(200))
    intro = db.Column(db.Text, nullable=False, default="")
    intro_html = db.Column(db.Text, nullable=False, default="")
    opens_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    closes_at = db.Column(UTCDateTime)
    results_public = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    ask_demographics = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    published_at = db.Column(UTCDateTime)
    closed_at = db.Column(UTCDateTime)
    response_count = db.Column(db.Integer, nullable=False, default=0)

    agency = relationship("Agency")
    policy = relationship("Policy")
    previous = relationship("Survey", remote_side=[id])
    questions = relationship(
        "SurveyQuestion", back_populates="survey", order_by="SurveyQuestion.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        db.CheckConstraint("closes_at IS NULL OR closes_at > opens_at", name="window_ordered"),
    )

    def status(self, now=None):
        now = now or utcnow()
        if self.published_at is None:
            return SurveyStatus.DRAFT
        if self.closed_at is not None or (self.closes_at is not None and self.closes_at <= now):
            return SurveyStatus.CLOSED
        if self.opens_at > now:
            return SurveyStatus.UPCOMING
        return SurveyStatus.OPEN

    def accepts_responses(self, now=None):
        return self.status(now) == SurveyStatus.OPEN

    @property
    def is_standalone(self):
        return self.policy_id is None

    def __repr__(self):
        return f"<Survey {self.id} {self.title!r}>"


class SurveyQuestion(db.Model):
    __tablename__ = "survey_question"

    id = db.Column(db.Integer, primary_key=True)
    survey_id = db.Column(db.Integer, db.ForeignKey("survey.id"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False)
    kind = db.Column(db.String(16), nullable=False)
    text = db.Column(db.String(500), nullable=False)
    required = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    allow_other = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    low_label = db.Column(db.String(80))
    high_label = db.Column(db.String(80))

    survey = relationship("Survey", back_populates="questions")
    choices = relationship(
        "SurveyChoice", back_populates="question", order_by="SurveyChoice.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        db.CheckConstraint(
            "kind IN ('single', 'multiple', 'likert', 'rating', 'short_text', 'long_text')", name="kind_known",
        ),
    )

    @property
    def value_range(self):
        return QuestionType.RANGES.get(self.kind)


class SurveyChoice(db.Model):
    __tablename__ = "survey_choice"

    id = db.Column(db.Integer, primary_key=True)
    question_id = db.Column(db.Integer, db.ForeignKey("survey_question.id"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False)
    label = db.Column(db.String(200), nullable=False)

    question = relationship("SurveyQuestion", back_populates="choices")


class SurveyResponse(db.Model):
    """One person's answers to one survey; changed in place until the survey closes.

    A kelurahan service desk answers for a resident without an account
    (forum/services/desk.py): channel `desk` and no `user_id` until the
    resident claims it; such answers are never "one per person" checked,
    the receipt (forum/models/desk.py) stands for the person.
    """

    __tablename__ = "survey_response"

    id = db.Column(db.Integer, primary_key=True)
    survey_id = db.Column(db.Integer, db.ForeignKey("survey.id"), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)
    channel = db.Column(db.String(16), nullable=False, default="online", server_default="online")
    # An organization's answer (one per organization, counted apart from residents'); user_id wrote it.
    organization_id = db.Column(db.Integer, db.ForeignKey("organization.id"), index=True)
    # The registered kecamatan, or the one stated in the demographic question when none is registered.
    kecamatan_id = db.Column(db.Integer, db.ForeignKey("district.id"))
    age_band = db.Column(db.String(16))
    gender = db.Column(db.String(16))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    survey = relationship("Survey")
    user = relationship("User")
    kecamatan = relationship("District")
    answers = relationship("SurveyAnswer", back_populates="response", cascade="all, delete-orphan",
                           order_by="SurveyAnswer.id")

    __table_args__ = (
        db.CheckConstraint("channel IN ('online', 'face_to_face', 'desk')", name="channel_known"),
        db.CheckConstraint("user_id IS NOT NULL OR channel = 'desk'", name="someone_answered"),
        db.Index("uq_survey_response_person", "survey_id", "user_id", unique=True,
                 sqlite_where=db.text("organization_id IS NULL"),
                 postgresql_where=db.text("organization_id IS NULL")),
        db.Index("uq_survey_response_organization", "survey_id", "organization_id", unique=True,
                 sqlite_where=db.text("organization_id IS NOT NULL"),
                 postgresql_where=db.text("organization_id IS NOT NULL")),
    )


class SurveyAnswer(db.Model):
    """One answered choice, value or text of one response (see the module docstring)."""

    __tablename__ = "survey_answer"

    id = db.Column(db.Integer, primary_key=True)
    response_id = db.Column(db.Integer, db.ForeignKey("survey_response.id"), nullable=False, index=True)
    question_id = db.Column(db.Integer, db.ForeignKey("survey_question.id"), nullable=False)
    choice_id = db.Column(db.Integer, db.ForeignKey("survey_choice.id"))
    value = db.Column(db.Integer)
    text = db.Column(db.Text)
    # Copies of the response's demographics (see the module docstring).
    kecamatan_id = db.Column(db.Integer, db.ForeignKey("district.id"))
    age_band = db.Column(db.String(16))
    gender = db.Column(db.String(16))

    response = relationship("SurveyResponse", back_populates="answers")

    # Covering indexes, one per GROUP BY of the results (forum/services/survey_results.py): the
    # database reads each in order and never touches the table or sorts.
    __table_args__ = (
        db.Index("ix_survey_answer_question_choice_value", "question_id", "choice_id", "value", "response_id"),
        db.Index("ix_survey_answer_by_kecamatan", "question_id", "kecamatan_id", "choice_id", "value", "response_id"),
        db.Index("ix_survey_answer_by_age_band", "question_id", "age_band", "choice_id", "value", "response_id"),
        db.Index("ix_survey_answer_by_gender", "question_id", "gender", "choice_id", "value", "response_id"),
    )
