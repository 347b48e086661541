"""(being written)"""

from flask import Blueprint

bp = Blueprint("objections", __name__)
