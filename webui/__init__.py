"""Web UI and JSON API of Regionarkiv."""
