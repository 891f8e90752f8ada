"""Musyawarah: the participation forum's app factory."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import load_config


def create_app(config=None):
    """Build the app from a config class, instance, or name (default: env)."""
    if config is None or isinstance(config, str):
        config = load_config(config)
    elif isinstance(config, type):
        config = config()
    config.finalize()

    app = Flask(
        __name__,
        instance_path=config.INSTANCE_DIR,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(config)
    _trust_proxies(app, app.config["TRUSTED_PROXIES"])

    _bind_extensions(app)
    _register_blueprints(app)

    from forum import activity, cli, errorpages, page_cache, search, web

    activity.install()
    page_cache.init_app(app)
    search.init_app(app)
    web.init_app(app)
    errorpages.init_app(app)
    cli.init_app(app)
    return app


def _trust_proxies(app, count):
    """Behind `count` proxies, take the client's address and scheme from what they forward.

    Each proxy appends the address it was reached from to X-Forwarded-For, so
    only the last `count` entries are believed: a client cannot slip an
    address of its choosing in front of them. The scheme (X-Forwarded-Proto)
    makes links in e-mails `https`. X-Forwarded-Host is not believed: a proxy
    that does not set it would let a client choose the host of those links;
    the proxy passes the Host header on instead.
    """
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0)


def _bind_extensions(app):
    from forum import i18n, sessions
    from forum.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    sessions.init_app(app, login_manager)
    import forum.models  # noqa: F401  (every table known to SQLAlchemy and Alembic)
    import moderation.models  # noqa: F401
    import forum.services.notification_mail  # noqa: F401  (mails notifications after commit)

def _register_blueprints(app):
    from forum.account import bp as account_bp
    from forum.admin import bp as admin_bp
    from forum.api import bp as api_bp
    from forum.aspirations import bp as aspirations_bp, desk_bp as aspiration_desk_bp
    from forum.aspirations import screening_bp as aspiration_screening_bp
    from forum.auth import bp as auth_bp
    from forum.consultations import bp as consultations_bp
    from forum.desk import bp as desk_bp, tracking_bp
    from forum.drafting import bp as drafting_bp, files_bp as attachments_bp
    from forum.guides import bp as guides_bp
    from forum.events import bp as events_bp
    from forum.main import bp as main_bp
    from forum.notifications import bp as notifications_bp
    from forum.organizations import bp as organizations_bp
    from forum.search_pages import bp as search_pages_bp
    from forum.summaries import bp as summaries_bp
    from forum.surveys import bp as surveys_bp, builder_bp as survey_builder_bp
    from moderation.desk import bp as moderation_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/akun")
    app.register_blueprint(account_bp, url_prefix="/profil")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(moderation_bp, url_prefix="/moderasi")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(consultations_bp, url_prefix="/konsultasi")
    app.register_blueprint(drafting_bp, url_prefix="/dinas")
    app.register_blueprint(attachments_bp)
    app.register_blueprint(notifications_bp, url_prefix="/notifikasi")
    app.register_blueprint(search_pages_bp)
    app.register_blueprint(surveys_bp, url_prefix="/survei")
    app.register_blueprint(survey_builder_bp, url_prefix="/dinas/survei")
    app.register_blueprint(summaries_bp)
    app.register_blueprint(guides_bp)
    app.register_blueprint(aspirations_bp, url_prefix="/aspirasi")
    app.register_blueprint(aspiration_desk_bp, url_prefix="/dinas/aspirasi")
    app.register_blueprint(aspiration_screening_bp, url_prefix="/moderasi/aspirasi")
    app.register_blueprint(organizations_bp, url_prefix="/organisasi")
    app.register_blueprint(desk_bp, url_prefix="/layanan")
    app.register_blueprint(tracking_bp)
    app.register_blueprint(events_bp, url_prefix="/kegiatan")
