variable "project_id" {
  type        = string
  description = "ID of the Google Cloud project that owns the repository."
}

variable "region" {
  type        = string
  description = "Region of the repository; the cluster's region keeps pulls in-region."
}

variable "repository_id" {
  type        = string
  description = "Repository name; images are REGION-docker.pkg.dev/PROJECT/REPOSITORY/NAME."
  default     = "nbplatform"
}

variable "labels" {
  type        = map(string)
  description = "Labels put on the repository."
  default     = {}
}
