# Google service accounts for the platform's workloads, each bound to one
# Kubernetes service account through Workload Identity:
#   hub       <- nbplatform/hub (the chart's)                   Secret Manager, Cloud SQL client
#   notebook  <- nbplatform/nbplatform-notebook                 reads BigQuery, snapshots, run outputs
#   jobs      <- nbplatform-jobs/nbplatform-jobs                reads BigQuery and snapshots, writes run outputs
# The hub's jobs service writes snapshots when a notebook is promoted.

locals {
  accounts = {
    hub      = { namespace = var.namespace, ksa = "hub", display = "nbplatform hub and jobs service" }
    notebook = { namespace = var.namespace, ksa = "nbplatform-notebook", display = "nbplatform user notebooks" }
    jobs     = { namespace = var.jobs_namespace, ksa = "nbplatform-jobs", display = "nbplatform scheduled jobs" }
  }
}

resource "google_service_account" "workloads" {
  for_each = local.accounts

  project      = var.project_id
  account_id   = "nbplatform-${each.key}"
  display_name = each.value.display
}

resource "google_service_account_iam_member" "workload_identity" {
  for_each = local.accounts

  service_account_id = google_service_account.workloads[each.key].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.workload_pool}[${each.value.namespace}/${each.value.ksa}]"
}

# BigQuery: run query jobs in this project, read the data sets named in var.bigquery_datasets.
resource "google_project_iam_member" "bigquery_job_user" {
  for_each = toset(["notebook", "jobs"])

  project = var.project_id
  role    = "roles/bigquery.jobUser"
  member  = "serviceAccount:${google_service_account.workloads[each.key].email}"
}

resource "google_bigquery_dataset_iam_member" "data_viewer" {
  for_each = {
    for pair in setproduct(["notebook", "jobs"], var.bigquery_datasets) :
    "${pair[0]}/${pair[1]}" => { account = pair[0], dataset = pair[1] }
  }

  project    = var.project_id
  dataset_id = each.value.dataset
  role       = "roles/bigquery.dataViewer"
  member     = "serviceAccount:${google_service_account.workloads[each.value.account].email}"
}

# GCS: snapshots are written when a notebook is promoted (from the jobs
# service in the hub, or with `nbplatform promote` in a notebook terminal)
# and read by jobs. Snapshots are content-addressed, so creating objects
# without the right to overwrite or delete them is enough. Run outputs are
# written by jobs and read by the hub and notebooks.
locals {
  bucket_roles = [
    { bucket = "snapshots", account = "hub", role = "roles/storage.objectAdmin" },
    { bucket = "snapshots", account = "notebook", role = "roles/storage.objectViewer" },
    { bucket = "snapshots", account = "notebook", role = "roles/storage.objectCreator" },
    { bucket = "snapshots", account = "jobs", role = "roles/storage.objectViewer" },
    { bucket = "runs", account = "hub", role = "roles/storage.objectViewer" },
    { bucket = "runs", account = "notebook", role = "roles/storage.objectViewer" },
    { bucket = "runs", account = "jobs", role = "roles/storage.objectViewer" },
    { bucket = "runs", account = "jobs", role = "roles/storage.objectCreator" },
  ]
  bucket_names = {
    snapshots = var.snapshots_bucket
    runs      = var.runs_bucket
  }
}

resource "google_storage_bucket_iam_member" "workloads" {
  for_each = { for item in local.bucket_roles : "${item.bucket}/${item.account}/${item.role}" => item }

  bucket = local.bucket_names[each.value.bucket]
  role   = each.value.role
  member = "serviceAccount:${google_service_account.workloads[each.value.account].email}"
}

resource "google_project_iam_member" "hub_cloudsql" {
  count = var.grant_cloudsql_client ? 1 : 0

  project = var.project_id
  role    = "roles/cloudsql.client"
  member  = "serviceAccount:${google_service_account.workloads["hub"].email}"
}
