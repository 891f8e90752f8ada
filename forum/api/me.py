"""`GET /me`: the account a token belongs to; a quick way to check a token."""
from flask import jsonify

from forum.api import bp
from forum.api.auth import api_user, token_required
from forum.api.openapi import json_response, nullable, operation, schema
from forum.models import AccountState, Role
from forum.services.profile import account_fields

schema("Account", {
    "type": "object",
    "required": ["id", "email", "display_name", "role", "state", "agency", "district", "email_verified",
                 "created_at"],
    "properties": {
        "id": {"type": "integer"},
        "email": {"type": "string"},
        "display_name": {"type": "string"},
        "role": {"type": "string", "enum": list(Role.ALL)},
        "state": {"type": "string", "enum": list(AccountState.ALL)},
        "agency": {**nullable("string"), "description": "Agency code (officials)."},
        "district": {**nullable("string"), "description": "Kelurahan code."},
        "locale": {**nullable("string"), "enum": ["id", "en", None]},
        "email_verified": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
    },
})


@bp.get("/me")
@operation(
    "The token's own account",
    tags=["account"],
    responses={200: json_response("The account.", {"$ref": "#/components/schemas/Account"})},
)
@token_required
def me():
    user = api_user()
    return jsonify({**account_fields(user), "email_verified": user.is_verified})
