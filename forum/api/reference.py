"""Reference lists with stable codes: districts, categories, agencies.

Other systems file aspirations and policies by these codes, so each list is
small, public and ordered the same way on every database. The serializers are
reused wherever an API answer names a district, category or agency.
"""
import re

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from forum.api import bp
from forum.api.openapi import json_response, nullable, operation, page_of, query_param, schema
from forum.api.pagination import paginate
from forum.errors import ValidationFailed
from forum.models import Agency, Category, District
from forum.services import reference

# The lists are short (61 districts): one default page holds all of each.
REFERENCE_PER_PAGE = 100
_CODE = {"type": "string", "pattern": "^[a-z0-9.-]+$"}
_CODE_SHAPE = re.compile(r"[a-z0-9.-]{1,80}")

schema("District", {
    "type": "object",
    "required": ["code", "name", "level", "parent_code"],
    "properties": {
        "code": {**_CODE, "examples": ["pondok-aren.pondok-betung"]},
        "name": {"type": "string"},
        "level": {"type": "string", "enum": [District.KECAMATAN, District.KELURAHAN]},
        "parent_code": {**nullable("string"), "description": "The kecamatan of a kelurahan; null for a kecamatan."},
    },
})
schema("Category", {
    "type": "object",
    "required": ["code", "name", "name_en"],
    "properties": {
        "code": _CODE,
        "name": {"type": "string", "description": "Indonesian name."},
        "name_en": {"type": "string", "description": "English name."},
    },
})
schema("Agency", {
    "type": "object",
    "required": ["code", "short_name", "name", "name_en"],
    "properties": {
        "code": _CODE,
        "short_name": {"type": "string", "examples": ["Diskominfo"]},
        "name": {"type": "string", "description": "Indonesian name."},
        "name_en": {"type": "string", "description": "English name."},
    },
})


def district_json(district):
    return {
        "code": district.code,
        "name": district.name,
        "level": district.level,
        "parent_code": district.parent.code if district.parent else None,
    }


def category_json(category):
    return {"code": category.code, "name": category.name_id, "name_en": category.name_en}


def agency_json(agency):
    return {"code": agency.code, "short_name": agency.short_name, "name": agency.name, "name_en": agency.name_en}


def _district_filters():
    """The `level` and `parent` filters as SQL conditions; 422 for unknown values."""
    conditions, problems = [], {}
    level = request.args.get("level")
    if level is not None:
        if level in (District.KECAMATAN, District.KELURAHAN):
            conditions.append(District.level == level)
        else:
            problems["level"] = _("Use kecamatan or kelurahan.")
    parent_code = request.args.get("parent")
    if parent_code is not None:
        # Checking the shape first keeps NUL bytes and overlong text away from the database.
        known_shape = _CODE_SHAPE.fullmatch(parent_code)
        parent = District.query.filter_by(code=parent_code).one_or_none() if known_shape else None
        if parent is None:
            problems["parent"] = _("Unknown district code.")
        else:
            conditions.append(District.parent_id == parent.id)
    if problems:
        raise ValidationFailed(fields=problems)
    return conditions


@bp.get("/districts")
@operation(
    "Kecamatan and kelurahan of the city",
    description="Each kecamatan is followed by its kelurahan, in name order.",
    tags=["reference"],
    parameters=[
        query_param("level", {"type": "string", "enum": [District.KECAMATAN, District.KELURAHAN]},
                    "Only this level."),
        query_param("parent", _CODE, "Only the kelurahan of this kecamatan code."),
    ],
    paginated=True,
    responses={200: json_response("A page of districts.", page_of("District"))},
)
def districts():
    kecamatan = aliased(District)
    statement = (
        select(District)
        .outerjoin(kecamatan, District.parent_id == kecamatan.id)
        .where(*_district_filters())
        .options(selectinload(District.parent))
        .order_by(func.coalesce(kecamatan.name, District.name), District.level, District.name, District.code)
    )
    return jsonify(paginate(statement, district_json, REFERENCE_PER_PAGE))


@bp.get("/categories")
@operation(
    "Topics for policies and aspirations",
    tags=["reference"],
    paginated=True,
    responses={200: json_response("A page of categories.", page_of("Category"))},
)
def categories():
    statement = select(Category).order_by(*reference.CATEGORY_ORDER)
    return jsonify(paginate(statement, category_json, REFERENCE_PER_PAGE))


@bp.get("/agencies")
@operation(
    "City agencies (perangkat daerah)",
    tags=["reference"],
    paginated=True,
    responses={200: json_response("A page of agencies.", page_of("Agency"))},
)
def agencies():
    statement = select(Agency).order_by(Agency.code)
    return jsonify(paginate(statement, agency_json, REFERENCE_PER_PAGE))
