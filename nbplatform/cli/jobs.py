"""``nbplatform jobs run|list|show|pause|resume|delete|backfill|render``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from pathlib import Path

import yaml

from ..config import Settings
from ..jobs.context import JobsContext
from ..jobs.cronjob import ClusterSettings, build_cronjob, build_kustomization, build_rbac, logical_date_from_job
from ..jobs.errors import AccessDenied, JobError, JobSpecError
from ..jobs.schedule import backfill_slots, next_slot, slot_key
from ..jobs.spec import JobSpec
from ..jobs.store import new_run_id
from ..profiles import ProfileRegistry
from ..profiles.podshape import pod_shape
from .messages import CATALOG, message
from .promote import current_user

DEFAULT_NAMESPACE = "nbplatform-jobs"
DEFAULT_RUNS_URL = "gs://CHANGE-ME-runs/runs"
DEFAULT_SNAPSHOTS_URL = "gs://CHANGE-ME-runs/snapshots"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("jobs", help=message("help-jobs"))
    commands = parser.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    name_help = message("help-jobs-name")

    run = commands.add_parser("run", help=message("help-jobs-run"))
    run.add_argument("name", help=name_help)
    run.add_argument("--logical-date", help=message("help-jobs-logical-date"))
    run.add_argument("--logical-date-from-job", action="store_true", help=message("help-jobs-logical-date-from-job"))
    run.add_argument("--run-id", help=argparse.SUPPRESS)
    run.add_argument("--trigger", default="manual", choices=["manual", "schedule", "backfill", "kubernetes"], help=argparse.SUPPRESS)
    run.add_argument("--attempts", type=int, help=message("help-jobs-attempts"))
    run.set_defaults(func=cmd_run)

    listing = commands.add_parser("list", help=message("help-jobs-list"))
    listing.add_argument("--json", action="store_true", help=message("help-jobs-json"))
    listing.add_argument("--all", action="store_true", help=message("help-jobs-all"))
    listing.set_defaults(func=cmd_list)

    show = commands.add_parser("show", help=message("help-jobs-show"))
    show.add_argument("name", help=name_help)
    show.add_argument("--runs", type=int, default=10, help=message("help-jobs-runs"))
    show.set_defaults(func=cmd_show)

    for action in ("pause", "resume", "delete"):
        sub = commands.add_parser(action, help=message(f"help-jobs-{action}"))
        sub.add_argument("name", help=name_help)
        sub.set_defaults(func=cmd_set_state, action=action)

    backfill = commands.add_parser("backfill", help=message("help-jobs-backfill"))
    backfill.add_argument("name", help=name_help)
    backfill.add_argument("--from", dest="start", required=True, help=message("help-jobs-from"))
    backfill.add_argument("--to", dest="end", required=True, help=message("help-jobs-to"))
    backfill.set_defaults(func=cmd_backfill)

    render = commands.add_parser("render", help=message("help-jobs-render"))
    render.add_argument("--output", type=Path, help=message("help-jobs-output"))
    render.add_argument(
        "--namespace", default=os.environ.get("NBPLATFORM_JOBS_NAMESPACE", DEFAULT_NAMESPACE),
        help=message("help-jobs-namespace", default=DEFAULT_NAMESPACE),
    )
    render.add_argument("--service-account", default=os.environ.get("NBPLATFORM_JOBS_SERVICE_ACCOUNT", "nbplatform-jobs"),
                        help=message("help-jobs-service-account"))
    render.add_argument(
        "--runs-url", default=os.environ.get("NBPLATFORM_RUNS_URL", DEFAULT_RUNS_URL),
        help=message("help-jobs-runs-url", default=DEFAULT_RUNS_URL),
    )
    render.add_argument(
        "--snapshots-url", default=os.environ.get("NBPLATFORM_SNAPSHOTS_URL", DEFAULT_SNAPSHOTS_URL),
        help=message("help-jobs-snapshots-url", default=DEFAULT_SNAPSHOTS_URL),
    )
    render.add_argument("--image", default=os.environ.get("NBPLATFORM_JOBS_IMAGE"), help=message("help-jobs-image"))
    render.set_defaults(func=cmd_render)


def _context() -> JobsContext:
    return JobsContext(Settings.from_env())


def parse_instant(text: str, spec: JobSpec) -> dt.datetime:
    """Parse ISO 8601; a time without offset or a bare date is read in the job's time zone."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise JobError(CATALOG.message("jobs-invalid-date", text=text)) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=spec.zone)
    return value


def _check_owner(spec: JobSpec) -> None:
    user = os.environ.get("JUPYTERHUB_USER")
    if user and user != spec.owner:
        raise AccessDenied(CATALOG.message("jobs-not-owner", name=spec.name, owner=spec.owner, user=user))


def cmd_run(args: argparse.Namespace) -> int:
    from ..jobs.runner import run_job  # Papermill takes seconds to import; only runs need it.

    context = _context()
    spec = context.specs.get(args.name)
    if args.logical_date_from_job:
        from ..jobs.k8s import read_own_job

        job_name = os.environ.get("NBPLATFORM_K8S_JOB_NAME", "")
        namespace = os.environ.get("NBPLATFORM_K8S_NAMESPACE", "default")
        logical_date = parse_instant(logical_date_from_job(read_own_job(job_name, namespace)), spec)
    elif args.logical_date:
        logical_date = parse_instant(args.logical_date, spec)
    else:
        logical_date = dt.datetime.now(dt.timezone.utc)
    record = run_job(
        spec, snapshots=context.snapshots, store=context.store_for(spec), logical_date=logical_date,
        trigger=args.trigger, max_attempts=args.attempts, alerts=context.alerts, run_id=args.run_id,
        fallback=context.store_for(),
    )
    print(message("jobs-run-result", run_id=record.run_id, status=record.status, seconds=record.duration_seconds))
    if record.output_notebook:
        print(message("jobs-run-output", path=record.output_notebook))
    if record.status != "succeeded":
        print(message("jobs-run-error", name=record.error_name, message=record.error_message, cell=record.error_cell))
        return 1
    return 0


def job_summary(context: JobsContext, spec: JobSpec, now: dt.datetime) -> dict:
    runs = context.history_for(spec).list_runs(spec.name, limit=1)
    last = runs[0] if runs else None
    return {
        "name": spec.name,
        "owner": spec.owner,
        "schedule": spec.schedule,
        "timezone": spec.timezone,
        "paused": spec.paused,
        "next_run": None if spec.paused else next_slot(spec.schedule, spec.zone, now).astimezone(spec.zone).isoformat(),
        "last_status": last.status if last else None,
        "last_run": last.logical_date.isoformat() if last else None,
    }


def cmd_list(args: argparse.Namespace) -> int:
    context = _context()
    now = dt.datetime.now(dt.timezone.utc)
    user = os.environ.get("JUPYTERHUB_USER")
    specs = [s for s in context.specs.load_all().values() if args.all or not user or s.owner == user]
    rows = [job_summary(context, spec, now) for spec in specs]
    # Spec errors come from pydantic and jobs.spec in English only.
    for error in context.specs.errors.values():
        print(message("jobs-warning", message=error))
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    print(f"{'NAME':30} {'OWNER':12} {'SCHEDULE':16} {'NEXT RUN':27} LAST")
    for row in rows:
        next_run = "paused" if row["paused"] else row["next_run"]
        print(f"{row['name']:30} {row['owner']:12} {row['schedule']:16} {next_run:27} {row['last_status'] or '-'}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    context = _context()
    spec = context.specs.get(args.name)
    print(context.specs.path_for(spec.name).read_text(encoding="utf-8"))
    print(message("jobs-recent-runs"))
    for record in context.history_for(spec).list_runs(spec.name, limit=args.runs):
        duration = f"{record.duration_seconds:.1f} s" if record.duration_seconds is not None else "-"
        error = f" {record.error_name} (cell {record.error_cell})" if record.error_name else ""
        print(f"  {record.run_id}  {record.logical_date.isoformat()}  {record.status:11} {duration:>9}{error}")
        if record.output_location:
            print(f"      {record.error_message}")
        if record.output_html:
            print(f"      {record.output_html}")
    return 0


def cmd_set_state(args: argparse.Namespace) -> int:
    context = _context()
    spec = context.specs.get(args.name)
    _check_owner(spec)
    if args.action == "delete":
        context.specs.delete(spec.name)
        print(message("jobs-deleted", name=spec.name, url=context.store_for(spec).base_url))
        return 0
    updated = spec.model_copy(update={"paused": args.action == "pause"})
    context.specs.write(updated)
    print(message("jobs-paused" if updated.paused else "jobs-resumed", name=spec.name))
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    context = _context()
    spec = context.specs.get(args.name)
    _check_owner(spec)
    start, end = parse_instant(args.start, spec), parse_instant(args.end, spec)
    if end < start:
        raise JobError(CATALOG.message("jobs-backfill-order", end=args.end, start=args.start))
    slots = backfill_slots(spec.schedule, spec.zone, start, end)
    from ..jobs.runner import run_job  # Papermill takes seconds to import; only runs need it.

    print(message("jobs-backfilling", count=len(slots), name=spec.name))
    failures = 0
    for slot in slots:
        run_id = new_run_id(slot)
        if not context.claims.claim(spec.name, slot_key(slot), owner=f"backfill:{current_user()}", run_id=run_id):
            print(message("jobs-slot-skipped", slot=slot.astimezone(spec.zone).isoformat()))
            continue
        record = run_job(
            spec, snapshots=context.snapshots, store=context.store_for(spec), logical_date=slot,
            trigger="backfill", alerts=context.alerts, run_id=run_id, fallback=context.store_for(),
        )
        failures += record.status != "succeeded"
        slot_text = slot.astimezone(spec.zone).isoformat()
        print(message("jobs-slot-result", slot=slot_text, status=record.status, run_id=record.run_id))
    return 1 if failures else 0


def cmd_render(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    context = JobsContext(settings)
    output = args.output or settings.jobs_dir
    cluster = ClusterSettings(
        namespace=args.namespace, service_account=args.service_account, runs_url=args.runs_url,
        snapshots_url=args.snapshots_url, default_image=args.image,
    )
    profiles = ProfileRegistry(settings.profiles_dir)

    specs = context.specs.load_all()
    if context.specs.errors:
        raise JobSpecError("\n".join(context.specs.errors.values()))
    # Build every object before writing any, so an invalid spec leaves the previous rendering intact.
    documents: dict[str, dict] = {}
    for spec in specs.values():
        profile = profiles.get(spec.profile) if spec.profile else profiles.default_for([], True)
        if profile is None:
            raise JobSpecError(
                CATALOG.message(
                    "jobs-render-unknown-profile", path=context.specs.path_for(spec.name), value=spec.profile,
                    slugs=", ".join(p.slug for p in profiles.profiles),
                )
            )
        documents[f"{spec.name}.cronjob.yaml"] = build_cronjob(spec, pod_shape(profile), cluster)

    rendered = output / "rendered"
    rendered.mkdir(parents=True, exist_ok=True)
    for stale in rendered.glob("*.cronjob.yaml"):
        if stale.name not in documents:
            stale.unlink()

    cronjob_files = []
    for filename, document in documents.items():
        (rendered / filename).write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        cronjob_files.append(f"rendered/{filename}")

    (rendered / "rbac.yaml").write_text(yaml.safe_dump_all(build_rbac(cluster), sort_keys=False), encoding="utf-8")
    spec_files = [os.path.relpath(context.specs.path_for(name), output) for name in specs]
    kustomization = build_kustomization(cronjob_files, spec_files, cluster)
    (output / "kustomization.yaml").write_text(yaml.safe_dump(kustomization, sort_keys=False), encoding="utf-8")
    print(message("jobs-rendered", count=len(cronjob_files), directory=rendered, kustomization=output / "kustomization.yaml"))
    return 0
