"""Live collection from the Genesys Cloud Platform API into a snapshot directory.

regions (where to connect) -> auth (a bearer token) -> client (one HTTP call, retried and paced
by the shared rate limiter) -> paging (one dataset's envelopes) -> collect (all datasets, written
with SnapshotWriter).
"""
