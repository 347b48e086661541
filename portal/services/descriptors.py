"""The datapackage.json served to clients: the published descriptor with absolute resource URLs.

Whoever may download a resource gets a signed, short-lived link (portal.services.signed_urls) so
that Frictionless tooling can read the data over HTTP unchanged; everyone else gets the gated
download route, which asks them to log in (art. 46 ¶3). A grant holder's descriptor describes what
they will actually receive: only the granted resources and fields, without the publication's
hashes (the served extract differs from the published file).
"""

import json

from flask import url_for

from . import downloads, signed_urls
from .datasets import descriptor_json


def descriptor_for(actor, name: str) -> dict:
    descriptor = json.loads(descriptor_json(actor, name))
    access = downloads.access(actor, name)
    kept = []
    for resource in descriptor.get("resources", []):
        resource_name = resource.get("name", "")
        granted = access.allowed and (access.resources is None or resource_name in access.resources)
        if access.allowed and not granted:
            continue  # a grant holder's package lists only what was granted
        link = {"name": name, "resource": resource_name, "_external": True}
        if granted:
            link["signature"] = signed_urls.sign(actor.id, name, resource_name)
            fields = (access.resources or {}).get(resource_name)
            if fields:
                schema = resource.get("schema", {})
                schema["fields"] = [f for f in schema.get("fields", []) if f.get("name") in fields]
                resource.pop("hash", None)
                resource.pop("bytes", None)
        resource["path"] = url_for("downloads.resource", **link)
        kept.append(resource)
    descriptor["resources"] = kept
    return descriptor
