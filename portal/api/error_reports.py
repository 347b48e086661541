"""(being written)"""

from flask import Blueprint

bp = Blueprint("api_error_reports", __name__, url_prefix="/api/v1/error-reports")
