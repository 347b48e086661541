"""(being written)"""

from flask import Blueprint

bp = Blueprint("api_data_requests", __name__, url_prefix="/api/v1/data-requests")
