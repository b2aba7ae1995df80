provider "sym" {
  org = "acme"
}

locals {
  environment_name = "prod"
}

resource "sym_integration" "slack" {
  type        = "slack"
  name        = "${local.environment_name}-slack"
  external_id = "T0123ABCD"
}

resource "sym_error_logger" "slack" {
  integration_id = sym_integration.slack.id
  destination    = "#sym-errors"
}

resource "sym_environment" "this" {
  name            = local.environment_name
  error_logger_id = sym_error_logger.slack.id

  integrations = {
    slack_id = sym_integration.slack.id
  }
}

resource "sym_flow" "approval" {
  name  = "approval"
  label = "Approval"

  implementation = file("${path.module}/impl.py")
  environment_id = sym_environment.this.id

  vars = {
    auto_approve = "alice@acme.com"
  }

  params {
    prompt_field {
      name     = "resource"
      label    = "What do you need access to?"
      type     = "string"
      required = true
    }

    prompt_field {
      name     = "reason"
      label    = "Why do you need it?"
      type     = "string"
      required = true
    }
  }
}
