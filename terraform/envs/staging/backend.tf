# State in a GCS bucket that only platform admins can read: it contains the
# mirrored secrets. Create the bucket once (docs/deploy.md), then
#   terraform init -backend-config=bucket=PROJECT_ID-tfstate
terraform {
  backend "gcs" {
    prefix = "nbplatform/staging"
  }
}
