"""Archival digitization and annotation pipeline: sources to validated TEI P5."""
__version__ = "0.2.2"
