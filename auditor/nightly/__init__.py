"""`gcaudit nightly`: the unattended run (history, comparison, drift, reports, notifications, many orgs)."""
