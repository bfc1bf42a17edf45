"""Scheduled notebook jobs: spec, promotion, runs, schedule, scheduler, CronJobs and alerts.

Import the submodules directly (``nbplatform.jobs.spec``, ``nbplatform.jobs.runner``);
this package does no work at import time.
"""
