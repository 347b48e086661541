"""(being written)"""

from flask import Blueprint

bp = Blueprint("feedback", __name__)
