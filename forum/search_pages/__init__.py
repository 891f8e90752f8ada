"""The search results page `/cari` (the engine is forum/search)."""
from flask import Blueprint

bp = Blueprint("search_pages", __name__)

from forum.search_pages import routes  # noqa: F401  (routes register on bp)
