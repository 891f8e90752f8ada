"""Feedback summary pages and their downloads (forum/services/summaries.py does the work).

Routes sit beside the consultation they summarise:
`/konsultasi/<id>/ringkasan` (the page, its filters in the query string),
`/konsultasi/<id>/ringkasan/unduh?format=` (anonymized downloads),
`/konsultasi/<id>/ringkasan/data-pribadi` (the audited personal-data export form),
and `/admin/izin-ekspor` (admins allow officials personal-data exports).
"""
from flask import Blueprint

bp = Blueprint("summaries", __name__)

from forum.summaries import routes  # noqa: E402,F401
