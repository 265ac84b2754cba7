"""The alert centre, the notification channels window (send test, allow-list, rule
simulator), and the watcher that turns new alerts into tray notifications or in-window notices.

Everything goes through :mod:`app.services.alerts`, :mod:`app.services.channels` and
:mod:`app.services.notify_admin`.
"""
