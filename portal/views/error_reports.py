"""(being written)"""

from flask import Blueprint

bp = Blueprint("error_reports", __name__)
