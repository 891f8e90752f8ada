"""Surveys in the API: build one (officials), read it, answer it (residents), read its results.

Views read the JSON body (forum/api/survey_shapes.py: schemas, serializers
and body readers) and call forum/services (surveys, survey_answers,
survey_results); rules and visibility live there.
"""
from flask import jsonify, request, url_for
from flask_babel import gettext as _

from forum.api import bp
from forum.api.auth import api_user, token_required
from forum.api.body import json_body
from forum.api.content import as_organization
from forum.api.openapi import json_response, operation, page_of, query_param, ref
from forum.api.pagination import paginate
from forum.api.policies import choice_arg
from forum.api.survey_shapes import (
    ANSWERS_BODY,
    SURVEY_BODY,
    api_field_names,
    posted_answers,
    response_json,
    survey_fields,
    survey_json,
)
from forum.errors import Forbidden, NotFound, ValidationFailed
from forum.exports.response import send_export
from forum.models import Demographic
from forum.permissions import can
from forum.reports import formats
from forum.services import policies as policy_service
from forum.services import survey_answers, surveys
from forum.services.survey_results import survey_results

RESULT_GROUPS = ("residents", "organizations")




def _created(survey):
    response = jsonify(survey_json(survey))
    response.headers["Location"] = url_for("api.get_survey", survey_id=survey.id)
    return response, 201


def _build(policy=None):
    fields = survey_fields(json_body())
    publish = json_body().get("publish", True)
    try:
        survey = surveys.create_survey(api_user(), policy=policy, publish=publish, **fields)
    except ValidationFailed as error:
        raise api_field_names(error) from None
    return _created(survey)


# -- building ----------------------------------------------------------------------------------
@bp.post("/policies/<int:policy_id>/surveys")
@operation("Add a survey to a consultation (officials of its agency)",
           description="Published at once unless `publish` is false; the answer carries question and choice ids.",
           tags=["surveys"], errors=(403,), request_body=SURVEY_BODY,
           responses={201: json_response("The new survey.", ref("Survey"))})
@token_required
def create_policy_survey(policy_id):
    return _build(policy_service.visible_policy(api_user(), policy_id))


@bp.post("/surveys")
@operation("Start a standalone survey about a public service (officials)",
           description="Published at once unless `publish` is false; `service` names the public service.",
           tags=["surveys"], errors=(403,), request_body=SURVEY_BODY,
           responses={201: json_response("The new survey.", ref("Survey"))})
@token_required
def create_survey():
    return _build()


@bp.get("/policies/<int:policy_id>/surveys")
@operation("The surveys of a consultation", tags=["surveys"],
           responses={200: json_response("The consultation's surveys.", {
               "type": "object", "properties": {"items": {"type": "array", "items": ref("Survey")}}})})
def list_policy_surveys(policy_id):
    user = api_user()
    policy = policy_service.visible_policy(user, policy_id)
    return jsonify({"items": [survey_json(survey) for survey in surveys.policy_surveys(policy, user)]})


@bp.get("/surveys")
@operation("Published surveys", description="Newest first; `status` filters open or closed ones.",
           tags=["surveys"], paginated=True,
           parameters=[query_param("status", {"type": "string", "enum": ["open", "upcoming", "closed"]},
                                   "Only surveys in this state.")],
           responses={200: json_response("A page of surveys.", page_of("Survey"))})
def list_surveys():
    problems = {}
    status = choice_arg("status", ("open", "upcoming", "closed"), problems)
    if problems:
        raise ValidationFailed(fields=problems)
    return jsonify(paginate(surveys.public_query(status), survey_json))


@bp.get("/surveys/<int:survey_id>")
@operation("A survey's questionnaire", tags=["surveys"],
           responses={200: json_response("The survey.", ref("Survey"))})
def get_survey(survey_id):
    return jsonify(survey_json(surveys.visible_survey(api_user(), survey_id)))


@bp.put("/surveys/<int:survey_id>")
@operation("Change a survey (officials of its agency)",
           description="Questions can change only while nobody has answered: otherwise 409 "
                       "`survey_has_responses` (make a new version with `POST /surveys/{id}/versions`).",
           tags=["surveys"], errors=(403, 409), request_body=SURVEY_BODY,
           responses={200: json_response("The changed survey.", ref("Survey"))})
@token_required
def update_survey(survey_id):
    survey = surveys.editable_survey(api_user(), survey_id)
    fields = survey_fields(json_body())
    if fields["opens_at"] is None:
        fields["opens_at"] = survey.opens_at
    try:
        surveys.update_survey(api_user(), survey, **fields)
    except ValidationFailed as error:
        raise api_field_names(error) from None
    return jsonify(survey_json(survey))


@bp.post("/surveys/<int:survey_id>/publish")
@operation("Publish a draft survey", tags=["surveys"], errors=(403, 409, 422),
           responses={200: json_response("The survey.", ref("Survey"))})
@token_required
def publish_survey(survey_id):
    return jsonify(survey_json(surveys.publish_survey(api_user(), surveys.editable_survey(api_user(), survey_id))))


@bp.post("/surveys/<int:survey_id>/close")
@operation("Close a survey now", tags=["surveys"], errors=(403, 409),
           responses={200: json_response("The survey.", ref("Survey"))})
@token_required
def close_survey(survey_id):
    return jsonify(survey_json(surveys.close_survey(api_user(), surveys.editable_survey(api_user(), survey_id))))


@bp.post("/surveys/<int:survey_id>/versions")
@operation("Make a new version of a survey (a draft copy)", tags=["surveys"], errors=(403,),
           responses={201: json_response("The new draft.", ref("Survey"))})
@token_required
def copy_survey(survey_id):
    return _created(surveys.copy_survey(api_user(), surveys.editable_survey(api_user(), survey_id)))


# -- answering -----------------------------------------------------------------------------------
@bp.route("/surveys/<int:survey_id>/responses", methods=["POST", "PUT"])
@operation("Answer a survey (residents)", method="POST",
           description="One response per person: a second POST is 409 `already_answered`. A closed survey is "
                       "409 `survey_closed`. Problems are named `question-<id>`. With `as_organization` the "
                       "response is the organization's: one per organization (a second POST is 409), counted "
                       "apart from residents' and without demographics.",
           tags=["surveys"], errors=(403, 409), request_body=ANSWERS_BODY,
           responses={201: json_response("The saved response.", ref("SurveyResponse"))})
@operation("Change one's response while the survey is open (or answer it)", method="PUT",
           tags=["surveys"], errors=(403, 409), request_body=ANSWERS_BODY,
           responses={200: json_response("The saved response.", ref("SurveyResponse"))})
@token_required
def answer_survey(survey_id):
    user = api_user()
    survey = surveys.visible_survey(user, survey_id)
    data = json_body()
    answers, demographics = posted_answers(data)
    replace = request.method == "PUT"
    response = survey_answers.submit_response(user, survey, answers, demographics, replace=replace,
                                              as_organization=as_organization(data))
    return jsonify(response_json(response)), 200 if replace else 201


@bp.get("/surveys/<int:survey_id>/responses/mine")
@operation("One's own response to a survey", tags=["surveys"],
           responses={200: json_response("The response.", ref("SurveyResponse"))})
@token_required
def get_my_survey_response(survey_id):
    user = api_user()
    response = survey_answers.own_response(user, surveys.visible_survey(user, survey_id))
    if response is None:
        raise NotFound(_("You have not answered this survey."))
    return jsonify(response_json(response))


# -- results ----------------------------------------------------------------------------------------
@bp.get("/surveys/<int:survey_id>/results")
@operation("A survey's results",
           description="Always for officials of its agency; for everyone once closed, if its results are public.",
           tags=["surveys"], errors=(403,),
           parameters=[query_param("breakdown", {"type": "string",
                                                 "enum": [*Demographic.DIMENSIONS, "all"]},
                                   "Also break every question down by kecamatan, age band or gender."),
                       query_param("group", {"type": "string", "enum": list(RESULT_GROUPS), "default": "residents"},
                                   "Residents' figures, or those of the organizations that answered (kept apart).")],
           responses={200: json_response("The results.", ref("SurveyResults"))})
def get_survey_results(survey_id):
    user = api_user()
    survey = surveys.visible_survey(user, survey_id)
    problems = {}
    breakdown = choice_arg("breakdown", (*Demographic.DIMENSIONS, "all"), problems)
    group = choice_arg("group", RESULT_GROUPS, problems, default="residents")
    if problems:
        raise ValidationFailed(fields=problems)
    if not can(user, "survey.results", survey):
        raise Forbidden(_("The results of this survey are published when it closes, if the agency chose so."))
    return jsonify(survey_results(survey, breakdown=breakdown, organizations=group == "organizations"))


@bp.get("/surveys/<int:survey_id>/export")
@operation("Export a survey's responses (officials of its agency)",
           description="Anonymized: a pseudonym per respondent, personal data in texts masked.",
           tags=["surveys"], errors=(403,),
           parameters=[query_param("format", {"type": "string", "enum": list(formats.names(formats.SURVEY))},
                                   "File format.", required=True)],
           responses={200: {"description": "The file."}})
@token_required
def export_survey(survey_id):
    survey = surveys.editable_survey(api_user(), survey_id)
    problems = {}
    names = formats.names(formats.SURVEY)
    file_format = choice_arg("format", names, problems)
    if file_format is None:
        problems.setdefault("format", _("Use one of: %(values)s.", values=", ".join(names)))
    if problems:
        raise ValidationFailed(fields=problems)
    return send_export(formats.build(formats.SURVEY, file_format, survey))
