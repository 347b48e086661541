"""南阳市政务数据开放平台 — the Flask application factory."""

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    import os

    app = Flask(__name__, instance_path=os.environ.get("PORTAL_INSTANCE_PATH") or str(ROOT / "instance"),
                instance_relative_config=True, template_folder=str(ROOT / "templates"))
    from . import config

    config.apply(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY 未配置：请先运行 `portal init` 生成实例配置，或设置 PORTAL_SECRET_KEY")

    from . import errors, extensions, i18n, jobs

    extensions.db.init_app(app)
    extensions.csrf.init_app(app)
    extensions.login_manager.init_app(app)
    extensions.init_limiter(app)
    i18n.init_app(app)
    jobs.init_app(app)
    errors.register(app)

    from .api import applications as applications_api
    from .api import auth, caching, ckan, v1
    from .api import data_requests as data_requests_api
    from .api import error_reports as error_reports_api
    from .api import objections as objections_api
    from .views import (
        account,
        admin,
        applications,
        casework,
        catalog,
        console,
        data_requests,
        downloads,
        error_reports,
        feedback,
        inbox,
        metadata,
        objections,
        verify,
    )

    auth.init_app(app)
    for blueprint in (
        metadata.bp,  # DCAT: /catalog (negotiated), /catalog.ttl|.jsonld|.rdf, /datasets/<name>.ttl|.jsonld|.rdf
        catalog.bp,  # /, /datasets, /departments
        account.bp,  # /login, /register, /account, /password
        console.bp,  # /console: publishing, download log
        admin.bp,  # /admin: users, suspensions, identity verification queue
        verify.bp,  # /verify, public key, signatures (art. 47)
        downloads.bp,  # resource and package downloads, tokens, download history
        applications.bp,  # conditional-access applications (art. 46)
        objections.bp,  # catalog objections (art. 45), catalog changes and their history
        error_reports.bp,  # data error reports (arts. 64–65)
        data_requests.bp,  # data requests and their public list
        feedback.bp,  # ratings and comments (art. 50), moderation
        casework.bp,  # one queue for the department, "my cases"
        inbox.bp,  # /account/inbox: notifications, unread count in the navigation
        v1.bp,  # /api/v1
        applications_api.bp,  # /api/v1/applications
        objections_api.bp,  # /api/v1/objections
        error_reports_api.bp,  # /api/v1/error-reports
        data_requests_api.bp,  # /api/v1/data-requests
        ckan.bp,  # /api/3/action (CKAN)
    ):
        app.register_blueprint(blueprint)
    extensions.csrf.exempt(ckan.bp)  # read-only JSON actions, no session state changes
    for bearer_only in (applications_api.bp, objections_api.bp, error_reports_api.bp, data_requests_api.bp):
        extensions.csrf.exempt(bearer_only)  # writes need Authorization: Bearer, not a cookie: no CSRF
    caching.init_app(app, (v1.bp, applications_api.bp, objections_api.bp, error_reports_api.bp, data_requests_api.bp,
                           ckan.bp))
    from .services import identity

    with app.app_context():
        identity.verifier()  # a wrong IDENTITY_VERIFIER fails here, at start, not at the first registration
    return app
