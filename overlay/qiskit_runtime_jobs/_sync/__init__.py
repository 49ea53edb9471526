"""The sync drivers, generated from `_async/` by `make generate`: do not edit."""
