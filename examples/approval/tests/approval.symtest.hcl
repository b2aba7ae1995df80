flow = "approval"

run "listed_user_is_auto_approved" {
  event  = "request"
  user   = { email = "alice@acme.com" }
  fields = { resource = "prod-db", reason = "on call" }

  expect {
    outcome = "approve"
  }
}

run "other_users_wait_for_an_approver" {
  event  = "request"
  user   = { email = "bob@acme.com" }
  fields = { resource = "prod-db", reason = "debugging" }

  expect {
    outcome       = "none"
    notifications = ["#sym-requests"]
  }
}
