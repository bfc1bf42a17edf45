variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project that owns the service accounts."
}

variable "workload_pool" {
  type        = string
  description = "Workload Identity pool of the cluster (PROJECT.svc.id.goog)."
}

variable "namespace" {
  type        = string
  description = "Kubernetes namespace of the hub and notebooks (hub/kustomize/base/platform sets nbplatform)."
  default     = "nbplatform"
}

variable "jobs_namespace" {
  type        = string
  description = "Kubernetes namespace of scheduled jobs (hub/kustomize/base/jobs sets nbplatform-jobs)."
  default     = "nbplatform-jobs"
}

variable "snapshots_bucket" {
  type        = string
  description = "Name of the job snapshot bucket."
}

variable "runs_bucket" {
  type        = string
  description = "Name of the run output bucket."
}

variable "bigquery_datasets" {
  type        = list(string)
  description = "BigQuery data sets in this project that notebooks and jobs may read (data set IDs, not full names)."
  default     = []
}

variable "grant_cloudsql_client" {
  type        = bool
  description = "Whether the hub account gets roles/cloudsql.client, needed when the hub database is Cloud SQL."
  default     = false
}
