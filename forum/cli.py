"""Command line (`flask --app run ...`): init, seed-demo, create-user, create-token, search, export."""
import getpass
import sys

import click
from flask.cli import with_appcontext

from forum import search
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Role, User
from forum import demo
from forum.demo.accounts import DEMO_PASSWORD
from forum.events.commands import events_group
from forum.reports import formats
from forum.services import reference, tokens, users
from forum.services.guides import install_default_guides
from moderation.services import install_default_watched_words


def _fail(error):
    """Turn a domain error into a clear CLI message (`Error: field: message`) and exit status 1."""
    details = "; ".join(f"{name}: {message}" for name, message in error.fields.items())
    raise click.ClickException(details or str(error.message or error.code))


@click.command("init")
@click.option("--demo-if-new", is_flag=True, help="Also load the small demo data into a database without accounts.")
@with_appcontext
def init_command(demo_if_new):
    """Load or update the reference lists (districts, agencies, categories) and the default guides."""
    is_new = not db.session.query(User.query.exists()).scalar()
    reference.load_reference_data()
    added = install_default_watched_words()
    guides_added = install_default_guides()
    click.echo(f"Reference data loaded; {added} default watched words and {guides_added} default guides added.")
    if demo_if_new and is_new:
        demo.seed("small", progress=lambda items, label: click.progressbar(items, label=label))
        click.echo(f"New database: demo data loaded (password for demo accounts: {DEMO_PASSWORD}).")


@click.command("seed-demo")
@click.option("--size", type=click.Choice(["small", "large"]), default="small", show_default=True)
@with_appcontext
def seed_demo_command(size):
    """Load Tangerang Selatan demo data (idempotent)."""
    reference.load_reference_data()
    install_default_watched_words()
    demo.seed(size, progress=lambda items, label: click.progressbar(items, label=label))
    click.echo(f"Demo data ({size}) loaded.")
    if size == "large":  # tens of thousands of new documents: faster rebuilt than applied one by one
        _rebuild_search_index()


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(Role.ALL), required=True)
@click.option("--agency", "agency_code", help="Agency code (required for officials).")
@click.option("--district", "district_code", help="Kelurahan code, e.g. pondok-aren.pondok-betung (required for desk officers).")
@click.option("--password", help="Password; asked for when omitted.")
@click.option("--name", "display_name", help="Display name.")
@with_appcontext
def create_user_command(email, role, agency_code, district_code, password, display_name):
    """Create a verified account and print its id."""
    if agency_code and role != Role.OFFICIAL:
        # Only officials belong to an agency; saying so beats silently dropping it.
        raise click.UsageError("--agency is only for officials (--role official).")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = users.create_user(email, role, password, display_name, agency_code, district_code)
    except DomainError as error:
        db.session.rollback()
        _fail(error)
    click.echo(user.id)


@click.command("create-token")
@click.argument("email")
@click.option("--name", "label", default="cli", show_default=True, help="A label for the token.")
@with_appcontext
def create_token_command(email, label):
    """Print a new personal API token for EMAIL (shown once, stored hashed)."""
    user = User.query.filter_by(email=users.normalize_email(email), deleted_at=None).one_or_none()
    if user is None:
        raise click.ClickException(f"No account with e-mail {email}.")
    try:
        _row, raw = tokens.create_token(user, user, label)
    except DomainError as error:
        db.session.rollback()
        _fail(error)
    click.echo(raw)


@click.group("search")
def search_group():
    """Keep the search index in step with the database."""


@search_group.command("rebuild")
@with_appcontext
def search_rebuild_command():
    """Rebuild the index from the database and swap it in atomically."""
    _rebuild_search_index()


def _rebuild_search_index():
    with click.progressbar(length=1, label="Indexing") as bar:
        def progress(done, total):
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        count = search.rebuild(on_progress=progress)
    click.echo(f"Search index rebuilt: {count} documents.")


@search_group.command("sync")
@click.option("--follow", is_flag=True, help="Keep applying new outbox rows (a node with its own index).")
@click.option("--seconds", type=click.FloatRange(min=0), default=None,
              help="With --follow: stop after this many seconds (default: run until stopped).")
@with_appcontext
def search_sync_command(follow, seconds):
    """Apply pending outbox rows to the index (rebuilding it if it is missing)."""
    duration = (seconds if seconds is not None else float("inf")) if follow else None
    applied = search.sync(follow_seconds=duration,
                          on_rebuild=lambda: click.echo("No usable index: rebuilding it first."))
    click.echo(f"Search index in step: {applied} outbox rows applied.")


@search_group.command("verify")
@with_appcontext
def search_verify_command():
    """Compare index and database; exit status 1 on any difference."""
    try:
        result = search.verify()
    except search.IndexUnavailable as error:
        raise click.ClickException(f"{error}: run `search rebuild`.") from None
    for line in result.differences():
        click.echo(line)
    if result.pending:
        click.echo(f"{result.pending} outbox rows not applied yet (`search sync`).")
    if not result.ok:
        raise SystemExit(1)
    click.echo("Search index matches the database.")


@search_group.command("prune")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Keep rows this many days (default: SEARCH_OUTBOX_KEEP_DAYS).")
@with_appcontext
def search_prune_command(days):
    """Delete outbox rows the index has applied and that are older than the retention."""
    try:
        deleted = search.prune(keep_days=days)
    except search.IndexUnavailable as error:
        raise click.ClickException(f"{error}: run `search rebuild`.") from None
    click.echo(f"Search outbox pruned: {deleted} rows deleted.")


@click.group("export")
def export_group():
    """Feedback exports (forum/services/summaries.py)."""


@export_group.command("policy")
@click.argument("policy_id", type=int)
@click.option("--format", "format_name", type=click.Choice(formats.names(formats.CONSULTATION)), required=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, writable=True), required=True,
              help="File to write.")
@click.option("--with-personal-data", is_flag=True, help="Include names and e-mail addresses (audited).")
@click.option("--reason", default="Export on the server's command line", show_default=True,
              help="Why personal data is needed; recorded in the audit log.")
@with_appcontext
def export_policy_command(policy_id, format_name, out_path, with_personal_data, reason):
    """Write the feedback export of one consultation to a file, with a progress bar."""
    from forum.reports.rows import count_rows
    from forum.reports.scope import SummaryFilters
    from forum.services import summaries

    try:
        policy = summaries.operator_policy(policy_id)
        with click.progressbar(length=count_rows(policy, SummaryFilters()), label="Comments",
                               file=sys.stderr) as bar:
            export = summaries.operator_export(policy_id, format_name, with_personal_data=with_personal_data,
                                               reason=reason, operator=getpass.getuser(), progress=bar.update)
            export.save(out_path)
    except DomainError as error:
        _fail(error)
    click.echo(f"Written {out_path}")


COMMANDS = (init_command, seed_demo_command, create_user_command, create_token_command, search_group,
            export_group, events_group)


def init_app(app):
    for command in COMMANDS:
        app.cli.add_command(command)
