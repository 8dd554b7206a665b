"""Safe handling of what crosses the boundary: bounded reads and safe writes (fileio), the one
scrubbing rule for credentials (redaction) and the one sanitiser for every output surface (sanitise)."""
