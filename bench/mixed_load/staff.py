"""Officials and moderators at work through the API (runs inside Locust).

Officials answer comments on their agency's open consultations and handle
the aspirations forwarded to it (start work on one, or answer it).
Moderators decide items of the review queue (a race with another moderator
is a 409, not an error) and screen the aspirations residents raised in this
run, forwarding each to an agency that has officials in the load.
"""
import random

from locust import between, task

import recorder
import targets
from simulated import ACCOUNTS, COUNTS, ApiUser, pick

OFFICIAL_AGENCIES = sorted({account["agency"] for account in ACCOUNTS.get("official", [])})
DECISIONS = (("approve", None), ("restore", None), ("ignore_flags", None),
             ("hide", "Melanggar pedoman diskusi."), ("remove", "Melanggar pedoman diskusi."))


class Official(ApiUser):
    kind = "official"
    fixed_count = COUNTS["official"]
    wait_time = between(5, 15)

    @task(2)
    def answer_comment(self):
        policy = pick([p for p in targets.policies.get(self.client) if p["agency"] == self.account["agency"]])
        comment = policy and pick([c for c in targets.policy_comments(policy["id"]).get(self.client)
                                   if not c["official"] and c["depth"] < 2])
        if comment:
            answer = self.write("POST", f"/api/v1/content/{comment['id']}/responses", "POST api response (comment)",
                                {"body": "Tanggapan resmi: " + targets.sentence()})
            if answer:
                recorder.wrote("comment", answer["id"])

    @task(2)
    def handle_aspiration(self):
        state = random.choice(["forwarded", "in_progress"])
        response = self.client.get(f"/api/v1/aspirations?agency={self.account['agency']}&status={state}&per_page=20",
                                   name="GET api aspirations (agency)")
        aspiration = pick(response.json()["items"] if response.status_code == 200 else [])
        if not aspiration:
            return
        if state == "forwarded" and random.random() < 0.5:
            self.write("POST", f"/api/v1/aspirations/{aspiration['id']}/transitions", "POST api transition (agency)",
                       {"to": "in_progress", "note": ""}, ok=(200,))
            return
        answer = self.write("POST", f"/api/v1/content/{aspiration['id']}/responses", "POST api response (aspiration)",
                            {"body": "Jawaban dinas: " + targets.sentence()})
        if answer:
            recorder.wrote("comment", answer["id"])


class Moderator(ApiUser):
    kind = "moderator"
    fixed_count = COUNTS["moderator"]
    wait_time = between(5, 15)

    @task(3)
    def decide(self):
        tab = random.choice(["pending", "flagged", "hidden"])
        response = self.client.get(f"/api/v1/moderation/queue?tab={tab}&per_page=20",
                                   name="GET api moderation queue")
        item = pick(response.json()["items"] if response.status_code == 200 else [])
        action, reason = next(((a, r) for a, r in DECISIONS if item and a in item["actions"]), (None, None))
        if action is None:
            return
        payload = {"action": action, "version": item["version"], **({"reason": reason} if reason else {})}
        if self.write("POST", f"/api/v1/moderation/items/{item['id']}/decision", "POST api decision", payload,
                      ok=(200,)):
            recorder.decided(item["id"])

    @task(2)
    def screen_aspiration(self):
        if not targets.submitted:
            return
        aspiration_id = targets.submitted.popleft()
        response = self.client.get(f"/api/v1/aspirations/{aspiration_id}", name="GET api aspiration (staff)")
        if response.status_code != 200 or "forwarded" not in response.json()["allowed_transitions"]:
            return
        self.write("POST", f"/api/v1/aspirations/{aspiration_id}/transitions", "POST api transition (screen)",
                   {"to": "forwarded", "agency": random.choice(OFFICIAL_AGENCIES),
                    "note": "Diteruskan ke perangkat daerah terkait."}, ok=(200,))
