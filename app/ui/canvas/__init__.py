"""The canvas: NodeGraphQt as a view of the pipeline model, kept in sync by the bridge.

- :mod:`~app.ui.canvas.view` — NodeGraphQt node classes (one per component) and a graph
  whose user gestures are reported instead of applied;
- :mod:`~app.ui.canvas.commands` — the undo commands; each calls ``Pipeline`` methods (or the
  editing use cases of the services) and never touches the view;
- :mod:`~app.ui.canvas.follow` — draws each change the pipeline tells its listeners;
- :mod:`~app.ui.canvas.bridge` — the user-action API; it subscribes the follower to the
  pipeline it shows.

To support a new gesture, add a user-action method on the bridge that pushes a command. To show
a new kind of change, add its record to :mod:`app.model.changes`, emit it from the pipeline's
method, and draw it in :class:`~app.ui.canvas.follow.ModelFollower`.
"""
