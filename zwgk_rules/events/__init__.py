"""Event logs: the typed Event and one reader per input format."""
