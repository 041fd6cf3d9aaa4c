"""Broadsheet: a static-site generator for a newspaper's digital edition."""

__version__ = "0.1.0"
