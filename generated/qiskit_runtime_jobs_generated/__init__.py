"""A client library for accessing Qiskit Runtime API - Jobs"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
