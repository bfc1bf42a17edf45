output "connection_name" {
  description = "Instance connection name (PROJECT:REGION:NAME) for the Cloud SQL Auth Proxy."
  value       = google_sql_database_instance.hub.connection_name
}

output "database_user" {
  description = "IAM database user of the hub (URL-encode its @ in the database URL)."
  value       = google_sql_user.hub.name
}
