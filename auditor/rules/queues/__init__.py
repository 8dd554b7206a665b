"""Queues and wrap-up: media settings, after-call work, wrap-up code assignments, members."""
