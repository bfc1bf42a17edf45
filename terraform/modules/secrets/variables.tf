variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project that owns the secrets."
}

variable "region" {
  type        = string
  description = "Region the secret payloads are stored in (user-managed replication keeps them in one region)."
}

variable "hub_service_account" {
  type        = string
  description = "E-mail of the hub's Google service account, the only reader of these secrets."
}

variable "labels" {
  type        = map(string)
  description = "Labels put on the secrets."
  default     = {}
}
