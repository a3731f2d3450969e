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
from typing import Any

from flask import Flask

from .. import media_route
from ..config import load_settings
from ..scheduler import start_scheduler
from . import feeds, hooks, ops, pages
from .cache import CachedFront
from .paths import SlugConverter
from .service import Service

PACKAGE_ROOT = Path(__file__).parent.parent  # where templates/ and static/ are


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app; settings come from defaults, feedsvc.toml, FEEDSVC_* and test_config."""
    app = Flask(__name__, root_path=str(PACKAGE_ROOT))
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True  # tidy page source
    app.url_map.converters["slug"] = SlugConverter
    settings = load_settings(overrides=test_config)
    svc = app.extensions["feedsvc"] = Service(settings)
    app.wsgi_app = CachedFront(  # type: ignore[method-assign]
        app.wsgi_app, svc.cache, svc.version, svc.policy, svc.metrics)
    hooks.init_app(app)
    for blueprint in (feeds.bp, pages.bp, ops.bp, media_route.bp):
        app.register_blueprint(blueprint)
    if settings.run_scheduler:
        app.extensions["feedsvc_scheduler"] = start_scheduler(settings)
    if settings.websub_hub:
        from ..websub import init_app as init_websub  # the hub's modules load only when configured

        init_websub(app)
    return app
