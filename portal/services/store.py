from flask import current_app

from packages import Limits, PackageStore


def package_store() -> PackageStore:
    return PackageStore(current_app.config["PACKAGE_STORE"])


def limits() -> Limits:
    return Limits(archive_max_bytes=current_app.config["ARCHIVE_MAX_BYTES"],
                  archive_max_members=current_app.config["ARCHIVE_MAX_MEMBERS"])
