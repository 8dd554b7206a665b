"""The user's files that shape an audit: the rollout plan, waivers, and their field validators."""
