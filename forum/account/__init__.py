"""Blueprint placeholder for account (filled in by its feature)."""
from flask import Blueprint

bp = Blueprint("account", __name__)
