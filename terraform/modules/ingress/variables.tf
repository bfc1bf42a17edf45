variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project that owns the address and certificate."
}

variable "hub_domain" {
  type        = string
  description = "Host name of the hub, e.g. hub.example.com."

  validation {
    condition     = can(regex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?\\.)+[a-z]{2,}$", var.hub_domain))
    error_message = "hub_domain must be a lowercase host name such as hub.example.com, without scheme or trailing dot."
  }
}

variable "dns_zone" {
  type        = string
  description = "Name of the Cloud DNS managed zone that holds hub_domain."
}

variable "dns_project_id" {
  type        = string
  description = "Project of the DNS zone when it is not project_id; null for the same project."
  default     = null
}

variable "address_name" {
  type        = string
  description = "Name of the global address; hub/values.yaml's kubernetes.io/ingress.global-static-ip-name must match."
  default     = "nbplatform-ip"
}

variable "certificate_name" {
  type        = string
  description = "Name of the managed certificate; hub/values.yaml's ingress.gcp.kubernetes.io/pre-shared-cert must match."
  default     = "nbplatform-cert"
}
