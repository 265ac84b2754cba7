"""The canvas: NodeGraphQt as a view of the pipeline model, kept in sync by the bridge.

- :mod:`~app.ui.canvas.view` — NodeGraphQt node classes (one per component) and a graph
  whose user gestures are reported instead of applied;
- :mod:`~app.ui.canvas.commands` — the undo commands; each calls ``Pipeline`` methods;
- :mod:`~app.ui.canvas.bridge` — the user-action API and the view refresh.

To support a new gesture, add a user-action method on the bridge that pushes a command.
"""
