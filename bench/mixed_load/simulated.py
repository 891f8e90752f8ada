"""What every simulated user shares: an address, accounts, how answers are judged, a signed-in user's bookkeeping.

Runs inside Locust (its own virtualenv, without the app). Answers the app
documents for a lost race or for what a user may not do yet (409 conflicts,
422 refusals such as the screen's posting gap, 429 limits) count as
answers, not failures; any other 4xx, any 5xx and any dropped connection is
a failure.

Each simulated user connects from its own loopback address (127.0.x.y), as
the people it stands for have their own: limits counted per address (the
login limit, and the write limit of whoever the app does not count by
account) meet one person each, not the whole load at once.
"""
import json
import os
import random
import time
from itertools import count

from locust import HttpUser
from requests.adapters import HTTPAdapter

import population
import recorder
import targets

USERS = int(os.environ.get("LOAD_USERS", "200"))
COUNTS = population.population(USERS)
ACCOUNTS = json.load(open(os.environ["LOAD_ACCOUNTS"])) if os.environ.get("LOAD_ACCOUNTS") else {}
ANSWERS = (409, 422, 429)
POST_GAP = 3.5  # seconds between one resident's posts: the screen allows one every 3 s


def judge(response, ok=(200,)):
    """Mark a response (from `catch_response=True`) as Locust's success or failure; True when it is `ok`."""
    if response.status_code in ok:
        response.success()
        return True
    if response.status_code in ANSWERS:
        response.success()
    else:
        response.failure(f"HTTP {response.status_code}")
    return False


def error_code(response):
    """The `code` of an API error answer, or None."""
    try:
        return response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def pick(items):
    return random.choice(items) if items else None


class _SourceAddress(HTTPAdapter):
    """Connect from a given loopback address."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


_addresses = count(1)


class Person(HttpUser):
    """A simulated user on an address of its own."""

    abstract = True

    def on_start(self):
        number = next(_addresses)
        self.client.mount("http://", _SourceAddress(f"127.0.{1 + number // 250}.{1 + number % 250}"))


class SignedIn(Person):
    """A user with an account of its own (`kind`), taken from LOAD_ACCOUNTS."""

    abstract = True
    kind = None

    def on_start(self):
        super().on_start()
        self.account = ACCOUNTS[self.kind].pop()
        self.own = set()        # ids this user wrote: nobody rates or flags their own post
        self.flagged = set()
        self.last_post = float("-inf")

    def may_post(self):
        return time.monotonic() - self.last_post >= POST_GAP

    def others(self, items):
        """Pool entries not written by this user (in this phase, or an earlier one: by name)."""
        return [item for item in items if item["id"] not in self.own and item.get("author") != self.account["name"]]

    def comment_to_rate(self, policy, unflagged=False):
        """Someone else's comment on `policy` (not an official response); `unflagged`: not flagged by this user."""
        comments = self.others(targets.policy_comments(policy["id"]).get(self.client))
        return pick([c for c in comments if not c["official"] and not (unflagged and c["id"] in self.flagged)])

    def posted(self, kind, content_id):
        recorder.wrote(kind, content_id)
        self.own.add(content_id)
        self.last_post = time.monotonic()

    def voted(self, content_id, value, confirmed):
        """Record a vote the app confirmed, or (not confirmed) one whose outcome is unknown."""
        recorder.voted(self.account["id"], content_id, value if confirmed else None)


class ApiUser(SignedIn):
    """A signed-in user of the JSON API: a bearer token, no cookies."""

    abstract = True

    def on_start(self):
        super().on_start()
        self.client.headers["Authorization"] = f"Bearer {self.account['token']}"

    def write(self, method, path, name, payload, ok=(201,)):
        """Send a JSON write; the answer's JSON when it is `ok`, else None."""
        with self.client.request(method, path, json=payload, name=name, catch_response=True) as response:
            if judge(response, ok):
                return response.json()
        return None

    def vote(self, method, path, name, content_id, value):
        with self.client.request(method, path, json={"value": value}, name=name, catch_response=True) as response:
            if judge(response):
                self.voted(content_id, response.json()["value"], True)
            elif response.status_code >= 500 or response.status_code == 0:
                self.voted(content_id, None, False)
            elif error_code(response) == "already_supported":
                self.voted(content_id, "up", True)
