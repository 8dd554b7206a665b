"""The org's auth setup (issue 21): sign-in, session, embedding, users and trusted organizations.

Org hygiene, not co-browse blockers: these rules have no chain link.
"""
