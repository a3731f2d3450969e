"""The Flask app: create_app wires the parts of this package together.

    paths        the feed formats (listed once) and slugs, as URLs spell them
    conditional  conditional requests and negotiation, pure functions of header values
    cache        rendered documents, how a cached one is answered, the WSGI front
    service      the state of one serving process (settings, catalog, cache, metrics)
    meta         what feeds and listings say about themselves: links, metadata, paging
    hooks        around every request: snapshot, metrics, redirects, error answers
    feeds, pages, ops   the blueprints
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from .. import media_route
from ..config import Settings, load_settings
from . import feeds, hooks, ops, pages
from .cache import CachedFront
from .paths import SlugConverter
from .service import Service

PACKAGE_ROOT = Path(__file__).parent.parent  # where templates/ and static/ are


def create_app(settings: Settings | None = None, *, scheduler: bool = False, export: bool = False,
               metrics_dir: Path | None = None) -> Flask:
    """Create the app serving settings (default: read from feedsvc.toml and FEEDSVC_*).

    scheduler: this process scans on the schedule (a `feedsvc serve` worker).
    export: the app renders a static copy of the site (Service).
    metrics_dir: the folder where every worker of a server keeps its metric values.
    """
    if settings is None:
        settings = load_settings()
    app = Flask(__name__, root_path=str(PACKAGE_ROOT))
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True  # tidy page source
    app.url_map.converters["slug"] = SlugConverter
    svc = app.extensions["feedsvc"] = Service(settings, export=export, metrics_dir=metrics_dir)
    app.wsgi_app = CachedFront(  # type: ignore[method-assign]
        app.wsgi_app, svc.cache, svc.version, svc.policy, svc.metrics)
    hooks.init_app(app)
    for blueprint in (feeds.bp, pages.bp, ops.bp, media_route.bp):
        app.register_blueprint(blueprint)
    if scheduler:
        from ..scheduler import start_scheduler  # file watching loads only where scans are scheduled

        app.extensions["feedsvc_scheduler"] = start_scheduler(settings)
    if settings.websub_hub:
        from ..websub import init_app as init_websub  # the hub's modules load only when configured

        init_websub(app)
    return app
