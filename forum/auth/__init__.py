"""Blueprint placeholder for auth (filled in by its feature)."""
from flask import Blueprint

bp = Blueprint("auth", __name__)
