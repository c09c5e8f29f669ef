"""Analytics' REST API: ``base`` (the query every endpoint reads, its vendor, CSV), ``views``
(the endpoints) and ``urls``."""
