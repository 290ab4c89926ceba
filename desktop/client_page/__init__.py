"""The client page: everything an account manager needs about one client before a call."""

from desktop.client_page.page import ClientPage

__all__ = ["ClientPage"]
