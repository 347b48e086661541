"""Every permission decision lives here: can_<verb>(actor, obj) -> bool.

`actor` is a User, flask-login's anonymous user, or SYSTEM (the operator's shell: `portal publish`,
`portal demo`). Services call these before acting; views and templates may call them to decide
what to show, never to replace the service's own check.
"""


class _SystemActor:
    """The operator at the command line: trusted like the data authority, never a web session."""

    id = None
    kind = "system"
    is_authenticated = True
    is_admin = True
    is_staff = False
    is_public = False
    is_verified = True
    is_suspended = False
    department_id = None
    display_name = "命令行操作员"


SYSTEM = _SystemActor()


def _is_user(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and getattr(actor, "is_active", True)


def can_use_console(actor) -> bool:
    return _is_user(actor) and (actor.is_staff or actor.is_admin)


def can_publish(actor, department) -> bool:
    """Staff and heads publish for their own department; the data authority for any."""
    if not _is_user(actor):
        return False
    if actor.is_admin:
        return True
    return actor.is_staff and department is not None and actor.department_id == department.id


def can_view_job(actor, job) -> bool:
    if not _is_user(actor):
        return False
    return actor.is_admin or actor.id == job.user_id or (actor.is_staff and actor.department_id == job.department_id)


def can_obtain_data(actor) -> bool:
    """Who may obtain data at all (art. 46 ¶3, art. 41): a verified identity not suspended."""
    return _is_user(actor) and getattr(actor, "id", None) is not None and actor.is_verified \
        and not actor.is_suspended


def can_download(actor, dataset, grant=None) -> bool:
    """Resource files and the package zip of a dataset's current version.

    unconditional: any verified, unsuspended account. conditional: the holder of an active grant
    (the service passes the actor's active grant, or None), within the grant's scope; the producing
    department's own staff and head may also check what they published. closed: nobody.
    """
    if not can_obtain_data(actor) or dataset.open_access == "closed":
        return False
    if dataset.open_access == "unconditional":
        return True
    if grant is not None and grant.user_id == actor.id and grant.dataset_id == dataset.id:
        return True
    return actor.is_staff and actor.department_id == dataset.department_id


def can_view_downloads_of(actor, department_id: int) -> bool:
    """Who downloaded a department's data: its staff and head, and the data authority."""
    return _is_user(actor) and (actor.is_admin or (actor.is_staff and actor.department_id == department_id))


def can_manage_tokens(actor, user) -> bool:
    """A person creates and revokes their own tokens; the data authority may revoke anyone's."""
    return _is_user(actor) and (actor.is_admin or getattr(actor, "id", None) == user.id)


def can_grant(actor, dataset) -> bool:
    """Grants come from approved applications, decided by the producing department (or the CLI)."""
    return _is_user(actor) and (actor.is_admin and getattr(actor, "id", None) is None
                                or (actor.is_staff and actor.department_id == dataset.department_id))


def can_preview(actor, dataset) -> bool:
    """The first rows are public for unconditional data only (art. 46 ¶3 still gates the download)."""
    return dataset.open_access == "unconditional"


def can_remove_dataset(actor) -> bool:
    return _is_user(actor) and actor.is_admin


def can_manage_users(actor) -> bool:
    return _is_user(actor) and actor.is_admin


def can_register(actor) -> bool:
    """Citizens and firms register themselves while logged out; the data authority (CLI) for them."""
    return not getattr(actor, "is_authenticated", False) or can_manage_users(actor)


def can_review_identity(actor, user) -> bool:
    """The data authority decides on identities awaiting manual verification."""
    return can_manage_users(actor) and user.is_public


def can_suspend_user(actor, user) -> bool:
    """Art. 41: the data authority suspends public accounts and staff, never itself or another admin."""
    return can_manage_users(actor) and not user.is_admin and getattr(actor, "id", None) != user.id


def can_change_password(actor, user) -> bool:
    return _is_user(actor) and getattr(actor, "id", None) == user.id


# -- conditional-access applications (art. 46) -------------------------------------------------
def can_apply(actor, dataset) -> bool:
    """Verified, unsuspended citizens and firms apply for conditional data."""
    return can_obtain_data(actor) and actor.is_public and dataset.open_access == "conditional"


def _producing(actor, application) -> bool:
    return _is_user(actor) and actor.is_staff and actor.department_id == application.department_id


def can_view_application(actor, application) -> bool:
    return _is_user(actor) and (getattr(actor, "id", None) == application.applicant_id
                                or _producing(actor, application) or actor.is_admin)


def can_act_as_applicant(actor, application) -> bool:
    return _is_user(actor) and getattr(actor, "id", None) == application.applicant_id


def can_handle_application(actor, application) -> bool:
    """Decide, ask for supplements, propose an extension: the producing department's staff and head."""
    return _producing(actor, application)


def can_approve_extension(actor, application) -> bool:
    """Art. 46: an extension needs the approval of the department's head (主要负责人)."""
    return _producing(actor, application) and actor.kind == "head"


def can_view_application_queue(actor, department_id: int) -> bool:
    return _is_user(actor) and (actor.is_admin or (actor.is_staff and actor.department_id == department_id))


def can_manage_calendar(actor) -> bool:
    """Official working-day calendars (调休 notices) are loaded by the data authority or the CLI."""
    return _is_user(actor) and actor.is_admin


def can_read_notification(actor, notification) -> bool:
    """Inbox entries are private to their addressee."""
    return _is_user(actor) and getattr(actor, "id", None) == notification.user_id


def can_create_token(actor, user) -> bool:
    """Tokens are personal: only their owner creates them (the operator's CLI may, for a user)."""
    return _is_user(actor) and getattr(actor, "id", None) in (user.id, None)


# -- objections (art. 45), error reports (arts. 64–65), data requests, feedback (art. 50) ----------
def can_file_case(actor) -> bool:
    """Objections, error reports and data requests come from verified, unsuspended citizens and firms."""
    return can_obtain_data(actor) and actor.is_public


def _case_department(actor, case) -> bool:
    return _is_user(actor) and actor.is_staff and case.department_id is not None \
        and actor.department_id == case.department_id


def can_view_case(actor, case) -> bool:
    """The full case (with the submitter's masked identity and evidence): the submitter, the
    department it is with, and the data authority. Everyone else sees only the public summary."""
    return _is_user(actor) and (getattr(actor, "id", None) == case.submitter_id
                                or _case_department(actor, case) or actor.is_admin)


def can_act_as_submitter(actor, case) -> bool:
    return _is_user(actor) and getattr(actor, "id", None) == case.submitter_id


def can_answer_case(actor, case) -> bool:
    """Answer an objection, decide on / correct an error report, answer a data request: the staff and
    head of the department the case is with."""
    return _case_department(actor, case)


def can_approve_case_extension(actor, case) -> bool:
    """Art. 45 (as art. 46): an extension needs the approval of the department's head."""
    return _case_department(actor, case) and actor.kind == "head"


def can_dispatch_case(actor) -> bool:
    """The data authority dispatches error reports to producers (or rejects them) and routes data
    requests to departments."""
    return _is_user(actor) and actor.is_admin


def can_decide_catalog_change(actor) -> bool:
    """Catalog changes agreed by a producer are approved or rejected by the data authority (art. 45)."""
    return _is_user(actor) and actor.is_admin


def can_view_catalog_change(actor, change) -> bool:
    """A proposed or decided catalog change: the data authority and the dataset's department."""
    return _is_user(actor) and (actor.is_admin or (actor.is_staff and actor.department_id == change.dataset.department_id))


def can_support_request(actor, case) -> bool:
    """Other citizens and firms may add their support to a data request (not their own)."""
    return can_file_case(actor) and actor.id != case.submitter_id


def can_post_feedback(actor) -> bool:
    """Ratings and comments (art. 50): verified, unsuspended citizens and firms."""
    return can_file_case(actor)


def can_moderate_feedback(actor, feedback) -> bool:
    """The producing department of the dataset and the data authority hide or restore feedback."""
    return _is_user(actor) and (actor.is_admin or (actor.is_staff and actor.department_id == feedback.dataset.department_id))


def can_report_feedback(actor, feedback) -> bool:
    """Any signed-in account may report abusive content, except on its own entry."""
    return _is_user(actor) and getattr(actor, "id", None) not in (None, feedback.user_id)


def can_delete_feedback(actor, feedback) -> bool:
    """Authors delete (hide) their own ratings and comments."""
    return _is_user(actor) and getattr(actor, "id", None) == feedback.user_id
