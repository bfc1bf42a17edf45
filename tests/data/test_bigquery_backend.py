"""The BigQuery back end's requests, sent by the real google-cloud-bigquery client.

BigQuery itself cannot run here. FakeBigQueryServer is a stand-in on
127.0.0.1 that records the REST requests and returns canned responses. These
tests check the requests nbplatform sends (dry run first, maximumBytesBilled,
labels, typed parameters), not query results.
"""

import datetime
import decimal

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import bigquery

from data.fake_bigquery import FakeBigQueryServer
from nbplatform.bigquery import QueryTooExpensiveError, query, read_table
from nbplatform.bigquery.backends.bigquery import BigQueryBackend, query_parameters
from nbplatform.bigquery.context import QueryContext
from nbplatform.config import Settings
from nbplatform.errors import ConfigError, DataError
from nbplatform.profiles import Profile

LIMIT = 5_000_000


@pytest.fixture(scope="module")
def server():
    fake = FakeBigQueryServer().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake(server):
    server.reset()
    return server.state


@pytest.fixture
def backend(server):
    client = bigquery.Client(
        project="test-project",
        credentials=AnonymousCredentials(),
        client_options={"api_endpoint": server.url},
    )
    return BigQueryBackend(client, use_storage_api=False)


@pytest.fixture
def context():
    profile = Profile.model_validate(
        {"display_name": "Small", "slug": "small", "bigquery": {"maximum_bytes_billed": LIMIT}}
    )
    return QueryContext(user="Alice", notebook="/home/alice/Delay Report.ipynb", profile=profile)


def run(backend, context, sql="SELECT carrier, COUNT(*) AS n FROM `p.d.flights` GROUP BY 1", params=None, **kwargs):
    return query(sql, params, backend=backend, context=context, **kwargs)


def test_query_dry_run_first(backend, context, fake):
    run(backend, context)
    inserts = fake.job_inserts()
    assert len(inserts) == 2
    assert inserts[0]["configuration"]["dryRun"] is True
    assert inserts[0]["configuration"]["query"]["useQueryCache"] is False
    assert "dryRun" not in inserts[1]["configuration"]


def test_query_sets_maximum_bytes_billed(backend, context, fake):
    run(backend, context)
    job = fake.job_inserts()[1]["configuration"]["query"]
    assert job["maximumBytesBilled"] == str(LIMIT)
    assert job["useLegacySql"] is False


def test_query_caller_limit_on_job(backend, context, fake):
    run(backend, context, maximum_bytes_billed=2_000)
    assert fake.job_inserts()[1]["configuration"]["query"]["maximumBytesBilled"] == "2000"


def test_query_sets_labels(backend, context, fake):
    run(backend, context)
    assert fake.job_inserts()[1]["configuration"]["labels"] == {
        "nbplatform-user": "alice",
        "nbplatform-notebook": "delay_report",
        "nbplatform-profile": "small",
    }


def test_query_rejected_after_dry_run(backend, context, fake):
    fake.estimated_bytes = LIMIT + 1
    with pytest.raises(QueryTooExpensiveError, match="profile 'small'") as info:
        run(backend, context)
    inserts = fake.job_inserts()
    assert info.value.estimated_bytes == LIMIT + 1
    assert len(inserts) == 1
    assert inserts[0]["configuration"]["dryRun"] is True


def test_query_returns_rows(backend, context, fake):
    frame = run(backend, context)
    assert list(frame.columns) == ["carrier", "n"]
    assert list(frame["carrier"]) == ["UA", "B6"]
    assert list(frame["n"]) == [58665, 54635]


def test_query_named_parameters(backend, context, fake):
    params = {
        "origin": "JFK",
        "month": 7,
        "ratio": 0.5,
        "cancelled": False,
        "day": datetime.date(2013, 7, 1),
        "at": datetime.datetime(2013, 7, 1, 12, tzinfo=datetime.timezone.utc),
        "carriers": ["UA", "AA"],
    }
    run(backend, context, "SELECT 1", params)
    job = fake.job_inserts()[1]["configuration"]["query"]
    sent = {p["name"]: p for p in job["queryParameters"]}
    assert job["parameterMode"] == "NAMED"
    assert sent["origin"]["parameterType"] == {"type": "STRING"}
    assert sent["month"]["parameterValue"] == {"value": "7"}
    assert sent["ratio"]["parameterType"] == {"type": "FLOAT64"}
    assert sent["cancelled"]["parameterType"] == {"type": "BOOL"}
    assert sent["day"]["parameterValue"] == {"value": "2013-07-01"}
    assert sent["at"]["parameterType"] == {"type": "TIMESTAMP"}
    assert sent["carriers"]["parameterType"] == {"type": "ARRAY", "arrayType": {"type": "STRING"}}


def test_query_positional_parameters(backend, context, fake):
    run(backend, context, "SELECT 1 WHERE ? = ?", ["a", 1])
    job = fake.job_inserts()[0]["configuration"]["query"]
    assert job["parameterMode"] == "POSITIONAL"
    assert [p["parameterType"]["type"] for p in job["queryParameters"]] == ["STRING", "INT64"]


def test_query_anonymous_credentials(backend, context, fake):
    run(backend, context)
    assert fake.requests
    assert all("authorization" not in r.headers for r in fake.requests)


def test_job_limit_error_mapped(backend, context, fake):
    fake.job_error = ("bytesBilledLimitExceeded", "Query exceeded limit for bytes billed: 5000000.")
    with pytest.raises(DataError, match="stopped by maximum_bytes_billed") as info:
        run(backend, context)
    assert info.value.reason == "query-too-expensive"


def test_parameter_types():
    (decimal_param, naive_param) = query_parameters([decimal.Decimal("1.5"), datetime.datetime(2013, 1, 1)])
    assert decimal_param.type_ == "NUMERIC"
    assert naive_param.type_ == "DATETIME"


def test_parameter_empty_list_rejected():
    with pytest.raises(DataError, match="empty list"):
        query_parameters({"carriers": []})


def test_parameter_unsupported_type():
    with pytest.raises(DataError, match="unsupported type dict"):
        query_parameters({"x": {"a": 1}})


def test_parameter_passthrough():
    typed = bigquery.ScalarQueryParameter("x", "STRING", None)
    assert query_parameters({"x": typed}) == [typed]


class RecordingReader:
    """Stands in for dask_bigquery.read_gbq, whose Storage Read API calls are gRPC to Google."""

    def __init__(self):
        self.calls = []

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        return "frame"


def test_read_table_dry_runs_and_reads(server, context, fake):
    client = bigquery.Client(
        project="test-project", credentials=AnonymousCredentials(), client_options={"api_endpoint": server.url}
    )
    reader = RecordingReader()
    backend = BigQueryBackend(client, use_storage_api=False, table_reader=reader)
    result = read_table(
        "nycflights13.flights", columns=["carrier", "arr_delay"], row_filter="month = 7",
        partitions=8, backend=backend, context=context,
    )
    dry_run = fake.job_inserts()[0]["configuration"]
    assert result == "frame"
    assert dry_run["dryRun"] is True
    assert dry_run["query"]["query"] == "SELECT `carrier`, `arr_delay` FROM `test-project.nycflights13.flights` WHERE month = 7"
    assert reader.calls == [
        {
            "project_id": "test-project",
            "dataset_id": "nycflights13",
            "table_id": "flights",
            "row_filter": "month = 7",
            "columns": ["carrier", "arr_delay"],
            "max_stream_count": 8,
        }
    ]


def test_read_table_over_limit(server, context, fake):
    client = bigquery.Client(
        project="test-project", credentials=AnonymousCredentials(), client_options={"api_endpoint": server.url}
    )
    reader = RecordingReader()
    backend = BigQueryBackend(client, use_storage_api=False, table_reader=reader)
    fake.estimated_bytes = LIMIT * 2
    with pytest.raises(QueryTooExpensiveError):
        read_table("nycflights13.flights", backend=backend, context=context)
    assert reader.calls == []


def test_split_table_names(backend):
    assert backend.split_table("d.t") == ("test-project", "d", "t")
    assert backend.split_table("`p.d.t`") == ("p", "d", "t")
    with pytest.raises(DataError, match="Invalid table name 't'"):
        backend.split_table("t")


def test_from_settings_needs_project():
    with pytest.raises(ConfigError, match="NBPLATFORM_BIGQUERY_PROJECT"):
        BigQueryBackend.from_settings(Settings(mode="gke"), environ={})
