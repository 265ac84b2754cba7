"""Privacy: column tags (classification), their suggestion and propagation through lineage,
masking methods as SQL trees per dialect, and the keys masking uses.

- :mod:`.tags` — the tag vocabulary and :func:`~.tags.suggest_tags` (column names in English
  and Spanish, values through the profiler's recognisers);
- :mod:`.methods` — each masking method as a sqlglot tree (DuckDB's), rewritten per dialect at
  render time; a method a dialect cannot express raises there, and a run places its stage on
  the local engine (:func:`~.methods.pushable`);
- :mod:`.keys` — the HMAC key of a process, given to every local DuckDB session as variables
  (never in SQL text), and the session's Python functions for ``tokenize`` and ``vault``;
- :mod:`.tokenize` — format-preserving FF3-1 tokenization (the ``ff3`` library) of a value's
  digits and letters;
- :mod:`.batch_mask` — the same masks applied to Arrow batches on their way to a sync's
  destinations;
- :mod:`.propagate` — tags of a pipeline's columns from its sources' tags, by column lineage;
- :mod:`.source_tags` — a query source's tags (lineage over the parsed query to the queried
  tables' tags) and the catalogued files a file source's path names;
- :mod:`.plan_names` — the names a compiled pipeline may quote in its errors and logs (every
  other quoted literal of a run with tagged columns is masked);
- :mod:`.values` — the same masks applied to Arrow values (previews, samples, profiles);
- :mod:`.subject` — a data subject's keys (GDPR requests): normalised values, keyed hashes,
  the SQL that finds, reads, deletes or anonymises their rows in any dialect;
- :mod:`.suppress` and :mod:`.suppress_stage` — the suppression list on the write path: rows
  of erased subjects left out (or anonymised) by syncs (Arrow) and pipelines (a filter around
  the stage's query, run on the local engine).

Add a method: a builder in :data:`.methods.BUILDERS` (the DuckDB tree), its rewrites for other
dialects in :data:`.methods.REWRITES`, the same rule in :func:`.values.mask_array`, and a row
in ``docs/privacy.md``. Nothing here is imported by a project that does not mask.
"""
