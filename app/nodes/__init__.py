"""The component catalog: every node a pipeline can hold (sources, transforms, destinations).

A component is one module declaring, as data, what the editor and the compiler need, plus one
``compile`` method; it never runs anything (the engine does).

How to add a component (``filter.py`` is a short example to copy):

1. Write ``app/nodes/<name>.py`` (or a module of your own package) with a parameter model, a
   subclass of :class:`app.nodes.base.Params`, whose fields carry a ``description``: the
   editor builds the property form from it and the reference documents it.
2. Subclass :class:`app.nodes.base.Component`: ``type_name`` (stored in pipeline files, never
   renamed), ``label``, ``category``, ``description``, ``Params``, and its ports, ``inputs``
   and ``outputs`` (:class:`~app.nodes.base.Port`; one ``in`` and one ``out`` by default).
   Set ``order_port`` when the rows come out in their input's order.
3. Implement ``compile(ctx, params, inputs)``: for each output port an
   :class:`~app.nodes.base.Output`, a sqlglot query over the input relations and its Arrow
   schema. Build SQL as sqlglot trees (never f-strings); parse what users type with
   ``ctx.expression(...)`` and report bad parameters with ``raise ctx.error(message, field)``.
4. Register it in ``pyproject.toml`` under ``[project.entry-points."cauce.nodes"]``
   (``name = "app.nodes.<name>:<Class>"``; third-party packages declare the same group), then
   reinstall (``uv sync``) so the entry point is seen.
5. Regenerate the reference: ``python -m app.nodes.reference --write`` rewrites the parameter
   reference in ``docs/components.md`` and the pipeline JSON Schema (a test fails while they
   are stale). Test it with ``tests/nodes/support.py`` (``build``, ``render_everywhere``).
"""
