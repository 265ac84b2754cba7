"""Data profiling: statistics of a table computed by SQL in the database that holds it.

``queries`` builds the profile's SQL as sqlglot trees in the source's dialect (what differs
between dialects is the :data:`queries.DIALECTS` table, not if/else chains); ``runner`` runs it
through a connector's :meth:`~app.connectors.base.Connector.query` and assembles a
:class:`model.TableProfile`; ``dependencies`` finds functional dependencies between column
pairs (exactly, pruning pairs by their counts and on a prefix of the rows); ``recognisers``
classifies the most frequent distinct values (shapes such as ``Aa9``, e-mail, URL, UUID,
IP, ISO date, IBAN, card numbers with Luhn). Nothing reads the table's rows into Python:
only aggregates and the top distinct values come back.

To support a new dialect, add a :class:`queries.DialectTraits` row to ``DIALECTS``.
"""

from __future__ import annotations

__all__ = ["ProfileError", "ProfileOptions", "TableProfile", "profile_relation", "profile_table"]

from app.engine.profile.model import ProfileError, ProfileOptions, TableProfile
from app.engine.profile.runner import profile_relation, profile_table
