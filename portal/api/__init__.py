"""JSON surfaces: our own /api/v1 and CKAN's Action API (read side). Both call the services."""
