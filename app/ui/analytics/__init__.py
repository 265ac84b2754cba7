"""Metadata panels of the editor: query analytics (the Monitor menu's Query analytics window,
:mod:`.panel`, with the plan tree of :mod:`.plan_tree`) and the Run menu's Keep query plans
(:mod:`.opening`).

Extend it with a module per panel; its data comes from a service module (here
:mod:`app.services.query_analytics`), read off the GUI thread, and the main window reaches it
through a mixin (:class:`.opening.AnalyticsMixin`).
"""
