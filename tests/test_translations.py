"""The English catalog: every translatable string in the templates (and any gettext call in the
Python code) has an English entry, the labels that views pass to `_()` have one too, the committed
.mo says what the .po says, and pages rendered with ?lang=en really use the translations."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from portal.extensions import db
from portal.policies import SYSTEM
from portal.services import publishing

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "portal" / "translations" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _read_po():
    with open(CATALOG / "messages.po", "rb") as fh:
        return read_po(fh)


def _messages(catalog) -> dict:
    """(context, msgid) -> msgstr, a plural entry under its singular msgid with a tuple of msgstrs;
    read_mo gives contexts as bytes, read_po as str."""
    return {(m.context.decode() if isinstance(m.context, bytes) else m.context,
             m.id[0] if isinstance(m.id, tuple | list) else m.id): m.string
            for m in catalog if m.id}


def _translated(string) -> bool:
    return all(string) if isinstance(string, tuple | list) else bool(string)


def _extracted() -> dict:
    """(context, msgid) -> where it is used, as Babel's extractors find it: the same as `pybabel extract`
    with `[jinja2: templates/**.html]` and `[python: portal/**.py]` (plus lazy_gettext and _l)."""
    found = {}
    sources = [(ROOT / "templates", [("**.html", "jinja2")], DEFAULT_KEYWORDS),
               (ROOT / "portal", [("**.py", "python")], DEFAULT_KEYWORDS | {"lazy_gettext": None, "_l": None})]
    for folder, method_map, keywords in sources:
        for filename, lineno, message, _comments, context in extract_from_dir(folder, method_map, keywords=keywords):
            msgid = message[0] if isinstance(message, tuple) else message  # ngettext: the singular
            found.setdefault((context, msgid), f"{folder.name}/{filename}:{lineno}")
    return found


def _shown_labels() -> set[str]:
    """Chinese labels the services hand to templates, which show them through `_(label)`."""
    from portal.services import (
        applications,
        cases,
        catalog_changes,
        data_requests,
        deadlines,
        users,
        views,
        worklist,
    )
    from portal.services.feedback import why_not_post

    labels: set[str] = set()

    def add(value):
        if isinstance(value, dict):
            for v in value.values():
                add(v)
        elif isinstance(value, list | tuple):
            for v in value:
                add(v)
        elif isinstance(value, str):
            labels.add(value)

    for table in (cases.KIND_LABELS, cases.CATEGORY_LABELS, cases.STATE_LABELS, cases.EVENT_LABELS,
                  catalog_changes.ATTRIBUTES, catalog_changes.STATE_LABELS, data_requests.SORTS,
                  data_requests.PUBLIC_STATES, applications.STATE_LABELS, applications.EVENT_LABELS,
                  users.KIND_LABELS, users.VERIFICATION_LABELS, views.OPEN_ACCESS_LABELS,
                  views.SHARE_ACCESS_LABELS, views.FREQUENCY_LABELS, deadlines.PROCESSES):
        add(table)
    add(data_requests.COMMITMENT)
    # who acts in a timeline and who must act next in the work queue
    add(["系统", "提交人", "数据主管部门", "数据提供部门", "申请人"])
    # the string constants of these functions are labels: the kind of an application in the work
    # queue, and why a visitor may not rate a dataset (feedback/_dataset.html shows `_(feedback.why_not)`)
    add(worklist._from_application.__code__.co_consts)
    add(why_not_post.__code__.co_consts)
    assert {"有条件开放申请", "请先登录"} <= labels
    return {label for label in labels if re.search(r"[\u4e00-\u9fff]", label)}


def test_every_template_string_has_an_english_entry():
    catalog = _messages(_read_po())
    extracted = _extracted()
    assert len(extracted) > 500  # the extractor really ran over the templates
    missing = [f"{where}: {msgid!r}" + (f" (context {context!r})" if context else "")
               for (context, msgid), where in sorted(extracted.items(), key=lambda item: item[1])
               if not _translated(catalog.get((context, msgid)))]
    assert not missing, "no English entry in messages.po for:\n" + "\n".join(missing)


def test_labels_shown_through_gettext_have_english_entries():
    catalog = _messages(_read_po())
    missing = sorted(label for label in _shown_labels() if not _translated(catalog.get((None, label))))
    assert not missing, "no English entry in messages.po for these labels:\n" + "\n".join(missing)


def test_catalog_entries_are_complete_and_keep_their_placeholders():
    catalog = _read_po()
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not _translated(message.string):
            problems.append(f"untranslated: {message.id!r}")
            continue
        source = " ".join(message.id) if isinstance(message.id, tuple | list) else message.id
        for string in message.string if isinstance(message.string, tuple | list) else [message.string]:
            if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(string)):
                problems.append(f"placeholders differ: {message.id!r} -> {string!r}")
    assert not problems, "\n".join(problems)


def test_the_app_compiles_the_catalog_and_recompiles_a_stale_one(tmp_path):
    """.mo files are build output (git-ignored): portal.i18n compiles them at start when missing or
    older than the .po. The compiled catalog must carry exactly the .po's messages."""
    import os
    import shutil

    from portal.i18n import compile_translations

    folder = tmp_path / "translations"
    shutil.copytree(CATALOG.parent.parent, folder, ignore=shutil.ignore_patterns("*.mo"))
    po = folder / "en" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    compile_translations(folder)
    with open(mo, "rb") as fh:
        assert _messages(read_mo(fh)) == _messages(_read_po())
    mo.write_bytes(b"stale")
    os.utime(mo, (1, 1))  # older than the .po
    compile_translations(folder)
    with open(mo, "rb") as fh:
        assert _messages(read_mo(fh)) == _messages(_read_po())


# -- rendered pages ----------------------------------------------------------------------------------
@pytest.fixture
def published(app, people, write_package):
    with app.app_context():
        assert publishing.publish(SYSTEM, [write_package("open", name="m-open", title="药店名录")]).ok
    return "m-open"


def test_data_request_pages_in_english(app, client, published):
    from portal.services import data_requests
    from tests.test_downloads import add_user

    with app.app_context():
        requester = add_user("requester", "person")
        reference = data_requests.file(requester, "城区公交线路实时客流数据", "需要各公交线路按小时统计的上下车人数。").reference
        db.session.commit()

    page = client.get("/data-requests?lang=en").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "<title>Data requests · Nanyang Open Government Data</title>" in page
    assert "Submit a data request" in page and "All statuses" in page and "Most supported" in page
    assert "Departments reply within 10 working days of assignment." in page
    assert "Awaiting assignment by the data authority" in page and "New dataset" in page  # state, category
    assert "数据需求" not in page and "提出数据需求" not in page

    page = client.get(f"/data-requests/{reference}").get_data(as_text=True)  # the choice sticks
    assert "Awaiting review and assignment by the data authority." in page
    assert "Supporters" in page and "Log in to support this request (I need this too)" in page
    assert "Submitted · Submitter" in page  # timeline: event label and actor
    assert "需求描述" not in page and "提交人" not in page


def test_dataset_page_sections_in_english(client, published):
    page = client.get(f"/datasets/{published}?lang=en").get_data(as_text=True)
    for text in ("Catalog objections", "Object to this catalog entry", "(art. 45)", "No catalog objections yet.",
                 "Data error reports", "Report a data error", "Report a problem with this row",
                 "Ratings and comments", "No ratings yet", "Please log in first", "No comments yet.",
                 "Submit a data request", "Catalog change history"):
        assert text in page, text
    for chinese in ("开放目录更正申请", "问题数据反馈", "评价与评论", "请先登录", "报告这一行的数据问题"):
        assert chinese not in page, chinese


def test_work_queue_and_catalog_change_review_in_english(client, auth, published):
    auth.login("admin")
    page = client.get("/console/queue?lang=en").get_data(as_text=True)
    assert "<h1>Pending items</h1>" in page and "Waiting for" in page and "Catalog changes awaiting review" in page
    assert "No pending items." in page and "待办事项" not in page
    page = client.get("/admin/catalog-changes").get_data(as_text=True)
    assert "<h1>Catalog change review</h1>" in page and "No catalog changes awaiting review." in page
    assert "Attributes changed" in page and "目录更正" not in page
