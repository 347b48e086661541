"""(being written)"""

from flask import Blueprint

bp = Blueprint("api_objections", __name__, url_prefix="/api/v1/objections")
