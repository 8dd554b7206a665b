"""Derived views of a snapshot that rules evaluate: frames, the co-browse scope, queue coverage,
what a targeted or Terraform snapshot cannot show (coverage, unknowns) and where results point (locations)."""
