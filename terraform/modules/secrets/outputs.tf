output "sentry_dsn_secret" {
  description = "Secret Manager ID of the Sentry DSN."
  value       = google_secret_manager_secret.platform["nbplatform-sentry-dsn"].secret_id
}

output "iap_oauth_client_id_secret" {
  description = "Secret Manager ID of the IAP OAuth client ID."
  value       = google_secret_manager_secret.platform["nbplatform-iap-oauth-client-id"].secret_id
}

output "iap_oauth_client_secret_secret" {
  description = "Secret Manager ID of the IAP OAuth client secret."
  value       = google_secret_manager_secret.platform["nbplatform-iap-oauth-client-secret"].secret_id
}
