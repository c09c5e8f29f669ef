"""Broadcasts' REST API: ``broadcasts`` (drafts, the lifecycle, one broadcast's deliveries, the
audience preview) and ``deliveries`` (the delivery log across all your broadcasts, JSON or CSV)."""
