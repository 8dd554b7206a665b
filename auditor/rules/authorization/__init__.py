"""Authorization: the co-browse permissions held by roles and by the agents of co-browse queues."""
