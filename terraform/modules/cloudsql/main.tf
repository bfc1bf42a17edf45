# Optional Cloud SQL for PostgreSQL instance for the hub database (the
# default is SQLite on a disk). Private IP only, IAM database authentication
# for the hub's service account, so there is no password. The instance holds
# every user, server and token record of the hub, so Terraform refuses to
# destroy it and Cloud SQL keeps daily backups with point-in-time recovery.

resource "google_sql_database_instance" "hub" {
  project             = var.project_id
  name                = var.instance_name
  region              = var.region
  database_version    = "POSTGRES_18"
  deletion_protection = true

  settings {
    tier              = var.tier
    availability_type = var.high_availability ? "REGIONAL" : "ZONAL"
    disk_type         = "PD_SSD"
    disk_autoresize   = true
    user_labels       = var.labels

    ip_configuration {
      ipv4_enabled    = false
      private_network = var.network_id
      # The Cloud SQL Auth Proxy presents a client certificate, so requiring one costs nothing.
      ssl_mode = "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
    }

    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
      start_time                     = "18:00"
    }

    database_flags {
      name  = "cloudsql.iam_authentication"
      value = "on"
    }

    database_flags {
      name  = "log_checkpoints"
      value = "on"
    }

    database_flags {
      name  = "log_connections"
      value = "on"
    }

    database_flags {
      name  = "log_disconnections"
      value = "on"
    }

    database_flags {
      name  = "log_lock_waits"
      value = "on"
    }

    database_flags {
      name  = "log_min_duration_statement"
      value = "-1"
    }

    database_flags {
      name  = "log_duration"
      value = "on"
    }

    database_flags {
      name  = "log_hostname"
      value = "on"
    }

    database_flags {
      name  = "log_min_error_statement"
      value = "error"
    }

    database_flags {
      name  = "log_statement"
      value = "ddl"
    }

    database_flags {
      name  = "cloudsql.enable_pgaudit"
      value = "on"
    }
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "google_sql_database" "jupyterhub" {
  project  = var.project_id
  instance = google_sql_database_instance.hub.name
  name     = "jupyterhub"
}

# The IAM user of a service account is its e-mail without ".gserviceaccount.com".
resource "google_sql_user" "hub" {
  project  = var.project_id
  instance = google_sql_database_instance.hub.name
  name     = trimsuffix(var.hub_service_account, ".gserviceaccount.com")
  type     = "CLOUD_IAM_SERVICE_ACCOUNT"
}
