"""The client page: everything an account manager needs about one client before a call.

`ClientPage` loads on first use: the client list imports small helpers from this package at
start-up and must not pay for the whole page before anyone opens a client.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ClientPage"]


def __getattr__(name: str) -> Any:
    if name == "ClientPage":
        from desktop.client_page.page import ClientPage

        return ClientPage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
