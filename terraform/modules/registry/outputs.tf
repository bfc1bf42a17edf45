output "repository_url" {
  description = "Image prefix, e.g. asia-northeast1-docker.pkg.dev/PROJECT/nbplatform."
  value       = "${google_artifact_registry_repository.images.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}"
}
