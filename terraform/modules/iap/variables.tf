variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project that runs the hub's load balancer."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project ID: 6-30 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "members" {
  type        = list(string)
  description = <<-EOT
    Principals that IAP lets through to the hub, e.g. ["group:data-team@example.com"].
    Each gets roles/iap.httpsResourceAccessor. Prefer groups so access is managed in Google Groups;
    the hub's own allow rules (allowed_domains, allowed_users) apply on top.
  EOT

  validation {
    condition     = length(var.members) > 0
    error_message = "members is empty, so nobody could pass IAP: list at least one principal such as group:data-team@example.com."
  }

  validation {
    condition     = alltrue([for m in var.members : can(regex("^(group|user|domain|serviceAccount):[^\\s]+$", m))])
    error_message = "Each member must start with group:, user:, domain: or serviceAccount:, e.g. group:data-team@example.com."
  }

  validation {
    condition     = !contains(var.members, "allUsers") && !contains(var.members, "allAuthenticatedUsers")
    error_message = "allUsers and allAuthenticatedUsers would open the hub to anyone with a Google account; list groups instead."
  }
}

variable "backend_service_name" {
  type        = string
  default     = null
  description = <<-EOT
    Name of the backend service that the GCE Ingress created for the hub's proxy-public Service
    (kubectl get ingress -n NAMESPACE -o yaml shows it in the ingress.kubernetes.io/backends annotation).
    When set, access is granted on that backend only and the module outputs the IAP audience.
    When null (default), access is granted on every IAP-protected web backend in the project,
    because the ingress controller names the backend service only after the first apply.
  EOT
}

variable "access_condition" {
  type = object({
    title       = string
    description = optional(string)
    expression  = string
  })
  default     = null
  description = "Optional IAM condition on the IAP binding (CEL), e.g. to restrict access to a request path or an access level. Null for none."
}
