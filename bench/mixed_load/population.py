"""Who the simulated users are: how many of each kind for a given total.

Read by the orchestrator (which creates one account per signed-in user) and
by the locustfile (which gives each user its own account), so both agree.
Plain Python: the locustfile runs in its own virtualenv without the app.
"""

# Shares of the total; the visitors take what is left.
SHARES = {
    "api_resident": 0.25,    # residents using the API with their own token
    "browser_resident": 0.15,  # residents signed in with a browser: session cookie and CSRF token
    "official": 0.075,       # agency officials answering comments and aspirations (API)
    "moderator": 0.075,      # moderators deciding review items and forwarding aspirations (API)
}
ACCOUNT_KINDS = tuple(SHARES)


def population(users):
    """{kind: count} for `users` simulated users: at least one of each kind, visitors the rest."""
    if users < len(SHARES) + 1:
        raise ValueError(f"the mixed load needs at least {len(SHARES) + 1} users")
    counts = {kind: max(1, round(users * share)) for kind, share in SHARES.items()}
    counts["visitor"] = users - sum(counts.values())
    return counts


def residents(users):
    """How many resident accounts `users` simulated users need (API and browser residents)."""
    counts = population(users)
    return counts["api_resident"] + counts["browser_resident"]
