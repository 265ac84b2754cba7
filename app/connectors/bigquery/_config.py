"""BigQuery settings and the client built from them (google-cloud-bigquery imported here,
lazily: importing it costs about a second).

Authentication: a service-account key file (``credentials``), or, without one, Google's
application-default credentials (``GOOGLE_APPLICATION_CREDENTIALS``, ``gcloud auth
application-default login``, the metadata server). ``anonymous`` is for local emulators
only (it needs ``api_endpoint``). The key file's path is never logged or shown in messages:
errors name the setting, not the path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from app.connectors.base import ConnectionError_, ConnectorConfig
from app.i18n import _

__all__ = ["BigQueryConfig", "make_client"]


class BigQueryConfig(ConnectorConfig):
    #: the Google Cloud project that runs the jobs (and holds the dataset)
    project: str = Field(min_length=1, description="Google Cloud project that runs the jobs.")
    #: the default dataset: tables named without one live here
    dataset: str = Field(min_length=1, description="Dataset of unqualified table names.")
    #: where jobs run and datasets live (``US``, ``EU``, ``europe-west1``...)
    location: str | None = Field(default=None, description="Where jobs run: US, EU, europe-west1…")
    #: path of a service-account JSON key file; none: application-default credentials
    credentials: str | None = Field(
        default=None,
        repr=False,
        description="Service-account JSON key file; empty: application-default credentials.",
    )
    #: another API endpoint (a local emulator, a private endpoint)
    api_endpoint: str | None = Field(
        default=None, description="Another API endpoint (an emulator, a private endpoint)."
    )
    #: no credentials at all: local emulators only (needs ``api_endpoint``)
    anonymous: bool = Field(default=False, description="No credentials: emulators only.")
    #: seconds one API request or job may take before it fails
    timeout: float = Field(default=300.0, gt=0, description="Seconds a request or job may take.")

    @model_validator(mode="after")
    def _anonymous_needs_endpoint(self) -> BigQueryConfig:
        if self.anonymous and not self.api_endpoint:
            raise ValueError(_("anonymous access is only for an emulator: set api_endpoint"))
        if self.anonymous and self.credentials:
            raise ValueError(_("give either credentials or anonymous, not both"))
        return self


def _key_file(config: BigQueryConfig, root: Path) -> Path:
    path = Path(str(config.credentials)).expanduser()
    return path if path.is_absolute() else root / path


def _credentials(config: BigQueryConfig, root: Path, name: str) -> Any:
    if config.anonymous:
        from google.auth.credentials import AnonymousCredentials

        return AnonymousCredentials()
    if config.credentials is None:
        import google.auth
        import google.auth.exceptions

        try:
            credentials, _project = google.auth.default(
                scopes=["https://www.googleapis.com/auth/cloud-platform"]
            )
        except google.auth.exceptions.DefaultCredentialsError:
            raise ConnectionError_(
                _(
                    "{connection}: no credentials: give a service-account key file "
                    "(credentials) or set up application-default credentials "
                    "(gcloud auth application-default login, GOOGLE_APPLICATION_CREDENTIALS)"
                ).format(connection=name)
            ) from None
        return credentials
    path = _key_file(config, root)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConnectionError_(
            _("{connection}: the credentials file does not exist").format(connection=name)
        ) from None
    except (OSError, ValueError) as err:
        raise ConnectionError_(
            _("{connection}: the credentials file cannot be read as JSON: {error}").format(
                connection=name, error=type(err).__name__
            )
        ) from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise ConnectionError_(
            _(
                "{connection}: the credentials file is not a service-account key "
                '(its "type" is not "service_account")'
            ).format(connection=name)
        )
    from google.oauth2 import service_account

    try:
        return service_account.Credentials.from_service_account_info(
            info, scopes=["https://www.googleapis.com/auth/cloud-platform"]
        )
    except (ValueError, KeyError) as err:
        raise ConnectionError_(
            _(
                "{connection}: the credentials file is not a valid service-account key: {error}"
            ).format(connection=name, error=str(err).replace(str(path), "***"))
        ) from None


def make_client(config: BigQueryConfig, root: Path, name: str) -> Any:
    """A ``google.cloud.bigquery.Client`` for ``config``."""
    from google.api_core.client_options import ClientOptions
    from google.cloud import bigquery

    options = ClientOptions(api_endpoint=config.api_endpoint) if config.api_endpoint else None
    credentials = _credentials(config, root, name)
    if (config.api_endpoint or "").lower().startswith("http://") and not config.anonymous:
        raise ConnectionError_(  # before any request: the credentials never leave
            _(
                "{connection}: api_endpoint is plain http: credentials would travel "
                "unencrypted; use https (plain http only for an emulator, with anonymous)"
            ).format(connection=name)
        )
    return bigquery.Client(
        project=config.project,
        credentials=credentials,
        location=config.location,
        client_options=options,
    )
