"""One module per API resource, written once here; `avala/_sync/resources` is generated."""
