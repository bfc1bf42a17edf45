# Inputs of this environment, set in terraform.tfvars or with -var. Each is
# passed to modules/platform under the same name; the defaults are the
# module's (tests/deploy/test_terraform.py checks that they agree) and the
# validations are the module's alone.

variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project of this environment."
}

variable "environment" {
  type        = string
  description = "Name of the environment, staging or prod; a label on every resource and the kustomize overlay to apply."
}

variable "region" {
  type        = string
  description = "Region of the cluster, buckets, registry and secrets."
  default     = "asia-northeast1"
}

variable "release_channel" {
  type        = string
  description = "GKE release channel: RAPID, REGULAR or STABLE."
  default     = "REGULAR"
}

variable "hub_domain" {
  type        = string
  description = "Host name of the hub, e.g. hub.example.com."
}

variable "dns_zone" {
  type        = string
  description = "Cloud DNS managed zone that holds hub_domain."
}

variable "dns_project_id" {
  type        = string
  description = "Project of the DNS zone when it is another project; null for project_id."
  default     = null
}

variable "iap_members" {
  type        = list(string)
  description = "Principals IAP lets through to the hub, e.g. [\"group:data-team@example.com\"]."
}

variable "hub_allowed_domains" {
  type        = list(string)
  description = "E-mail domains whose users may sign in to the hub once IAP let them through, e.g. [\"example.com\"]."
}

variable "hub_admin_users" {
  type        = list(string)
  description = "Hub usernames with admin rights."
  default     = []
}

variable "iap_backend_service_name" {
  type        = string
  description = "Backend service the Ingress made for the hub; null on the first apply (see docs/deploy.md)."
  default     = null
}

variable "master_authorized_networks" {
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  description = "Networks allowed to reach the cluster's control plane (kubectl, Terraform, CI)."
  default     = []
}

variable "node_pools" {
  type        = any
  description = "Node pools core, user, user-highmem, gpu and dask with their sizes; modules/platform/variables.tf gives the type."
}

variable "image_registry" {
  type        = string
  description = "Registry prefix of the hub and notebook images; null for this project's Artifact Registry repository."
  default     = null
}

variable "image_tag" {
  type        = string
  description = "Tag of the hub, notebook and notebook-gpu images to run."
}

variable "bigquery_datasets" {
  type        = list(string)
  description = "BigQuery data set IDs in this project that notebooks and jobs may read."
  default     = []
}

variable "runs_retention_days" {
  type        = number
  description = "Age in days after which run outputs are deleted."
  default     = 400
}

variable "hub_database" {
  type        = string
  description = "Hub database: sqlite (on a disk) or cloudsql (Cloud SQL for PostgreSQL)."
  default     = "sqlite"
}

variable "user_placeholders" {
  type        = number
  description = "User placeholder pods that keep room for servers to start right away."
  default     = 2
}

variable "install_charts" {
  type        = bool
  description = "Whether to install the Helm releases; false on the first apply, before the kustomize overlay exists."
  default     = true
}

variable "mirror_secrets" {
  type        = bool
  description = "Whether to copy the Sentry DSN and IAP OAuth client from Secret Manager into Kubernetes Secrets; each needs a version first."
  default     = false
}

variable "labels" {
  type        = map(string)
  description = "Extra labels put on every labelled resource."
  default     = {}
}
