variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project that owns the instance."
}

variable "region" {
  type        = string
  description = "Region of the instance; the cluster's region."
}

variable "network_id" {
  type        = string
  description = "VPC the instance's private IP is in (needs private services access, see module network)."
}

variable "hub_service_account" {
  type        = string
  description = "E-mail of the hub's Google service account, created as an IAM database user."
}

variable "instance_name" {
  type        = string
  description = "Name of the instance; the hub's Cloud SQL Auth Proxy connects to PROJECT:REGION:NAME."
  default     = "nbplatform-hub"
}

variable "tier" {
  type        = string
  description = "Machine tier. The hub's database is small; db-custom-1-3840 suits a few hundred users."
  default     = "db-custom-1-3840"
}

variable "high_availability" {
  type        = bool
  description = "Whether the instance has a standby in a second zone (REGIONAL availability)."
  default     = false
}

variable "labels" {
  type        = map(string)
  description = "Labels put on the instance."
  default     = {}
}
