terraform {
  required_providers {
    sym = {
      source  = "symopsio/sym"
      version = "~> 3.0"
    }
  }
}
