"""People: user accounts with their role and state, agencies, API tokens."""
import hashlib
import secrets

from flask import current_app
from flask_login import UserMixin
from sqlalchemy.orm import relationship
from werkzeug.security import check_password_hash, generate_password_hash

from forum.extensions import db
from forum.timeutil import UTCDateTime, utcnow


class Role:
    RESIDENT = "resident"
    OFFICIAL = "official"
    MODERATOR = "moderator"
    ADMIN = "admin"
    DESK = "desk"  # petugas layanan: a kelurahan service desk, typing input for residents without an account
    ALL = (RESIDENT, OFFICIAL, MODERATOR, ADMIN, DESK)


class AccountState:
    ACTIVE = "active"
    SILENCED = "silenced"    # may read and log in, may not write
    SUSPENDED = "suspended"  # may not log in until `state_until`
    BANNED = "banned"        # may not log in
    ALL = (ACTIVE, SILENCED, SUSPENDED, BANNED)


class Agency(db.Model):
    """A perangkat daerah (city agency) that owns policies and answers aspirations."""

    __tablename__ = "agency"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(40), nullable=False, unique=True)
    short_name = db.Column(db.String(40), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    name_en = db.Column(db.String(200), nullable=False)

    officials = relationship("User", back_populates="agency")

    def localized_name(self, locale):
        return self.name_en if str(locale).startswith("en") else self.name

    def __repr__(self):
        return f"<Agency {self.code}>"


class User(UserMixin, db.Model):
    """An account. Officials belong to an agency; residents and desk officers to a kelurahan."""

    __tablename__ = "user"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), nullable=False, unique=True)
    display_name = db.Column(db.String(80), nullable=False)
    password_hash = db.Column(db.String(256), nullable=False)
    role = db.Column(db.String(16), nullable=False, default=Role.RESIDENT, index=True)
    agency_id = db.Column(db.Integer, db.ForeignKey("agency.id"), index=True)
    district_id = db.Column(db.Integer, db.ForeignKey("district.id"), index=True)
    state = db.Column(db.String(16), nullable=False, default=AccountState.ACTIVE)
    state_until = db.Column(UTCDateTime)
    state_reason = db.Column(db.String(500))
    email_verified_at = db.Column(UTCDateTime)
    consent_at = db.Column(UTCDateTime)
    consent_version = db.Column(db.String(20))
    locale = db.Column(db.String(8))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(UTCDateTime)
    failed_logins = db.Column(db.Integer, nullable=False, default=0)
    locked_until = db.Column(UTCDateTime)
    # Rotated on logout and password change: every session and remember-me
    # cookie carries it, so rotating it ends all of them at once.
    session_token = db.Column(db.String(64), nullable=False, default=lambda: secrets.token_hex(16))
    deleted_at = db.Column(UTCDateTime)
    notify_by_email = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # Granted by an admin to an official: feedback exports with names and e-mails (forum/reports).
    may_export_personal_data = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # Granted by an admin: verify, refuse, suspend and reinstate organizations (forum/services/organizations).
    may_verify_organizations = db.Column(db.Boolean, nullable=False, default=False, server_default=db.false())
    # When the account closed the "how to take part" box (forum/guides): it is not shown again.
    guide_intro_dismissed_at = db.Column(UTCDateTime)

    agency = relationship("Agency", back_populates="officials")
    district = relationship("District")
    contents = relationship("Content", back_populates="author")
    api_tokens = relationship("ApiToken", back_populates="user", cascade="all, delete-orphan")

    __table_args__ = (
        db.CheckConstraint(
            "role IN ('resident', 'official', 'moderator', 'admin', 'desk')", name="role_known"
        ),
        db.CheckConstraint(
            "state IN ('active', 'silenced', 'suspended', 'banned')", name="state_known"
        ),
    )

    # -- passwords and sessions ---------------------------------------------
    def set_password(self, password):
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def rotate_session_token(self):
        self.session_token = secrets.token_hex(16)

    def get_id(self):
        """Flask-Login identity: the id plus the current session token."""
        return f"{self.id}:{self.session_token}"

    # -- roles ----------------------------------------------------------------
    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def is_moderator(self):
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_official(self):
        return self.role == Role.OFFICIAL

    @property
    def is_resident(self):
        return self.role == Role.RESIDENT

    @property
    def is_desk(self):
        """A kelurahan service desk officer (bound to `district_id`)."""
        return self.role == Role.DESK

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_verified(self):
        return self.email_verified_at is not None

    def __repr__(self):
        return f"<User {self.id} {self.role}>"


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 digest is stored."""

    __tablename__ = "api_token"
    PREFIX = "msy_"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    name = db.Column(db.String(80), nullable=False)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    hint = db.Column(db.String(12), nullable=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at = db.Column(UTCDateTime)
    revoked_at = db.Column(UTCDateTime)

    user = relationship("User", back_populates="api_tokens")

    @staticmethod
    def digest(raw_token):
        return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user, name):
        """Create a token for `user`; return (row, raw token shown once)."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        row = cls(user=user, name=name, token_hash=cls.digest(raw), hint=raw[:8])
        return row, raw

    @property
    def is_active(self):
        return self.revoked_at is None
