# Scenarios for the "approval" flow: run them with `symflow test`.
flow = "approval"

run "requests_go_to_the_request_channel" {
  event  = "request"
  user   = { email = "bob@example.com" }
  fields = { resource = "prod-db", reason = "debugging a failed migration" }

  expect {
    outcome       = "none"
    notifications = ["#sym-requests"]
  }
}

run "listed_requester_is_auto_approved" {
  event  = "request"
  user   = { email = "alice@example.com" }
  fields = { resource = "prod-db", reason = "on call" }
  vars   = { auto_approve = "alice@example.com, carol@example.com" }

  expect {
    outcome = "approve"
  }
}

run "unlisted_requester_waits_for_an_approver" {
  event  = "request"
  user   = { email = "bob@example.com" }
  fields = { resource = "prod-db", reason = "on call" }
  vars   = { auto_approve = "alice@example.com" }

  expect {
    outcome = "none"
  }
}

run "requester_hears_about_a_denial" {
  event  = "deny"
  user   = { email = "bob@example.com" }
  fields = { resource = "prod-db", reason = "curiosity" }

  expect {
    outcome  = "none"
    messages = [{ to = "bob@example.com", contains = "denied" }]
  }
}
