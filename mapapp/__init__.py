"""The Flask app serving the Shanghai innovation map; build it with :func:`create_app`."""

from __future__ import annotations

from mapapp.app import create_app

__all__ = ["create_app"]
