"""Officials' consultation tools under /dinas, and attachment downloads under /lampiran.

`bp` (drafting) holds the agency's list, the draft editor, preview, publish,
close, new version, outcome and attachment management; `files_bp` serves
attachment downloads at a neutral path that the public consultation pages
link to.
"""
from flask import Blueprint

bp = Blueprint("drafting", __name__)
files_bp = Blueprint("attachments", __name__)

from forum.drafting import routes  # noqa: F401
