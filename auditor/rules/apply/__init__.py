"""APPLY: what a Terraform apply takes away (destructive changes), judged on overlays and plans."""
