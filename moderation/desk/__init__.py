"""The moderators' desk: the `moderation` blueprint (queue, people, watched words, log).

Views only: they validate, call the moderation domain (`moderation.decisions`,
`flags`, `sanctions`, ...) and respond. Nothing in `moderation` imports this
package, so services may use the domain without loading any view.
"""
from flask import Blueprint

bp = Blueprint("moderation", __name__)

from moderation.desk import log, people, routes, words  # noqa: E402,F401  (routes on bp)
