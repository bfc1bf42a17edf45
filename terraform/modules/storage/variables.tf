variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project that owns the buckets."
}

variable "location" {
  type        = string
  description = "Bucket location: a region (e.g. asia-northeast1) or multi-region (e.g. ASIA)."
}

variable "bucket_prefix" {
  type        = string
  description = "Globally unique prefix of the bucket names, usually the project ID."

  validation {
    condition     = can(regex("^[a-z0-9][-a-z0-9]{1,40}[a-z0-9]$", var.bucket_prefix))
    error_message = "bucket_prefix must be 3-42 lowercase letters, digits or hyphens."
  }
}

variable "runs_nearline_after_days" {
  type        = number
  description = "Age in days after which run outputs move to Nearline storage."
  default     = 30
}

variable "runs_retention_days" {
  type        = number
  description = "Age in days after which run outputs are deleted. Deleted objects stay as non-current versions for 30 more days."
  default     = 400

  validation {
    condition     = var.runs_retention_days >= 30
    error_message = "runs_retention_days must be at least 30, so a month of runs can always be compared."
  }
}

variable "access_log_retention_days" {
  type        = number
  description = "Age in days after which bucket access logs are deleted."
  default     = 365
}

variable "labels" {
  type        = map(string)
  description = "Labels put on the buckets."
  default     = {}
}
