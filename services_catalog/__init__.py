"""The services catalogue: a leaf domain that knows services, not conversations.

Modules, by responsibility:
- `topics`, `vocabulary`: the controlled vocabularies (topics, roles, kinds, status).
- `models`: the tables (HSDS 3.0 shaped) on `CatalogBase`.
- `records`, `record_parts`, `phones`, `problems`: validated records and what is wrong with them.
- `rows`: records <-> rows. `queries`: every SELECT. `editing`: changes with history.
- `opening_hours`: open now / next opening in Europe/Oslo. `ranking`, `matching`: find_matching.
- `datafile` (YAML), `hsds`/`hsds_reading` (HSDS JSON), `formats`, `importing`: files in and out.
- `seeding` and `data/eksempel-kommune.yml`: the demo municipality.
"""
