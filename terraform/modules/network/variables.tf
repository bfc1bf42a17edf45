variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project that owns the network."
}

variable "region" {
  type        = string
  description = "Region of the subnet, router and Cloud NAT, e.g. asia-northeast1."
}

variable "name" {
  type        = string
  description = "Name of the VPC; the subnet, router and NAT take it as a prefix."
  default     = "nbplatform"

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,40}[a-z0-9])?$", var.name))
    error_message = "name must be 1-42 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "nodes_cidr" {
  type        = string
  description = "Primary range of the subnet, from which nodes get their addresses."
  default     = "10.10.0.0/20"

  validation {
    condition     = can(cidrhost(var.nodes_cidr, 0))
    error_message = "nodes_cidr must be a CIDR block such as 10.10.0.0/20."
  }
}

variable "pods_cidr" {
  type        = string
  description = "Secondary range for pod addresses (VPC-native cluster)."
  default     = "10.20.0.0/14"

  validation {
    condition     = can(cidrhost(var.pods_cidr, 0))
    error_message = "pods_cidr must be a CIDR block such as 10.20.0.0/14."
  }
}

variable "services_cidr" {
  type        = string
  description = "Secondary range for Kubernetes Service addresses."
  default     = "10.24.0.0/20"

  validation {
    condition     = can(cidrhost(var.services_cidr, 0))
    error_message = "services_cidr must be a CIDR block such as 10.24.0.0/20."
  }
}
