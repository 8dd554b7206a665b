"""`gcaudit demo DIR --nightly`: three nights of the demo org against the in-process fake Platform API,
with changes planted through its audit trail between them, so the nightly reports, `gcaudit history`
and `gcaudit diff` show attributed changes without an org:

- night 1: the demo org as bundled ('Northwind Store Checkout' is Inactive: COB-003 fails);
- Marco Rossi activates it from the UI -> night 2: COB-003 RESOLVED, drift Inactive -> Active;
- Priya Natarajan deactivates it again, and the OAuth client 'Agent Desktop Cobrowse' makes the wrap-up
  of 'Loyalty Club' mandatory -> night 3: COB-003 REGRESSED, both changes with who, when, from where.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from auditor.testing.fake_audit import Actor

STORE_CHECKOUT = "Northwind Store Checkout"
MARCO = Actor(user_name="Marco Rossi", application="UI", remote_ip=("198.51.100.23",))
PRIYA = Actor(user_name="Priya Natarajan", application="UI", remote_ip=("203.0.113.7",))
AGENT_DESKTOP = "Agent Desktop Cobrowse"


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def write_demo_history(out: Path) -> list[object]:
    """Run the three nights into `out`; returns their NightlyOutcomes."""
    from auditor.cli.live_options import LiveSettings
    from auditor.nightly.run import NightlyOptions, run_nightly
    from auditor.nightly.settings import default_history_url
    from auditor.samples import samples_dir
    from auditor.testing.fake_api import FakePlatformApi

    org = samples_dir() / "demo-org"
    outcomes = []
    with FakePlatformApi(org) as api, _environment({**api.env(), "GENESYSCLOUD_ACCESS_TOKEN": ""}):
        live = LiveSettings(region=api.url, workers=4, rate=6000, retries=2, retry_budget=60, backoff_base=0.1)
        opts = NightlyOptions(out=out, history_url=default_history_url(out), plan=org / "plan.yaml",
                              label="demo-org", live=live, keep=0)
        deployment = next(d for d in api.data["deployments"] if d.get("name") == STORE_CHECKOUT)
        client = next(c for c in api.data["oauth_clients"] if c.get("name") == AGENT_DESKTOP)
        queue = next(q for q in api.data["queues"] if q.get("name") == "Loyalty Club")
        outcomes.append(run_nightly(opts))
        time.sleep(1.1)  # each night's snapshot folder is stamped to the second
        api.plant_change("deployments", deployment["id"], {"status": "Active"}, MARCO)
        # History times are whole seconds: the next window starts at night 2's second, so Marco's
        # change must be a second older than that to stay out of night 3's window.
        time.sleep(1.1)
        outcomes.append(run_nightly(opts))
        time.sleep(1.1)
        api.plant_change("deployments", deployment["id"], {"status": "Inactive"}, PRIYA)
        api.plant_change("queues", queue["id"], {"acwSettings.wrapupPrompt": "MANDATORY"},
                         Actor(client_id=client["id"], application="Platform API", remote_ip=("192.0.2.44",)))
        outcomes.append(run_nightly(opts))
    return outcomes
