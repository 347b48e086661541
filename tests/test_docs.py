"""Fail when a command, setting or route is missing from the README (after Datasette's test_docs)."""

import re
from pathlib import Path

import click
import pytest

from portal import config
from portal.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix="portal"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix} {name}")


@pytest.mark.parametrize("command", list(_commands(main)))
def test_every_command_is_documented(command):
    assert f"`{command}" in README, f"{command} is not in README.md"


@pytest.mark.parametrize("key", config.ENV_KEYS)
def test_every_environment_variable_is_documented(key):
    assert f"PORTAL_{key}" in README


def test_every_route_is_documented(app):
    documented = set(re.findall(r"`(?:GET|POST|GET,POST) ([^`]+)`", README))
    documented = {p.strip() for entry in documented for p in entry.split(",")}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", rule.rule)
        path = path.replace("<job_id>", "<id>")
        assert path in documented or path.rstrip("/") in documented, f"route {path} is not in README.md"


def test_readme_starts_with_the_two_commands():
    head = "\n".join(README.splitlines()[:6])
    assert "make run" in head and "make test" in head
