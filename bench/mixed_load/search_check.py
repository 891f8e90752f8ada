"""`search sync` then `search verify` for several index directories in one process.

    python -m bench.mixed_load.search_check INDEX_DIR [INDEX_DIR ...]

The same functions as `flask search sync` and `flask search verify`
(forum/search), run once per node's directory without starting the app
once per command: the checks run after every phase. Prints what differs;
exit status 1 when any directory does not match the database.
"""
import sys

from forum import create_app, search


def check(index_dir):
    """Sync, then verify `index_dir`; (ok, what was found)."""
    applied = search.sync(index_dir=index_dir)
    try:
        result = search.verify(index_dir=index_dir)
    except search.IndexUnavailable as error:
        return False, f"{index_dir}: {error}"
    lines = [f"{index_dir}: {applied} outbox rows applied"]
    lines += [f"  {line}" for line in result.differences()]
    if result.pending:
        lines.append(f"  {result.pending} outbox rows not applied yet")
    lines.append("  matches the database" if result.ok else "  DIFFERS from the database")
    return result.ok, "\n".join(lines)


def main():
    app = create_app()
    ok = True
    with app.app_context():
        for index_dir in sys.argv[1:]:
            matched, text = check(index_dir)
            print(text)
            ok = ok and matched
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
