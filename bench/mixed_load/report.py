"""The printed report: request kinds of the mixed load, then one row per phase, then what went wrong.

Timings come from Locust's CSV (`PREFIX_stats.csv`; its percentiles are
rounded to two significant digits above 100 ms); status codes from
recorder.py, because Locust counts failures but not what they were.
"""
import csv
import os
import re
import platform
from collections import Counter
from dataclasses import dataclass, field

ANSWERS = (409, 422)
WRONG = 1  # recorder.py: a fine status that was still the wrong answer


def unexpected(status):
    """A 4xx the app does not document for a race, a refusal or a limit; or a wrong answer."""
    return status == WRONG or (400 <= status < 500 and status not in ANSWERS and status != 429)


def error(status):
    return status == 0 or status >= 500 or unexpected(status)


@dataclass
class PhaseResult:
    name: str
    users: int
    seconds: int
    stats: dict                      # request kind -> Locust's row
    statuses: dict                   # request kind -> Counter of status codes
    samples: list                    # [kind, status, start of the answer]
    writes: int                      # writes the app confirmed in this phase
    findings: object                 # checks.Findings
    outcome: object                  # faults.Outcome
    app_log: str = ""                # what the app logged during the phase (tracebacks)
    notes: list = field(default_factory=list)

    @property
    def total(self):
        return sum((counts for counts in self.statuses.values()), Counter())

    def count(self, test):
        return sum(n for status, n in self.total.items() if test(status))

    @property
    def server_errors(self):
        return self.count(lambda s: s >= 500 and s != 503)

    @property
    def unavailable(self):
        return self.count(lambda s: s == 503)

    @property
    def dropped(self):
        return self.count(lambda s: s == 0)

    @property
    def limited(self):
        return self.count(lambda s: s == 429)

    @property
    def refused(self):
        return self.count(lambda s: s in ANSWERS)

    @property
    def unexpected(self):
        return self.count(unexpected)

    @property
    def ok(self):
        allowed_503 = self.outcome.allow_503 or not self.unavailable
        return (self.server_errors == 0 and self.unexpected == 0 and allowed_503
                and self.dropped <= self.outcome.allow_dropped and self.findings.ok and self.outcome.ok)


def read_stats(prefix):
    """{request kind: {requests, rps, p50, p99, failures}} from Locust's `PREFIX_stats.csv` ("Aggregated" too)."""
    path = f"{prefix}_stats.csv"
    if not os.path.exists(path):
        return {}
    with open(path, newline="") as file:
        return {row["Name"]: {"requests": int(row["Request Count"]), "rps": float(row["Requests/s"]),
                              "p50": float(row["50%"] or 0), "p99": float(row["99%"] or 0),
                              "failures": int(row["Failure Count"])}
                for row in csv.DictReader(file)}


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    memory = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    load = os.getloadavg()
    return (f"{os.cpu_count()} cores ({model}), {memory / 1024 / 1024:.0f} GiB, "
            f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the start")


def kinds_table(result):
    lines = [f"Mixed load by request kind ({result.users} users, {result.seconds} s)",
             f"{'request kind':<40}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
             f"{'429':>6}{'409/422':>8}{'errors':>7}"]
    for name in sorted(n for n in result.stats if n != "Aggregated"):
        row, counts = result.stats[name], result.statuses.get(name, Counter())
        errors = sum(n for s, n in counts.items() if error(s))
        lines.append(f"{name:<40}{row['requests']:>9}{row['rps']:>8.1f}{row['p50']:>8.0f}{row['p99']:>8.0f}"
                     f"{counts.get(429, 0):>6}{sum(counts.get(s, 0) for s in ANSWERS):>8}{errors:>7}")
    return "\n".join(lines)


HEADER = (f"{'phase':<24}{'users':>6}{'s':>5}{'requests':>9}{'req/s':>7}{'p50 ms':>7}{'p99 ms':>7}"
          f"{'5xx':>5}{'503':>5}{'drop':>5}{'429':>5}{'409/422':>8}{'4xx':>5}{'writes':>7}{'lost':>5}"
          f"{'counters':>9}{'half':>5}{'search':>7}{'deadlk':>7}  result")


def phase_row(result):
    total, findings = result.stats.get("Aggregated", {}), result.findings
    return (f"{result.name:<24}{result.users:>6}{result.seconds:>5}{total.get('requests', 0):>9}"
            f"{total.get('rps', 0):>7.1f}{total.get('p50', 0):>7.0f}{total.get('p99', 0):>7.0f}"
            f"{result.server_errors:>5}{result.unavailable:>5}{result.dropped:>5}{result.limited:>5}"
            f"{result.refused:>8}{result.unexpected:>5}{result.writes:>7}{len(findings.lost):>5}"
            f"{findings.counter_mismatches:>9}{len(findings.half_written):>5}"
            f"{'ok' if findings.search_ok else 'FAIL':>7}{findings.deadlocks:>7}  {'ok' if result.ok else 'FAIL'}")


def details(result):
    """What a reader needs to see why a phase failed (and the fault's notes either way)."""
    lines = [f"- {result.name}: " + ("; ".join(result.outcome.notes + result.notes) or "no fault")]
    findings = result.findings
    if findings.lost:
        lines.append(f"    lost writes ({len(findings.lost)}): {', '.join(findings.lost[:10])}")
    for counter, ids in findings.counters.items():
        lines.append(f"    {counter} disagree with their rows on {len(ids)} rows: {ids[:10]}")
    if findings.half_written:
        lines.append(f"    half-written rows: {findings.half_written[:10]}")
    if not findings.search_ok:
        lines.append("    search: " + findings.search_output.replace("\n", "\n      "))
    for name, status, text in result.samples:
        if error(status):
            label = {0: "no answer", WRONG: "wrong answer"}.get(status, status)
            lines.append(f"    {name} -> {label}: {' '.join(text.split())[:160]}")
    errors = exceptions(result.app_log)
    if errors:
        lines.append(f"    app log: {sum(errors.values())} tracebacks: " +
                     "; ".join(f"{n}x {text[:160]}" for text, n in errors.most_common(3)))
    return "\n".join(lines)


def exceptions(log):
    """Counter of "what the app said: the exception" for the tracebacks in an app log.

    What the app said is the log line before the traceback (e.g. "search
    failed; reporting the index as unavailable"); chained tracebacks count once.
    """
    found, said, inside, chained = Counter(), "", False, False
    for line in log.splitlines():
        if line.startswith("Traceback (most recent call last)"):
            inside = True
        elif line.startswith(("During handling", "The above exception")):
            chained = True
        elif inside and line and not line.startswith(" "):
            if not chained:
                found[f"{said[:80]}: {line.strip()}" if said else line.strip()] += 1
            inside = chained = False
            said = ""
        elif not inside and line and not line.startswith((" ", "event=")):
            said = re.sub(r"\d+", "N", line.split("] ", 1)[-1].strip())  # ids and ports vary
    return found


def print_report(results, settings_line, machine_line, phases):
    print()
    print(f"make load: {settings_line}")
    print(f"machine: {machine_line}")
    print()
    if results and results[0].stats:
        print(kinds_table(results[0]))
        print()
    print(HEADER)
    for result in results:
        print(phase_row(result))
    print()
    print("Notes:")
    for result in results:
        print(details(result))
    print()
    failed = [result.name for result in results if not result.ok]
    if failed:
        print(f"FAILED: {', '.join(failed)}")
    if len(results) < phases:
        print(f"INCOMPLETE: {len(results)} of {phases} phases ran.")
    elif not failed:
        print("All phases passed: no 5xx, nothing lost, counters true, search in step, no deadlock.")
