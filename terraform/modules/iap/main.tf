# IAP in front of the hub. The load balancer and its backend service come
# from the GCE Ingress and the BackendConfig in hub/kustomize/base; this
# module grants the chosen principals access through IAP.
#
# NOTE: google_iap_brand and google_iap_client are not used. Google shut down
# the IAP OAuth Admin API that they call (deprecated January 2025, turned
# off March 2026, per the "Migrate from the IAP OAuth Admin API" page).
# IAP now uses a Google-managed OAuth client, which admits only users of the
# project's organization. For external users or custom branding, create an
# OAuth client in the Cloud console and store it in the Kubernetes secret
# that the BackendConfig names.

data "google_project" "this" {
  project_id = var.project_id
}

data "google_compute_backend_service" "hub" {
  count   = var.backend_service_name == null ? 0 : 1
  project = var.project_id
  name    = var.backend_service_name
}

resource "google_project_service" "iap" {
  project            = var.project_id
  service            = "iap.googleapis.com"
  disable_on_destroy = false
}

# Access on one backend service, when its name is known.
resource "google_iap_web_backend_service_iam_member" "hub" {
  for_each = var.backend_service_name == null ? toset([]) : toset(var.members)

  project             = var.project_id
  web_backend_service = var.backend_service_name
  role                = "roles/iap.httpsResourceAccessor"
  member              = each.value

  dynamic "condition" {
    for_each = var.access_condition == null ? [] : [var.access_condition]
    content {
      title       = condition.value.title
      description = condition.value.description
      expression  = condition.value.expression
    }
  }

  depends_on = [google_project_service.iap]
}

# Access on every IAP-protected web backend of the project, before the name is known.
resource "google_iap_web_iam_member" "project" {
  for_each = var.backend_service_name == null ? toset(var.members) : toset([])

  project = var.project_id
  role    = "roles/iap.httpsResourceAccessor"
  member  = each.value

  dynamic "condition" {
    for_each = var.access_condition == null ? [] : [var.access_condition]
    content {
      title       = condition.value.title
      description = condition.value.description
      expression  = condition.value.expression
    }
  }

  depends_on = [google_project_service.iap]
}
