"""Run monitoring in the editor: the run history (filters, per-node metrics, log), the
dashboard's charts, and the Monitor menu that opens every monitoring window.

Extend it with a module per window; data comes from :mod:`app.services.history` (and the
schedules, alerts and channels services), read off the GUI thread.
"""
