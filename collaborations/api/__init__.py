"""Collaborations' API: the collaborations and their terms (``collaborations``), deliverables,
shipments, the ledger and payouts, and results; paths in ``urls``."""
