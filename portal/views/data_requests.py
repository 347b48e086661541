"""(being written)"""

from flask import Blueprint

bp = Blueprint("data_requests", __name__)
