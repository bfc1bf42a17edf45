variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project (fills PROJECT_ID in hub/values-cloudsql.yaml, reads Secret Manager)."
}

variable "region" {
  type        = string
  description = "Region of the cluster (fills REGION in hub/values-cloudsql.yaml)."
}

variable "namespace" {
  type        = string
  description = "Namespace of the hub release; hub/kustomize/base creates it."
  default     = "nbplatform"
}

variable "jupyterhub_chart_version" {
  type        = string
  description = "Version of the jupyterhub chart from https://hub.jupyter.org/helm-chart/. images/hub/Dockerfile's k8s-hub tag must match."
  default     = "4.3.3"
}

variable "dask_operator_chart_version" {
  type        = string
  description = "Version of the dask-kubernetes-operator chart from https://helm.dask.org; keep it equal to dask-kubernetes in images/notebook/requirements.txt."
  default     = "2026.3.0"
}

variable "hub_domain" {
  type        = string
  description = "Host name of the hub, e.g. hub.example.com."
}

variable "address_name" {
  type        = string
  description = "Name of the global static address for the Ingress (module ingress)."
}

variable "certificate_name" {
  type        = string
  description = "Name of the managed certificate for the Ingress (module ingress)."
}

variable "image_registry" {
  type        = string
  description = "Registry prefix of the hub, notebook and notebook-gpu images, e.g. asia-northeast1-docker.pkg.dev/PROJECT/nbplatform."
}

variable "image_tag" {
  type        = string
  description = "Tag of the hub, notebook and notebook-gpu images built from the same commit."

  validation {
    condition     = var.image_tag != "latest" && length(var.image_tag) > 0
    error_message = "image_tag must name a fixed tag such as 0.1.0; latest would let nodes run different images."
  }
}

variable "hub_service_account" {
  type        = string
  description = "E-mail of the hub's Google service account, bound to the chart's hub service account by Workload Identity."
}

variable "snapshots_bucket" {
  type        = string
  description = "Name of the job snapshot bucket."
}

variable "runs_bucket" {
  type        = string
  description = "Name of the run output bucket."
}

variable "iap_audience" {
  type        = string
  description = <<-EOT
    Audience the hub checks in IAP tokens (/projects/NUMBER/global/backendServices/ID), passed as
    NBPLATFORM_IAP_AUDIENCE. Null until the backend service exists; the hub does not start without it.
  EOT
  default     = null
}

variable "hub_allowed_domains" {
  type        = list(string)
  description = "E-mail domains whose IAP-verified users may sign in to the hub (NBPLATFORM_ALLOWED_DOMAINS), e.g. [\"example.com\"]."

  validation {
    condition     = length(var.hub_allowed_domains) > 0
    error_message = "hub_allowed_domains is empty, so nobody could sign in: list your e-mail domain, e.g. [\"example.com\"]."
  }
}

variable "hub_admin_users" {
  type        = list(string)
  description = "Hub usernames with admin rights (NBPLATFORM_ADMIN_USERS); empty for none."
  default     = []
}

variable "user_placeholders" {
  type        = number
  description = "Number of user placeholder pods that keep room for servers starting right away (0 turns headroom off)."
  default     = 2

  validation {
    condition     = var.user_placeholders >= 0
    error_message = "user_placeholders must be 0 or more."
  }
}

variable "hub_database" {
  type        = string
  description = "Hub database: sqlite (on a disk, the default) or cloudsql (Cloud SQL for PostgreSQL through the Auth Proxy)."
  default     = "sqlite"

  validation {
    condition     = contains(["sqlite", "cloudsql"], var.hub_database)
    error_message = "hub_database must be sqlite or cloudsql."
  }
}

variable "mirrored_secrets" {
  type = map(object({
    secret_id         = string
    namespace         = string
    kubernetes_secret = string
    kubernetes_key    = string
  }))
  description = <<-EOT
    Secret Manager secrets copied into Kubernetes Secrets, keyed by a label.
    Each secret needs at least one version before it is listed here.
  EOT
  default     = {}
}
