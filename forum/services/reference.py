"""Load the reference lists (districts, agencies, categories) idempotently.

Rows are matched by their stable code: names may be corrected, codes never
change, nothing is deleted.
"""
import csv
import re
import unicodedata
from pathlib import Path

from sqlalchemy import select

from forum.extensions import db
from forum.models import Agency, Category, District
from forum.services import transaction

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CATEGORY_ORDER = (Category.position, Category.code)  # the city's own order of topics, everywhere


def categories():
    """Every topic in the city's order, for lists, filters and forms."""
    return db.session.scalars(select(Category).order_by(*CATEGORY_ORDER)).all()


def slugify(name):
    """`Pondok Cabe Ilir` -> `pondok-cabe-ilir` (ASCII, lowercase, hyphens)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _rows(filename):
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _upsert(model, code, **values):
    row = model.query.filter_by(code=code).one_or_none()
    if row is None:
        row = model(code=code, **values)
        db.session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    return row


def load_districts():
    kecamatan_by_name = {}
    for row in _rows("tangsel-wilayah.csv"):
        name = row["kecamatan"].strip()
        if name not in kecamatan_by_name:
            kecamatan_by_name[name] = _upsert(
                District, slugify(name), name=name, level=District.KECAMATAN, parent=None
            )
        kecamatan = kecamatan_by_name[name]
        kelurahan = row["kelurahan"].strip()
        _upsert(
            District,
            f"{kecamatan.code}.{slugify(kelurahan)}",
            name=kelurahan,
            level=District.KELURAHAN,
            parent=kecamatan,
        )


def load_agencies():
    for row in _rows("agencies.csv"):
        _upsert(Agency, row["code"], short_name=row["short_name"], name=row["name"], name_en=row["name_en"])


def load_categories():
    for position, row in enumerate(_rows("categories.csv")):
        _upsert(Category, row["code"], name_id=row["name_id"], name_en=row["name_en"], position=position)


def load_reference_data():
    """Insert or update every reference list in one transaction."""
    with transaction():
        load_districts()
        load_agencies()
        load_categories()
