"""The review app: FastAPI with server-rendered Jinja2 pages, in Indonesian, for the office's staff."""

from web.app import create_app

__all__ = ["create_app"]
