"""The rollout plan itself: objects it names that the org does not have."""
