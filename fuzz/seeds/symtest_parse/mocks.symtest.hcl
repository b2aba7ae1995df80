flow = "sym_flow.access"

run "with_mocks" {
  event   = "approve"
  timeout = "2s"
  user    = { email = "a@b.c" }
  actor   = { email = "boss@b.c", role = "admin" }
  fields  = { duration = 3600, reason = "x", flag = true, list = ["a", 1, null] }
  mock "pagerduty.is_on_call" {
    when    = { user = "a@b.c" }
    returns = true
  }
  mock "okta.is_user_in_group" { raises = "sym.sdk.exceptions.okta.OktaError" }
  expect {
    outcome       = "approve"
    notifications = ["#x"]
    messages      = [{ to = "#x", contains = "ok" }, { text = "exact" }]
    error         = null
    permissions   = { approve = true }
  }
}
