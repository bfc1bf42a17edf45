# Docker repository for the hub, notebook and notebook-gpu images.

resource "google_artifact_registry_repository" "images" {
  project       = var.project_id
  location      = var.region
  repository_id = var.repository_id
  format        = "DOCKER"
  description   = "nbplatform hub and notebook images"
  labels        = var.labels

  docker_config {
    # A pushed tag never moves, so a profile or job that names a tag always gets the same image.
    immutable_tags = true
  }

  # Untagged images (left behind by rebuilt tags) go after 30 days.
  cleanup_policies {
    id     = "delete-untagged"
    action = "DELETE"
    condition {
      tag_state  = "UNTAGGED"
      older_than = "2592000s"
    }
  }
}
