"""Moderation: the gate every submission passes (`screen`, `filters`) and its domain.

The domain (intake, flags, queue, decisions, sanctions, appeals, audit,
transparency) is importable by services without pulling in views; the
moderators' desk blueprint lives apart in `moderation.desk`.
"""
