"""The rule language: typed model, JSON Schema validation and loading from YAML."""
