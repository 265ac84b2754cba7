"""``cauce serve``: run the API with uvicorn (imported only by this command)."""

from __future__ import annotations

import uvicorn

from app.api.app import create_app
from app.api.settings import ServerSettings

__all__ = ["serve"]


def serve(
    *, host: str, port: int, db_url: str | None, workers: int = 4, log_level: str = "info"
) -> None:
    """Serve until interrupted (SIGINT, SIGTERM): running runs are cancelled on the way out."""
    app = create_app(ServerSettings.from_env(db_url=db_url, workers=workers))
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False)
