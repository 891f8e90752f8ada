"""Places and topics: the kecamatan and kelurahan of the city, and categories."""
from sqlalchemy.orm import relationship

from forum.extensions import db


class District(db.Model):
    """A kecamatan (`parent_id` empty) or a kelurahan inside one.

    Codes are stable slugs: `pondok-aren` for the kecamatan and
    `pondok-aren.pondok-betung` for a kelurahan, so a code names its kecamatan.
    """

    __tablename__ = "district"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(80), nullable=False, unique=True)
    name = db.Column(db.String(120), nullable=False)
    level = db.Column(db.String(16), nullable=False)
    parent_id = db.Column(db.Integer, db.ForeignKey("district.id"), index=True)

    parent = relationship("District", remote_side=[id], back_populates="children")
    children = relationship("District", back_populates="parent", order_by="District.name")

    @property
    def kecamatan(self):
        return self.parent if self.level == self.KELURAHAN else self

    @property
    def full_name(self):
        if self.level == self.KELURAHAN:
            return f"{self.name}, {self.parent.name}"
        return self.name

    def __repr__(self):
        return f"<District {self.code}>"


class Category(db.Model):
    """A topic used to file policies and aspirations."""

    __tablename__ = "category"

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(60), nullable=False, unique=True)
    name_id = db.Column(db.String(120), nullable=False)
    name_en = db.Column(db.String(120), nullable=False)
    position = db.Column(db.Integer, nullable=False, default=0)

    def localized_name(self, locale):
        return self.name_en if str(locale).startswith("en") else self.name_id

    def __repr__(self):
        return f"<Category {self.code}>"
