"""Serve the web app's own CSS and script under /static: nothing comes from elsewhere."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

DIRECTORY = Path(__file__).resolve().parent / "static"


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=DIRECTORY), name="static")
