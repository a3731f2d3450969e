"""One log format for everything `feedsvc` writes: its own messages, gunicorn's, the access log.

    2026-05-06 12:00:00,123 [4242] INFO feedsvc.scan: scan: 12 files, ...
    2026-05-06 12:00:01,456 [4242] INFO gunicorn.access: 127.0.0.1 "GET /feeds/atom.xml HTTP/1.1" 200 ...

The process id tells workers apart. APScheduler's notes on every run ("Running job",
"executed successfully") stay out, and so do health probes, which a load balancer or an
orchestrator sends every few seconds. gunicorn takes the format through its logger class,
server.GunicornLogger.
"""

from __future__ import annotations

import logging

LOG_FORMAT = "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"
# The line's start has the time already; the rest is gunicorn's default (Apache's combined
# format) and the time taken to answer.
ACCESS_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
QUIET_LOGGERS = ("apscheduler",)  # INFO lines on every scheduled run: only warnings and errors
PROBE_PATHS = frozenset({"/healthz", "/readyz"})
# A tick that comes while the last scan still runs is skipped (the scan job runs one at a
# time and coalesces missed runs): on a busy machine that is the schedule working as meant,
# not something an operator should act on.
SCHEDULE_SKIPS = {
    "apscheduler.scheduler": 'Execution of job "%s" skipped: maximum number of running',
    "apscheduler.executors.default": 'Run time of job "%s" was missed by',
}


class _DropMessage(logging.Filter):
    def __init__(self, template_start: str) -> None:
        super().__init__()
        self.template_start = template_start

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.template_start)


def configure_logging(level: int = logging.INFO) -> None:
    """Send this process's log records to stderr in the one format."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name, template_start in SCHEDULE_SKIPS.items():
        scheduler_logger = logging.getLogger(name)
        if not any(isinstance(known, _DropMessage) for known in scheduler_logger.filters):
            scheduler_logger.addFilter(_DropMessage(template_start))
