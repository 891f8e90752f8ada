"""Organizations: communities, NGOs, RT/RW, business associations and campus groups.

An organization is requested by a resident (its founder) with a private
supporting document, then verified or refused by an admin or verifier.
Only a verified organization may post; its members choose to write "as the
organization", and the content then carries `Content.organization_id` while
`author_id` keeps the account who wrote it (seen by moderators and the
organization's admins only).
"""
from sqlalchemy.orm import relationship

from forum.extensions import db
from forum.timeutil import UTCDateTime, utcnow


class OrganizationKind:
    COMMUNITY = "community"          # komunitas
    NGO = "ngo"                      # LSM
    NEIGHBOURHOOD = "neighbourhood"  # RT/RW
    BUSINESS = "business"            # asosiasi usaha
    CAMPUS = "campus"                # kampus
    OTHER = "other"                  # lainnya
    ALL = (COMMUNITY, NGO, NEIGHBOURHOOD, BUSINESS, CAMPUS, OTHER)


class OrganizationStatus:
    REQUESTED = "requested"
    VERIFIED = "verified"
    REFUSED = "refused"
    SUSPENDED = "suspended"
    ALL = (REQUESTED, VERIFIED, REFUSED, SUSPENDED)


class MemberRole:
    ADMIN = "admin"
    MEMBER = "member"
    ALL = (ADMIN, MEMBER)


class Organization(db.Model):
    __tablename__ = "organization"

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(80), nullable=False, unique=True)
    name = db.Column(db.String(120), nullable=False)
    kind = db.Column(db.String(16), nullable=False, index=True)
    # A kelurahan, or a kecamatan when the organization works across one.
    district_id = db.Column(db.Integer, db.ForeignKey("district.id"), index=True)
    description = db.Column(db.Text, nullable=False, default="")
    description_html = db.Column(db.Text, nullable=False, default="")
    website = db.Column(db.String(300))
    contact = db.Column(db.String(200))          # private: admins, verifiers and the organization's admins
    logo_file = db.Column(db.String(120))        # re-encoded image under the upload folder
    document_file = db.Column(db.String(120))    # the private supporting document
    document_type = db.Column(db.String(40))
    status = db.Column(db.String(16), nullable=False, default=OrganizationStatus.REQUESTED, index=True)
    status_reason = db.Column(db.String(1000))
    requested_by_id = db.Column(db.Integer, db.ForeignKey("user.id"), index=True)
    decided_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    decided_at = db.Column(UTCDateTime)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    district = relationship("District")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    members = relationship("OrganizationMember", back_populates="organization", cascade="all, delete-orphan")
    invitations = relationship("OrganizationInvitation", back_populates="organization",
                               cascade="all, delete-orphan")

    __table_args__ = (
        db.CheckConstraint(
            "kind IN ('community', 'ngo', 'neighbourhood', 'business', 'campus', 'other')", name="kind_known"
        ),
        db.CheckConstraint("status IN ('requested', 'verified', 'refused', 'suspended')", name="status_known"),
    )

    @property
    def is_verified(self):
        return self.status == OrganizationStatus.VERIFIED

    def role_of(self, user):
        """`user`'s MemberRole in this organization, or None (also for a visitor)."""
        user_id = getattr(user, "id", None)
        return next((member.role for member in self.members if member.user_id == user_id), None) \
            if user_id is not None else None

    @property
    def admin_count(self):
        return sum(1 for member in self.members if member.role == MemberRole.ADMIN)

    def __repr__(self):
        return f"<Organization {self.slug} {self.status}>"


class OrganizationMember(db.Model):
    __tablename__ = "organization_member"

    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organization.id"), nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    role = db.Column(db.String(8), nullable=False, default=MemberRole.MEMBER)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    organization = relationship("Organization", back_populates="members")
    user = relationship("User")

    __table_args__ = (
        db.UniqueConstraint("organization_id", "user_id"),
        db.CheckConstraint("role IN ('admin', 'member')", name="role_known"),
    )


class OrganizationInvitation(db.Model):
    """An e-mailed invitation to join an organization; the signed link names this row.

    The link works once (`accepted_at` is then set) and only until it expires
    (config `TOKEN_MAX_AGE_INVITATION`); an organization admin may withdraw it
    before then, which deletes the row.
    """

    __tablename__ = "organization_invitation"

    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organization.id"), nullable=False, index=True)
    email = db.Column(db.String(254), nullable=False)
    invited_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    accepted_at = db.Column(UTCDateTime)
    accepted_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))

    organization = relationship("Organization", back_populates="invitations")
    invited_by = relationship("User", foreign_keys=[invited_by_id])
