"""The action layer: HTML views, JSON API and CLI all call these functions.

Each public function takes the actor first, checks its policy, and returns plain values or
dataclasses. Errors are raised as portal.errors.* and mapped to HTTP statuses in one place.
"""
