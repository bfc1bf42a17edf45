# Buckets for promoted-notebook snapshots and for run outputs (executed
# notebooks, HTML, run records). Both hold user work, so Terraform refuses to
# destroy them and object versioning keeps overwritten or deleted objects
# for a while.

locals {
  # The two buckets of user work by key. They differ only in name and in how
  # long objects stay; each lifecycle rule lists the condition arguments it
  # sets, the others stay unset.
  job_buckets = {
    # A snapshot is content-addressed and referenced by its job spec; only
    # old non-current versions go.
    snapshots = {
      name = "${var.bucket_prefix}-job-snapshots"
      lifecycle_rules = [
        {
          condition = { num_newer_versions = 3, with_state = "ARCHIVED" }
          action    = { type = "Delete" }
        },
      ]
    }
    runs = {
      name = "${var.bucket_prefix}-job-runs"
      lifecycle_rules = [
        {
          condition = { age = var.runs_nearline_after_days }
          action    = { type = "SetStorageClass", storage_class = "NEARLINE" }
        },
        {
          condition = { age = var.runs_retention_days }
          action    = { type = "Delete" }
        },
        {
          condition = { days_since_noncurrent_time = 30, with_state = "ARCHIVED" }
          action    = { type = "Delete" }
        },
      ]
    }
  }
}

resource "google_storage_bucket" "jobs" {
  for_each = local.job_buckets

  project                     = var.project_id
  name                        = each.value.name
  location                    = var.location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  labels                      = var.labels

  versioning {
    enabled = true
  }

  dynamic "lifecycle_rule" {
    for_each = each.value.lifecycle_rules
    content {
      condition {
        age                        = lookup(lifecycle_rule.value.condition, "age", null)
        num_newer_versions         = lookup(lifecycle_rule.value.condition, "num_newer_versions", null)
        days_since_noncurrent_time = lookup(lifecycle_rule.value.condition, "days_since_noncurrent_time", null)
        with_state                 = lookup(lifecycle_rule.value.condition, "with_state", null)
      }
      action {
        type          = lifecycle_rule.value.action.type
        storage_class = lookup(lifecycle_rule.value.action, "storage_class", null)
      }
    }
  }

  logging {
    log_bucket = google_storage_bucket.access_logs.name
  }

  lifecycle {
    prevent_destroy = true
  }
}

# The buckets were two resources before; these move their state to the keys.
moved {
  from = google_storage_bucket.snapshots
  to   = google_storage_bucket.jobs["snapshots"]
}

moved {
  from = google_storage_bucket.runs
  to   = google_storage_bucket.jobs["runs"]
}

# Access logs of the job buckets above: who read or wrote a snapshot or run output.
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
