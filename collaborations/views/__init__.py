"""Collaborations' pages: the list, the pipeline, a collaboration and its terms
(``collaborations``), and the pages of its deliverables, shipments, money and results."""
