"""The ``nbplatform promote`` and ``nbplatform jobs`` commands through the real entry point."""

from __future__ import annotations

import json

import pytest

from nbplatform.cli.main import main


@pytest.fixture
def env(context, monkeypatch):
    monkeypatch.setenv("NBPLATFORM_DATA_DIR", str(context.settings.data_dir))
    monkeypatch.setenv("NBPLATFORM_JOBS_DIR", str(context.settings.jobs_dir))
    monkeypatch.setenv("NBPLATFORM_PROFILES_DIR", str(context.settings.profiles_dir))
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    monkeypatch.delenv("NBPLATFORM_RUNS_URL", raising=False)
    monkeypatch.delenv("NBPLATFORM_SNAPSHOTS_URL", raising=False)
    return context


def test_promote_writes_job(env, notebooks, capsys):
    code = main(["promote", str(notebooks / "typed.ipynb"), "--name", "typed", "--schedule", "0 7 * * *",
                 "-p", "window", "[1, 9]", "-p", "label", "42"])
    assert code == 0
    spec = env.specs.get("typed")
    assert spec.owner == "alice"
    assert spec.parameters == {"window": [1, 9], "label": "42"}
    assert "Promoted typed.ipynb" in capsys.readouterr().out


def test_promote_without_parameters_cell(env, notebooks, capsys):
    code = main(["promote", str(notebooks / "no_parameters.ipynb"), "--name", "bare", "--schedule", "0 7 * * *"])
    assert code == 1
    assert "no cell tagged 'parameters'" in capsys.readouterr().err
    assert not env.specs.path_for("bare").exists()


def test_promote_wrong_type(env, notebooks, capsys):
    code = main(["promote", str(notebooks / "typed.ipynb"), "--name", "typed", "--schedule", "0 7 * * *", "-p", "verbose", "maybe"])
    assert code == 1
    assert "which is bool" in capsys.readouterr().err


def test_pause_resume_delete(env, make_spec, capsys):
    make_spec("quick.ipynb", "quick")
    assert main(["jobs", "pause", "quick"]) == 0
    assert env.specs.get("quick").paused is True
    main(["jobs", "list", "--json"])
    listed = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert listed[0]["next_run"] is None
    assert main(["jobs", "resume", "quick"]) == 0
    assert env.specs.get("quick").paused is False
    assert main(["jobs", "delete", "quick"]) == 0
    assert not env.specs.path_for("quick").exists()


def test_other_users_job_rejected(env, make_spec, capsys):
    make_spec("quick.ipynb", "bobs", owner="bob")
    assert main(["jobs", "pause", "bobs"]) == 1
    assert "belongs to 'bob'" in capsys.readouterr().err
    assert env.specs.get("bobs").paused is False


def test_unknown_job(env, capsys):
    assert main(["jobs", "show", "nothing"]) == 1
    assert "No job named 'nothing'" in capsys.readouterr().err


@pytest.mark.slow
def test_run_failure_exit_code(env, make_spec, capsys):
    make_spec("raises.ipynb", "raises")
    assert main(["jobs", "run", "raises", "--logical-date", "2024-01-31"]) == 1
    out = capsys.readouterr().out
    assert "failed" in out
    assert "ValueError" in out
    record = env.store_for().list_runs("raises")[0]
    assert record.logical_date.isoformat() == "2024-01-31T00:00:00+09:00"


@pytest.mark.slow
def test_backfill_runs_in_order(env, make_spec, capsys):
    make_spec("typed.ipynb", "daily", schedule="0 7 * * *")
    code = main(["jobs", "backfill", "daily", "--from", "2024-01-01", "--to", "2024-01-03T23:00"])
    assert code == 0
    runs = env.store_for().list_runs("daily")
    assert [r.logical_date.date().isoformat() for r in reversed(runs)] == ["2024-01-01", "2024-01-02", "2024-01-03"]
    started = [r.started for r in reversed(runs)]
    assert started == sorted(started)
    assert all(r.trigger == "backfill" for r in runs)
    capsys.readouterr()
    # The same slots again are claimed already and are not run twice.
    assert main(["jobs", "backfill", "daily", "--from", "2024-01-01", "--to", "2024-01-03T23:00"]) == 0
    assert "already run or claimed" in capsys.readouterr().out
    assert len(env.store_for().list_runs("daily")) == 3


def test_promote_japanese_file_name(env, notebooks, capsys):
    code = main(["promote", str(notebooks / "日本語レポート.ipynb"), "--name", "japanese", "--schedule", "0 9 * * *",
                 "-p", "空港", "関西"])
    assert code == 0
    spec = env.specs.get("japanese")
    assert spec.parameters == {"空港": "関西"}
    assert spec.notebook.source.endswith("日本語レポート.ipynb")
    assert "空港: 関西" in env.specs.path_for("japanese").read_text(encoding="utf-8")


@pytest.mark.slow
def test_run_logical_date_from_job(env, make_spec, monkeypatch):
    # No Kubernetes API runs here: a stand-in returns the Job object the CronJob controller would create.
    import nbplatform.jobs.k8s as k8s

    requested = []

    def read_own_job(name, namespace):
        requested.append((name, namespace))
        return {"metadata": {"name": name, "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp": "2024-02-29T07:00:00+09:00"}}}

    monkeypatch.setattr(k8s, "read_own_job", read_own_job)
    monkeypatch.setenv("NBPLATFORM_K8S_JOB_NAME", "quick-28490000")
    monkeypatch.setenv("NBPLATFORM_K8S_NAMESPACE", "nbplatform-jobs")
    make_spec("quick.ipynb", "quick")
    assert main(["jobs", "run", "quick", "--logical-date-from-job", "--attempts", "1", "--trigger", "kubernetes"]) == 0
    record = env.store_for().list_runs("quick")[0]
    assert requested == [("quick-28490000", "nbplatform-jobs")]
    assert record.logical_date.isoformat() == "2024-02-29T07:00:00+09:00"
    assert record.trigger == "kubernetes"


def test_list_own_jobs_in_lab_terminal(env, make_spec, capsys):
    make_spec("quick.ipynb", "mine")
    make_spec("quick.ipynb", "theirs", owner="bob")
    main(["jobs", "list", "--json"])
    assert [row["name"] for row in json.loads(capsys.readouterr().out)] == ["mine"]
    main(["jobs", "list", "--json", "--all"])
    assert sorted(row["name"] for row in json.loads(capsys.readouterr().out)) == ["mine", "theirs"]
