"""Residents in a browser: sign in, read pages, post the pages' forms with their CSRF token (runs inside Locust).

Production cookies are `Secure`. Behind the TLS proxy a browser sends them
back; here the users talk plain HTTP on the loopback, which stands for the
proxy's inside, so each response's cookies are kept without the flag
(`_keep_cookies`): the app is still served its production configuration.
"""
import random
import re

from locust import between, task

import targets
from simulated import COUNTS, SignedIn, judge, pick

CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]*)"')
LOGIN = "/akun/masuk"
NEW_ID = re.compile(r"/(?:aspirasi|konsultasi)/(\d+)(?:#comment-(\d+))?$")


class BrowserResident(SignedIn):
    """A resident in a browser session."""

    kind = "browser_resident"
    fixed_count = COUNTS["browser_resident"]
    wait_time = between(3, 10)

    def on_start(self):
        super().on_start()
        self.csrf = None
        self.signed_in = False
        self.sign_in()

    def send(self, method, path, name, ok=(200,), **options):
        """One request as the browser makes it, judged; the response.

        A redirect to the login page means the session was lost: a failure, and the user signs in again.
        """
        with self.client.request(method, path, name=name, allow_redirects=False, catch_response=True,
                                 **options) as response:
            if judge(response, ok) and LOGIN in response.headers.get("Location", "") and "masuk" not in name:
                response.failure("signed out: redirected to the login page")
                self.signed_in = False
        self._keep_cookies()
        return response

    def _keep_cookies(self):
        for cookie in self.client.cookies:
            cookie.secure = False

    def read(self, path, name):
        """GET a page and keep its CSRF token; True when it answered 200."""
        response = self.send("GET", path, name)
        found = CSRF.search(response.text or "")
        if found:
            self.csrf = found.group(1)
        return response.status_code == 200

    def form(self, path, name, fields):
        """POST a form and read the page it redirects to; the redirect's target, or None."""
        response = self.send("POST", path, name, ok=(302, 303), data={**fields, "csrf_token": self.csrf or ""})
        if response.status_code not in (302, 303) or not (self.signed_in or "masuk" in name):
            return None
        location = response.headers.get("Location", "")
        self.read(location.split("#")[0], "GET page after a form (signed in)")
        return location

    def sign_in(self):
        self.read(LOGIN, "GET /akun/masuk")
        self.signed_in = self.form(LOGIN, "POST /akun/masuk", {
            "email": self.account["email"], "password": self.account["password"], "next": ""}) is not None

    def policy_page(self):
        policy = pick(targets.policies.get(self.client))
        if policy and self.read(f"/konsultasi/{policy['id']}", "GET /konsultasi/[id] (signed in)"):
            return policy
        return None

    @task(3)
    def read_policy(self):
        if not self.signed_in:
            return self.sign_in()
        self.policy_page()

    @task(2)
    def comment(self):
        policy = self.signed_in and self.may_post() and self.policy_page()
        if not policy:
            return
        location = self.form(f"/konsultasi/{policy['id']}/komentar", "POST /konsultasi/[id]/komentar", {
            "body": targets.sentence(), "stance": random.choice(["support", "oppose", "neutral"]),
            "section_id": random.choice(policy["sections"] + [""]), "parent_id": ""})
        found = NEW_ID.search(location or "")
        if found and found.group(2):
            self.posted("comment", int(found.group(2)))

    @task(1)
    def vote_policy(self):
        policy = self.signed_in and self.policy_page()
        if policy:
            value = random.choice(["support", "oppose"])
            location = self.form(f"/konsultasi/{policy['id']}/suara", "POST /konsultasi/[id]/suara",
                                 {"value": value})
            self.voted(policy["id"], value, location is not None)

    @task(2)
    def rate_comment(self):
        policy = self.signed_in and self.policy_page()
        comment = policy and self.comment_to_rate(policy)
        if comment:
            value = random.choice(["up", "up", "down"])
            location = self.form(f"/konsultasi/komentar/{comment['id']}/nilai",
                                 "POST /konsultasi/komentar/[id]/nilai", {"value": value})
            self.voted(comment["id"], value, location is not None)

    @task(1)
    def support(self):
        aspiration = self.signed_in and pick(self.others(targets.aspirations.get(self.client)))
        if aspiration and self.read(f"/aspirasi/{aspiration['id']}", "GET /aspirasi/[id] (signed in)"):
            if self.form(f"/aspirasi/{aspiration['id']}/dukung", "POST /aspirasi/[id]/dukung", {}):
                self.voted(aspiration["id"], "up", True)

    @task(1)
    def flag(self):
        policy = self.signed_in and random.random() < 0.3 and self.policy_page()
        comment = policy and self.comment_to_rate(policy, unflagged=True)
        if comment:
            self.flagged.add(comment["id"])
            self.read(f"/moderasi/laporkan/{comment['id']}", "GET /moderasi/laporkan/[id]")
            self.form(f"/moderasi/laporkan/{comment['id']}", "POST /moderasi/laporkan/[id]",
                      {"reason": random.choice(targets.FLAG_REASONS), "note": ""})

    @task(1)
    def raise_aspiration(self):
        """The two steps of /aspirasi/baru: check (similar aspirations shown), then send."""
        if not (self.signed_in and self.may_post() and random.random() < 0.6):
            return
        fields = {**targets.aspiration_fields(targets.districts.get(self.client)), "location": ""}
        self.read("/aspirasi/baru", "GET /aspirasi/baru")
        checked = self.send("POST", "/aspirasi/baru", "POST /aspirasi/baru (check)",
                            data={**fields, "step": "check", "csrf_token": self.csrf or ""})
        if checked.status_code != 200:
            return
        location = self.form("/aspirasi/baru", "POST /aspirasi/baru (send)", {**fields, "step": "send"})
        found = NEW_ID.search(location or "")
        if found:
            self.posted("aspiration", int(found.group(1)))
            targets.submitted.append(int(found.group(1)))

    @task(1)
    def search(self):
        if self.signed_in:
            self.read(f"/cari?q={random.choice(targets.SEARCH_WORDS)}", "GET /cari?q= (signed in)")
