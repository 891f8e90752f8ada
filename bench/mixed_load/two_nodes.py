"""Two nodes on one database: content written through either is findable on both.

Node A is the load's server; node B is a second gunicorn with its own index
directory (built by `search rebuild` before it starts). Each runs `search
sync --follow` beside its workers. While the mixed load runs against A,
comments carrying a made-up word are written alternately through A and B
(by accounts the load does not use, so the screen's posting gap is theirs
alone), and both nodes' search API is asked every 50 ms until each finds
the comment: the delay from the 201 to "found on both" is measured.
"""
import os
import random
import subprocess
import time
from collections import Counter

from bench.mixed_load.client import call
from bench.mixed_load.faults import Fault, describe_statuses
from bench.mixed_load.services import REPO, Node, flask_command

POLL_SECONDS = 0.05
GIVE_UP_SECONDS = 10.0
FOLLOWERS_START_SECONDS = 60.0
LIMIT_SECONDS = 1.0  # "findable on both within 1 s", at the 99th percentile
NODE_B_WORKERS = 2


def _word():
    """A made-up word no text in the database has, so the search finds exactly the new comment."""
    return "uji" + "".join(random.choice("bcdfghjklmnprstvwz") + random.choice("aiueo") for _ in range(5)) + "t"


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else None


class TwoNodes(Fault):
    name = "two nodes"

    def __init__(self, writes):
        self.writes = writes
        self.node_b = None

    def prepare(self, run):
        self.node_b = Node("b", run.env, NODE_B_WORKERS, run.dir)
        subprocess.run(flask_command("search", "rebuild"), env={**os.environ, **self.node_b.env}, cwd=REPO,
                       check=True, capture_output=True, timeout=600)
        self.node_b.start()
        self.node_b.follow()
        run.node.follow()
        return [run.node.index_dir, self.node_b.index_dir]

    def act(self, run, seconds, probe, outcome):
        nodes = {"A": run.node.base, "B": self.node_b.base}
        writers = run.accounts["writer"]
        _status, policies = call(run.node.base, "/api/v1/policies?status=open&per_page=100")
        policy = next(p for p in policies["items"] if p["accepting_input"])

        def write_and_find(number, through, give_up):
            """Write a comment through node `through`; (status, comment, {node: seconds until found})."""
            word, writer = _word(), number % len(writers)
            status, comment = call(nodes[through], f"/api/v1/policies/{policy['id']}/comments",
                                   writers[writer]["token"],
                                   {"body": f"Catatan uji dua simpul: {word} untuk pencarian.", "stance": "neutral"},
                                   source=f"127.0.9.{1 + writer}")
            if status != 201 or comment["status"] != "published":  # held by the screen: not searchable
                return status, None, {}
            outcome.created.append(["comment", comment["id"]])
            written, found = time.monotonic(), {}
            while len(found) < 2 and time.monotonic() - written < give_up:
                for name, base in nodes.items():
                    if name not in found:
                        code, hits = call(base, f"/api/v1/search?q={word}", source="127.0.9.250")
                        if code == 200 and any(hit["id"] == comment["id"] for hit in hits["items"]):
                            found[name] = time.monotonic() - written
                time.sleep(POLL_SECONDS)
            return status, comment, found

        # The followers are flask processes still starting: one write found on both says they run.
        _status, _comment, found = write_and_find(len(writers) - 1, "A", FOLLOWERS_START_SECONDS)
        outcome.notes.append(f"followers ready: a first write found on both after {max(found.values(), default=0):.1f} s"
                             if len(found) == 2 else "the followers did not start")
        delays, missing, refused = {"A": [], "B": [], "both": []}, [], Counter()
        pause = max(seconds / self.writes - 0.5, 0.2)  # each writer posts again after 3 s or more
        for number in range(self.writes):
            through = "A" if number % 2 == 0 else "B"
            status, comment, found = write_and_find(number, through, GIVE_UP_SECONDS)
            if comment is None:
                refused[status] += 1
                continue
            if len(found) < 2:
                missing.append(f"comment {comment['id']} written through {through} not found on "
                               f"{' or '.join(sorted(set(nodes) - set(found)))}")
                continue
            for name, delay in found.items():
                delays[name].append(delay)
            delays["both"].append(max(found.values()))
            time.sleep(pause)
        self.report(outcome, delays, missing, refused)

    def report(self, outcome, delays, missing, refused):
        both = delays["both"]
        p99 = percentile(both, 0.99)
        outcome.notes.append(
            f"{len(both)} of {self.writes} writes found on both nodes"
            + (f"; delay p50 {percentile(both, 0.5) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
               f"max {max(both) * 1000:.0f} ms (node A p99 {percentile(delays['A'], 0.99) * 1000:.0f} ms, "
               f"node B p99 {percentile(delays['B'], 0.99) * 1000:.0f} ms)" if both else ""))
        if missing:
            outcome.notes.append(f"not found within {GIVE_UP_SECONDS:.0f} s: {', '.join(missing)}")
        if refused:
            outcome.notes.append(f"writes refused or held (status): {describe_statuses(refused)}")
        outcome.ok = not missing and not refused and p99 is not None and p99 <= LIMIT_SECONDS
        outcome.figure = p99

    def finish(self, run):
        """Stop node B and node A's follower (after the checks, which read node B's index)."""
        if self.node_b is not None:
            self.node_b.stop()
        run.node.stop_following()
