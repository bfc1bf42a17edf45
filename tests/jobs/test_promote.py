"""Promote: notebook checks, typed parameters, kernel check, content-addressed snapshots, re-promotion."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from nbplatform.jobs.errors import AccessDenied, PromoteError
from nbplatform.jobs.kernels import check_local_kernel
from nbplatform.jobs.promote import PromoteRequest, promote
from nbplatform.jobs.snapshot import snapshot_digest
from nbplatform.jobs.store import RunRecord
from nbplatform.profiles import ProfileRegistry


def request(path, **fields):
    values = {"notebook": path, "name": "report", "schedule": "0 7 * * *", "owner": "alice"}
    values.update(fields)
    return PromoteRequest(**values)


def do_promote(context, req, **kwargs):
    return promote(req, specs=context.specs, snapshots=context.snapshots, **kwargs)


def test_no_parameters_cell_rejected(context, notebooks):
    with pytest.raises(PromoteError) as info:
        do_promote(context, request(notebooks / "no_parameters.ipynb"))
    assert info.value.reason == "no-parameters-cell"
    assert "Cell Tags" in info.value.message
    assert not context.specs.path_for("report").exists()


def test_type_mismatch_rejected(context, notebooks):
    with pytest.raises(PromoteError) as info:
        do_promote(context, request(notebooks / "typed.ipynb", parameters={"count": "many"}, parameters_as_text=True))
    assert "which is int" in info.value.message
    assert not context.specs.path_for("report").exists()


def test_missing_kernel_rejected(context, notebooks, tmp_path):
    nb = nbformat.read(notebooks / "quick.ipynb", as_version=4)
    nb.metadata["kernelspec"] = {"name": "julia-1.9", "display_name": "Julia", "language": "julia"}
    path = tmp_path / "julia.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(PromoteError) as info:
        do_promote(context, request(path))
    assert info.value.reason == "kernel-missing"
    assert "'julia-1.9'" in info.value.message
    assert "python3" in info.value.message


def test_installed_kernel_accepted():
    check_local_kernel("python3")


def test_unknown_profile_rejected(context, notebooks):
    profiles = ProfileRegistry(context.settings.profiles_dir)
    with pytest.raises(PromoteError) as info:
        do_promote(context, request(notebooks / "quick.ipynb", profile="huge"), profiles=profiles)
    assert "'huge'" in info.value.message
    assert "small" in info.value.message


def test_spec_written_with_typed_values(context, notebooks):
    spec = do_promote(
        context,
        request(notebooks / "typed.ipynb", parameters={"window": "[7, 8]", "start": "2024-04-01", "ratio": "3"}, parameters_as_text=True),
    )
    assert spec.parameters == {"window": [7, 8], "start": "2024-04-01", "ratio": 3.0}
    assert spec.notebook.kernel == "python3"
    assert context.specs.get("report") == spec


def test_snapshot_ignores_outputs(context, notebooks, tmp_path):
    nb = nbformat.read(notebooks / "quick.ipynb", as_version=4)
    with_output = nbformat.read(notebooks / "quick.ipynb", as_version=4)
    with_output.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="45\n")]
    with_output.cells[1].execution_count = 4
    assert snapshot_digest(nb) == snapshot_digest(with_output)
    stored = context.snapshots.load(context.snapshots.save(with_output))
    assert stored.cells[1].outputs == []


def test_same_content_same_snapshot(context, notebooks, tmp_path):
    copy = tmp_path / "copy.ipynb"
    shutil.copy(notebooks / "quick.ipynb", copy)
    first = do_promote(context, request(notebooks / "quick.ipynb", name="first"))
    second = do_promote(context, request(copy, name="second"))
    assert first.notebook.snapshot == second.notebook.snapshot
    assert len(list((context.settings.data_dir / "snapshots").glob("*.ipynb"))) == 1


def test_working_copy_edit_keeps_job(context, notebooks, tmp_path):
    working = tmp_path / "work.ipynb"
    shutil.copy(notebooks / "quick.ipynb", working)
    spec = do_promote(context, request(working))
    nb = nbformat.read(working, as_version=4)
    nb.cells[1].source = "raise RuntimeError('edited later')"
    nbformat.write(nb, working)
    job_nb = context.snapshots.load(context.specs.get("report").notebook.snapshot)
    assert "sum(range(n))" in job_nb.cells[1].source
    assert context.specs.get("report").notebook.snapshot == spec.notebook.snapshot


def test_snapshot_tampering_detected(context, notebooks):
    spec = do_promote(context, request(notebooks / "quick.ipynb"))
    path = context.snapshots.url_for(spec.notebook.snapshot)
    data = json.loads(open(path, encoding="utf-8").read())
    data["cells"][1]["source"] = "print('changed')"
    open(path, "w", encoding="utf-8").write(json.dumps(data))
    with pytest.raises(Exception) as info:
        context.snapshots.load(spec.notebook.snapshot)
    assert "does not match its digest" in str(info.value)


def test_repromote_keeps_settings_and_history(context, notebooks):
    first = do_promote(context, request(notebooks / "quick.ipynb"))
    edited = first.model_copy(update={"paused": True, "retries": first.retries.model_copy(update={"max": 2})})
    context.specs.write(edited)
    store = context.store_for(first)
    record = RunRecord(job="report", run_id="r1", owner="alice", logical_date="2024-01-01T07:00:00+09:00",
                       started="2024-01-01T07:00:00+09:00", status="succeeded")
    store.write_record(record)
    second = do_promote(context, request(notebooks / "typed.ipynb", schedule="30 8 * * *"))
    assert second.schedule == "30 8 * * *"
    assert second.paused is True
    assert second.retries.max == 2
    assert second.notebook.snapshot != first.notebook.snapshot
    assert [r.run_id for r in store.list_runs("report")] == ["r1"]


def test_repromote_by_other_user_rejected(context, notebooks):
    do_promote(context, request(notebooks / "quick.ipynb"))
    with pytest.raises(AccessDenied):
        do_promote(context, request(notebooks / "quick.ipynb", owner="bob"))
    assert context.specs.get("report").owner == "alice"
