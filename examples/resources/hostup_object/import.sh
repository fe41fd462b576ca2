# An object is imported as bucket/key.
terraform import hostup_object.artifact deploy-artifacts/releases/app-1.4.2.tar.gz
