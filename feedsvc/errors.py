"""Every error feedsvc raises on purpose, in one tree, so callers catch what they can handle.

    FeedsvcError
     ├── ReadError              a file could not be read or parsed: a line in the scan report
     │    ├── NotAnArticle        nothing to publish (empty file, unsupported type): skipped
     │    ├── MediaError          a path that is not a published media file
     │    ├── TimeLimitExceeded   reading one file took longer than FEEDSVC_READ_TIMEOUT
     │    ├── ReaderDied          the process reading one file ended without an answer
     │    └── UnexpectedError     a bug met reading one file: reported for it, the scan goes on
     ├── QueryError             a feed's query parameter is wrong: an HTTP 400
     ├── ReadersUnavailable     no process to read files can be started (the service stops): retried
     ├── CatalogError           the catalog (FEEDSVC_DATABASE) cannot be used
     │    └── CatalogUnavailable  its PostgreSQL cannot be reached for now: a 503, retried
     └── ExportError            `feedsvc build` could not write the site
    ValueError
     └── ConfigError            a setting the service cannot run with: it does not start
          └── PodcastConfigError  a [podcast] table that cannot be published

Signals that never reach a user stay beside the one module that raises and catches them:
web.ClientGone, limits.Refused, websub.RequestError, hub_http.HubRequestError and
server.ListenError.

Messages about a file's text name the value they are about last, after VALUE_MARK.
"""

from __future__ import annotations

# Where a message about a file's text names the value it is about: always last, after this
# mark. `feedsvc check` and `feedsvc scan` show the whole message to the publisher; /status,
# which anyone may read, shows it without_value: the value may be a draft's text.
VALUE_MARK = ", got "


def with_value(problem: str, value: object, limit: int = 60) -> str:
    """A problem ('field: what is wrong') with the value it is about, cut to limit characters."""
    return f"{problem}{VALUE_MARK}{str(value)[:limit]!r}"


def without_value(message: str) -> str:
    """The problem without the value: everything before the first mark, which came from us."""
    return message.split(VALUE_MARK, 1)[0]


class FeedsvcError(Exception):
    """Base of every error the service raises on purpose."""


class ReadError(FeedsvcError):
    """An article file could not be read or parsed."""


class NotAnArticle(ReadError):
    """The file holds no article to read: it is skipped, not an error."""


class MediaError(ReadError):
    """A path that is not a published media file; the reason says why."""


class TimeLimitExceeded(ReadError):
    """A file was still being read when its time limit passed: limit seconds of processor
    time, or wall_factor times that on the clock when given."""

    def __init__(self, limit: float, wall_factor: int | None = None):
        took = (f"more than {limit * wall_factor:g} s on the clock ({wall_factor} times "
                if wall_factor else f"more than {limit:g} s of processor time (")
        super().__init__(f"reading took {took}the time limit per file, FEEDSVC_READ_TIMEOUT); "
                         "it was stopped")


class ReaderDied(ReadError):
    """The child process reading a file ended without an answer (killed, out of memory)."""

    def __init__(self, exitcode: int | None):
        super().__init__(f"the process reading this file ended unexpectedly (exit code {exitcode})")


class UnexpectedError(ReadError):
    """A bug met while reading one file: reported for that file, the scan goes on."""


class QueryError(FeedsvcError):
    """A parameter has a value the feed cannot be built from (an HTTP 400)."""

    def __init__(self, parameter: str, rule: str, value: str | None = None):
        message = f"{parameter}: {rule}"
        super().__init__(with_value(message, value) if value is not None else message)
        self.parameter = parameter


class CatalogError(FeedsvcError):
    """The catalog cannot be used; the message names FEEDSVC_DATABASE and the fix."""


class ReadersUnavailable(FeedsvcError):
    """No process to read files could be started: the service is being stopped (its process
    group signalled, the fork server gone with it) or the system refuses new processes. The
    scan is left undone, the catalog as it was; the next one tries again."""


class CatalogUnavailable(CatalogError):
    """The catalog's PostgreSQL cannot be reached for now: what is cached is still served,
    what is not is answered 503, and every use tries again."""


class ExportError(FeedsvcError):
    """The site could not be written; the output folder keeps its previous files."""


class ConfigError(ValueError):
    """A setting has a value the service cannot run with."""


class PodcastConfigError(ConfigError):
    """A [podcast] table that cannot be published; the message names the key and the fix."""
