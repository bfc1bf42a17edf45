# Secret Manager entries for values that must never be in Git, Helm values
# or Terraform variables: the Sentry DSN and the OAuth client that IAP uses
# for users outside the organization. Terraform creates the secrets, not
# their values; an operator adds each value once with
#   gcloud secrets versions add SECRET --data-file=-
# and only the hub's service account may read them.

locals {
  secret_ids = toset([
    "nbplatform-sentry-dsn",
    "nbplatform-iap-oauth-client-id",
    "nbplatform-iap-oauth-client-secret",
  ])
}

resource "google_secret_manager_secret" "platform" {
  for_each = local.secret_ids

  project   = var.project_id
  secret_id = each.value
  labels    = var.labels

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }
}

resource "google_secret_manager_secret_iam_member" "hub_accessor" {
  for_each = local.secret_ids

  project   = var.project_id
  secret_id = google_secret_manager_secret.platform[each.value].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${var.hub_service_account}"
}
