# Buckets for promoted-notebook snapshots and for run outputs (executed
# notebooks, HTML, run records). Both hold user work, so Terraform refuses to
# destroy them and object versioning keeps overwritten or deleted objects
# for a while.

resource "google_storage_bucket" "snapshots" {
  project                     = var.project_id
  name                        = "${var.bucket_prefix}-job-snapshots"
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = var.labels

  versioning {
    enabled = true
  }

  # A snapshot is content-addressed and referenced by its job spec; only old
  # non-current versions go.
  lifecycle_rule {
    condition {
      num_newer_versions = 3
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  logging {
    log_bucket = google_storage_bucket.access_logs.name
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_storage_bucket" "runs" {
  project                     = var.project_id
  name                        = "${var.bucket_prefix}-job-runs"
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = var.labels

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age = var.runs_nearline_after_days
    }
    action {
      type          = "SetStorageClass"
      storage_class = "NEARLINE"
    }
  }

  lifecycle_rule {
    condition {
      age = var.runs_retention_days
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
      with_state                 = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  logging {
    log_bucket = google_storage_bucket.access_logs.name
  }

  lifecycle {
    prevent_destroy = true
  }
}

# Access logs of the two buckets above: who read or wrote a snapshot or run output.
resource "google_storage_bucket" "access_logs" {
  project                     = var.project_id
  name                        = "${var.bucket_prefix}-access-logs"
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = var.labels

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age = var.access_log_retention_days
    }
    action {
      type = "Delete"
    }
  }
}
