variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project that runs the cluster."
}

variable "region" {
  type        = string
  description = "Region of the regional cluster, e.g. asia-northeast1."
}

variable "name" {
  type        = string
  description = "Name of the cluster; also the prefix of the node service account (at most 24 characters)."
  default     = "nbplatform"

  validation {
    condition     = can(regex("^[a-z][-a-z0-9]{0,22}[a-z0-9]$", var.name))
    error_message = "name must be 2-24 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "network_id" {
  type        = string
  description = "ID of the VPC (module network)."
}

variable "subnet_id" {
  type        = string
  description = "ID of the node subnet (module network)."
}

variable "pods_range_name" {
  type        = string
  description = "Secondary range name for pods."
}

variable "services_range_name" {
  type        = string
  description = "Secondary range name for Services."
}

variable "release_channel" {
  type        = string
  description = "GKE release channel; REGULAR gets versions after they have run on RAPID."
  default     = "REGULAR"

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE"], var.release_channel)
    error_message = "release_channel must be RAPID, REGULAR or STABLE."
  }
}

variable "master_ipv4_cidr_block" {
  type        = string
  description = <<-EOT
    /28 range of the private control-plane endpoint. Notebook pods reach the
    Kubernetes API there, so hub/values.yaml's singleuser egress rule names the same block.
  EOT
  default     = "172.16.0.0/28"

  validation {
    condition     = can(cidrhost(var.master_ipv4_cidr_block, 0)) && endswith(var.master_ipv4_cidr_block, "/28")
    error_message = "master_ipv4_cidr_block must be a /28 block such as 172.16.0.0/28."
  }
}

variable "master_authorized_networks" {
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  description = "Networks allowed to reach the public control-plane endpoint (kubectl, CI). Empty allows none."
  default     = []
}

variable "node_pools" {
  type = map(object({
    machine_type = string
    min_count    = number
    max_count    = number
    spot         = optional(bool, false)
    disk_size_gb = optional(number, 100)
    labels       = optional(map(string), {})
    taints = optional(list(object({
      key    = string
      value  = string
      effect = string
    })), [])
    accelerator = optional(object({
      type  = string
      count = number
    }))
  }))
  description = <<-EOT
    Node pools by name. Counts are totals across the region's zones. The
    platform expects the pools core (hub, proxy), user, user-highmem, gpu
    (scales from zero, tainted nvidia.com/gpu) and dask (Spot, scales from
    zero, tainted nbplatform.io/dask).
  EOT

  validation {
    condition     = alltrue([for pool in ["core", "user", "user-highmem", "gpu", "dask"] : contains(keys(var.node_pools), pool)])
    error_message = "node_pools must define core, user, user-highmem, gpu and dask."
  }

  validation {
    condition     = alltrue([for pool in values(var.node_pools) : pool.min_count >= 0 && pool.max_count >= pool.min_count])
    error_message = "Each node pool needs 0 <= min_count <= max_count."
  }

  validation {
    condition = alltrue(flatten([
      for pool in values(var.node_pools) : [
        for taint in pool.taints : contains(["NO_SCHEDULE", "PREFER_NO_SCHEDULE", "NO_EXECUTE"], taint.effect)
      ]
    ]))
    error_message = "Taint effects must be NO_SCHEDULE, PREFER_NO_SCHEDULE or NO_EXECUTE."
  }
}

variable "maintenance_window" {
  type = object({
    start_time = string
    end_time   = string
    recurrence = string
  })
  description = "Recurring maintenance window (RFC 3339 times, RFC 5545 recurrence). The default is weekend nights in Japan (UTC times)."
  default = {
    start_time = "2025-01-04T15:00:00Z"
    end_time   = "2025-01-04T21:00:00Z"
    recurrence = "FREQ=WEEKLY;BYDAY=SA,SU"
  }
}

variable "labels" {
  type        = map(string)
  description = "Resource labels put on the cluster and its nodes, e.g. for billing."
  default     = {}
}
