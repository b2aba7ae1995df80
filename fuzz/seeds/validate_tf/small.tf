terraform {
  required_providers {
    sym = { source = "symopsio/sym", version = "~> 3.0" }
  }
}
provider "sym" { org = "acme" }
variable "name" { default = "prod" }
locals { flows = toset(["a", "b"]) }
resource "sym_environment" "this" {
  name = var.name
  integrations = { slack_id = sym_integration.slack.id }
}
resource "sym_integration" "slack" {
  type        = "slack"
  name        = "slack-${var.name}"
  external_id = "T0123ABCD"
}
resource "sym_flow" "f" {
  for_each       = local.flows
  name           = each.key
  label          = format("%s %s", upper(each.key), <<-EOT
    heredoc ${var.name}
  EOT
  )
  implementation = file("${path.module}/impl.py")
  environment_id = sym_environment.this.id
  vars           = jsondecode(jsonencode({ a = [1, 2], b = { c = true } }))
  params {
    prompt_field {
      name = "reason"
      type = "string"
      allowed_values = split(",", "x,y")
    }
  }
}
# symflow:ignore SF101
