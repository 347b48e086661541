"""Short-lived signed download links, so that tools which cannot send an Authorization header
(the `frictionless` CLI reading a datapackage.json, a browser handing a link to a download manager)
can fetch the resources a person may obtain. A link names the person, dataset and resource, expires
after an hour, and is checked again against the policies when used; every use is audited."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from ..extensions import db
from ..models import User

SALT = "portal.resource-download"
MAX_AGE = 3600  # seconds


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def sign(user_id: int, dataset: str, resource: str) -> str:
    return _serializer().dumps([user_id, dataset, resource])


def user_for(signature: str, dataset: str, resource: str) -> User | None:
    """The person a valid, unexpired link for exactly this dataset and resource was made for."""
    try:
        user_id, signed_dataset, signed_resource = _serializer().loads(signature[:500], max_age=MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    if (signed_dataset, signed_resource) != (dataset, resource):
        return None
    return db.session.get(User, user_id)
