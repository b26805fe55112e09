"""Reports: what a consultant hands a client, rendered from a map and its check report."""
