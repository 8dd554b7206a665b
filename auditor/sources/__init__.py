"""Sources of a snapshot other than the Platform API collectors (`auditor.sources.collectors`).

Each source produces the same `Snapshot` shape as a collection, so nothing downstream of the
snapshot (frames, rules, engine) knows where the data came from, apart from the source
locations the reporters show.
"""
