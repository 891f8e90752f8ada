"""The mixed load, run headless by Locust: visitors, residents (API and browser), officials, moderators.

Started by `python -m bench.mixed_load` with `LOAD_USERS` (how many users
of each kind: population.py), `LOAD_ACCOUNTS` (their accounts and tokens,
one per signed-in user) and `LOAD_RECORD` (where recorder.py writes what was
seen and written). Every request is named by its kind ("POST api comment"),
so Locust's CSV gives the timings per kind. Visitors and API residents are
here; browser residents in browser.py, officials and moderators in staff.py
(Locust runs every user class this module holds).
"""
import random

from locust import between, events, task

import recorder
import targets
from browser import BrowserResident  # noqa: F401  (a user class Locust runs)
from simulated import COUNTS, ApiUser, Person, pick
from staff import Moderator, Official  # noqa: F401  (user classes Locust runs)


@events.request.add_listener
def _count(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    recorder.on_request(name, response, exception)


@events.test_stop.add_listener
def _dump(environment, **kwargs):
    recorder.dump()


class Visitor(Person):
    """Reads lists, consultation and aspiration pages, and searches; no account."""

    fixed_count = COUNTS["visitor"]
    wait_time = between(3, 10)

    @task(4)
    def consultation_page(self):
        policy = pick(targets.policies.get(self.client))
        if policy:
            self.client.get(f"/konsultasi/{policy['id']}", name="GET /konsultasi/[id]")

    @task(2)
    def consultation_list(self):
        self.client.get("/konsultasi/", name="GET /konsultasi/")

    @task(1)
    def home(self):
        self.client.get("/", name="GET /")

    @task(1)
    def aspiration_list(self):
        self.client.get("/aspirasi/", name="GET /aspirasi/")

    @task(2)
    def aspiration_page(self):
        aspiration = pick(targets.aspirations.get(self.client))
        if aspiration:
            self.client.get(f"/aspirasi/{aspiration['id']}", name="GET /aspirasi/[id]")

    @task(2)
    def search_page(self):
        self.client.get(f"/cari?q={random.choice(targets.SEARCH_WORDS)}", name="GET /cari?q=")

    @task(1)
    def search_api(self):
        self.client.get(f"/api/v1/search?q={random.choice(targets.SEARCH_WORDS)}", name="GET api search")


class ApiResident(ApiUser):
    """A resident using the API: comments, replies, votes, support, flags, new aspirations."""

    kind = "api_resident"
    fixed_count = COUNTS["api_resident"]
    wait_time = between(3, 10)

    def _comment(self, policy, parent=None):
        if not self.may_post():
            return self.read_policy()
        payload = {"body": targets.sentence()}
        if parent:
            payload["parent_id"] = parent["id"]
        else:
            payload["stance"] = random.choice(["support", "oppose", "neutral"])
            if policy["sections"] and random.random() < 0.7:
                payload["section_id"] = random.choice(policy["sections"])
        answer = self.write("POST", f"/api/v1/policies/{policy['id']}/comments",
                            "POST api reply" if parent else "POST api comment", payload)
        if answer:
            self.posted("comment", answer["id"])
            targets.policy_comments(policy["id"]).add({"id": answer["id"], "depth": answer["depth"],
                                                       "official": False, "author": self.account["name"]})

    @task(2)
    def read_policy(self):
        policy = pick(targets.policies.get(self.client))
        if policy:
            self.client.get(f"/api/v1/policies/{policy['id']}", name="GET api policy")

    @task(3)
    def comment(self):
        policy = pick(targets.policies.get(self.client))
        if policy:
            self._comment(policy)

    @task(1)
    def reply(self):
        policy = pick(targets.policies.get(self.client))
        parent = policy and pick(self.others(targets.policy_comments(policy["id"]).get(self.client)))
        if parent:
            self._comment(policy, parent)

    @task(1)
    def vote_policy(self):
        policy = pick(targets.policies.get(self.client))
        if policy:
            self.vote("PUT", f"/api/v1/policies/{policy['id']}/vote", "PUT api policy vote", policy["id"],
                      random.choice(["support", "oppose"]))

    @task(3)
    def rate_comment(self):
        policy = pick(targets.policies.get(self.client))
        comment = policy and self.comment_to_rate(policy)
        if comment:
            self.vote("POST", f"/api/v1/content/{comment['id']}/votes", "POST api comment vote", comment["id"],
                      random.choice(["up", "up", "down"]))

    @task(1)
    def support(self):
        aspiration = pick(self.others(targets.aspirations.get(self.client)))
        if aspiration:
            self.vote("POST", f"/api/v1/content/{aspiration['id']}/votes", "POST api support", aspiration["id"],
                      "up")

    @task(1)
    def flag(self):
        if random.random() < 0.6:  # flags are rarer than everything else
            return self.read_policy()
        policy = pick(targets.policies.get(self.client))
        comment = policy and self.comment_to_rate(policy, unflagged=True)
        if comment:
            self.flagged.add(comment["id"])
            answer = self.write("POST", f"/api/v1/content/{comment['id']}/flags", "POST api flag",
                                {"reason": random.choice(targets.FLAG_REASONS)})
            if answer:
                recorder.wrote("flag", answer["id"])

    @task(1)
    def raise_aspiration(self):
        if not self.may_post() or random.random() < 0.4:
            return self.read_policy()
        answer = self.write("POST", "/api/v1/aspirations", "POST api aspiration",
                            targets.aspiration_fields(targets.districts.get(self.client)))
        if answer:
            self.posted("aspiration", answer["id"])
            targets.submitted.append(answer["id"])
