"""The POST actions of a detail page (an application's or a case's): run one, flash what happened
and go back to the page; on a validation error show the page again with the message and a 422."""

from flask import flash, redirect

from ..errors import NotFound, ValidationError


def perform(action: str, key, actions: dict, done: dict, show, back: str):
    """`actions[action](key)` runs the service call; `show(key)` renders the page; `back` is its URL."""
    if action not in actions:
        raise NotFound("没有这项操作")
    try:
        actions[action](key)
    except ValidationError as exc:
        flash(exc.message, "error")
        return show(key), 422
    flash(done[action], "success")
    return redirect(back)
