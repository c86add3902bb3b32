# Terragrunt source built from an environment variable guard cannot know: low, says so
terraform {
  source = "${get_env("MODULES_URL")}//cache"
}
