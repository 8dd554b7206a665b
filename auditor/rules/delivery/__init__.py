"""Co-browse delivery: web deployments and their pinned Messenger configurations."""
