terraform {
  required_providers {
    hostup = {
      source = "hostup/hostup"
    }
  }
}

# The API key is read from HOSTUP_API_KEY, so it stays out of configuration.
provider "hostup" {}
