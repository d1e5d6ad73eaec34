"""`netral worker`: run background jobs and the periodic ones (netral/jobs/worker.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from netral.jobs.worker import priorities_lower, worker_run


class Command(BaseCommand):
    help = (
        "Run background jobs (imports, certificate batches, mails) and the periodic ones "
        "(deadline watch, tally fold). Start one or more beside the web server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="run the jobs that are due now, then exit (cron, tests)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            metavar="SECONDS",
            help="how long to wait for new jobs when the queue is empty (database backend)",
        )
        parser.add_argument(
            "--queues",
            default="*",
            help=(
                "comma-separated queues: default (mails, sign-in codes, the deadline watch, "
                "the tally fold), bulk (imports, certificate batches, captures, feed polls); "
                "default: both"
            ),
        )
        parser.add_argument("--worker-id", default=None, help="unique id (default: generated)")

    def handle(self, *args: Any, **options: Any) -> None:
        # Before any thread or child process starts, so that they all inherit it.
        priorities_lower(settings.NETRAL_WORKER_NICE)
        worker_run(
            batch=options["batch"],
            interval=options["interval"],
            queues=options["queues"],
            worker_id=options["worker_id"],
            handle_signals=True,
        )
