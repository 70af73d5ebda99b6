"""The Hub pages: Discover (search the Hub, fit badges) and Library (files on disk, downloads)."""
