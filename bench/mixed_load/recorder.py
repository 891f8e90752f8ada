"""What the simulated users saw and wrote, kept for the checks (runs inside Locust).

* Every response's status, per request kind, from Locust's request event:
  Locust's own CSV has the timings but not the status codes, and a 429 or
  a 409 from a race is an answer, not an error.
* Every write the app confirmed: the id of each 201 (comments, replies,
  official responses, aspirations, flags), the last vote each account got
  a 200 (or a redirect) for on each content, and each decision taken. A vote
  whose answer was lost (dropped connection, 5xx) makes that account's vote
  on that content unknown: the checks skip it.

At the end of the run it is written as JSON to `LOAD_RECORD`.
"""
import json
import os
from collections import Counter, defaultdict

WRONG = 1  # pseudo status: an answer with a fine status that was still wrong (a redirect to the login page)
statuses = defaultdict(Counter)   # request name -> Counter of status codes (0: no response; WRONG)
samples = {}                      # (name, status) -> the start of one such answer, for the report
created = []                      # [kind, id] of each 201 (and each web form that redirected to a new id)
votes = {}                        # "user:content" -> value, or None when unknown
decisions = []                    # review item ids decided with a 200


def on_request(name, response, exception):
    status = (response.status_code if response is not None else 0) or 0
    if exception is not None and 0 < status < 400:
        status = WRONG
    statuses[name][status] += 1
    if (status >= 400 or status <= WRONG) and (name, status) not in samples:
        text = getattr(response, "text", "") if response is not None else ""
        samples[(name, status)] = (str(exception) if exception else (text or ""))[:300]


def wrote(kind, content_id):
    created.append([kind, content_id])


def voted(user_id, content_id, value):
    """A confirmed vote (value) or one whose outcome is unknown (value None)."""
    votes[f"{user_id}:{content_id}"] = value


def decided(item_id):
    decisions.append(item_id)


def dump(path=None):
    path = path or os.environ["LOAD_RECORD"]
    with open(path, "w") as out:
        json.dump({
            "statuses": {name: {str(code): count for code, count in counts.items()}
                         for name, counts in statuses.items()},
            "samples": [[name, status, text] for (name, status), text in samples.items()],
            "created": created, "votes": votes, "decisions": decisions,
        }, out)
