"""A producer's journey in a real browser (Debian's chromium driven by Playwright): log in, upload,
watch the background job's progress update in place, and land on the published dataset."""

import threading
import time

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, PHARMACY_CSV

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def live_server(app, people):
    """The app on a loopback port, with a real SQLite job queue and a worker thread."""
    from portal import jobs

    app.config["JOBS_IMMEDIATE"] = False
    jobs.init_app(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    stop = threading.Event()

    def work():
        while not stop.is_set():
            with app.app_context():
                task = jobs.huey.dequeue()
                if task is None:
                    time.sleep(0.2)
                    continue
                time.sleep(1.0)  # let the page show the queued state before the work starts
                jobs.huey.execute(task)

    threads = [threading.Thread(target=server.serve_forever, daemon=True), threading.Thread(target=work, daemon=True)]
    for t in threads:
        t.start()
    yield f"http://127.0.0.1:{server.server_port}"
    stop.set()
    server.shutdown()
    app.config["JOBS_IMMEDIATE"] = True
    jobs.init_app(app)


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield browser.new_page()
        browser.close()


def test_producer_publishes_and_watches_progress(live_server, page, tmp_path):
    csv_path = tmp_path / "药店名录.csv"
    csv_path.write_bytes(PHARMACY_CSV.encode("gbk"))

    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "market-staff")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    assert "部门工作台" in page.text_content("h1")

    page.click("text=发布数据集或新版本")
    page.set_input_files("input[name=files]", str(csv_path))
    page.fill("input[name=name]", "nanyang-browser-pharmacies")
    page.fill("input[name=title]", "浏览器上传的药店名录")
    page.fill("textarea[name=description]", "经浏览器上传。")
    page.select_option("select[name=domain]", "市场监管")
    page.select_option("select[name=license]", "CC-BY-4.0")
    page.select_option("select[name=open_access]", "unconditional")
    page.select_option("select[name=share_access]", "none")
    page.select_option("select[name=update_frequency]", "monthly")
    page.fill("input[name=contact_name]", "王伟")
    page.fill("input[name=contact_phone]", "0377-63123456")
    page.click("input[name=publish]")

    assert page.locator("#job").get_attribute("data-state") in ("queued", "running")
    page.wait_for_selector("text=已发布", timeout=30_000)  # the page polled and reloaded by itself
    page.click("a:has-text('nanyang-browser-pharmacies')")
    assert page.text_content("h1").startswith("浏览器上传的药店名录")
    assert page.locator("table.preview").inner_text().count("宛城区仁和大药房") == 1


def test_citizen_registers_downloads_and_verifies_the_file(live_server, page, app, write_package, tmp_path):
    """Issue 5's journey: register with an ID number, be verified, download an open dataset, see it in
    the history, and check the downloaded file's authenticity on /verify."""
    import random
    from datetime import date

    from anonymization.identifiers import cn_id_card
    from portal.policies import SYSTEM
    from portal.services import publishing

    with app.app_context():
        folder = write_package("open", name="nanyang-open-pharmacies", title="南阳市药店名录（开放）")
        assert publishing.publish(SYSTEM, [folder]).ok
    id_number = cn_id_card(random.Random(7), region="411302", birth_date=date(1986, 3, 9))

    page.goto(f"{live_server}/register")
    page.fill("input[name=username]", "zhang.min")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.fill("input[name=display_name]", "张敏")
    page.fill("input[name=id_number]", id_number)
    page.fill("input[name=mobile]", "13803771234")
    page.check("input[name=accept_terms]")
    page.click("button:has-text('注册')")
    page.goto(f"{live_server}/account")
    body = page.text_content("main")
    assert "已核验" in body and id_number not in body and id_number[-4:] in body

    page.goto(f"{live_server}/datasets/nanyang-open-pharmacies")
    with page.expect_download() as pending:
        page.click("a.button.small:has-text('下载')")
    downloaded = tmp_path / "downloaded.csv"
    pending.value.save_as(downloaded)
    assert downloaded.read_bytes() == PHARMACY_CSV.encode()

    page.goto(f"{live_server}/account/downloads")
    assert "南阳市药店名录（开放）" in page.text_content("table")

    page.goto(f"{live_server}/verify")
    page.set_input_files("input[name=file]", str(downloaded))
    page.click("button:has-text('验证')")
    verdict = page.text_content("#result")
    assert "nanyang-open-pharmacies" in verdict or "南阳市药店名录（开放）" in verdict
    assert page.text_content("#result h2").startswith("验证通过")


def test_firm_applies_department_extends_and_approves_a_field_subset(live_server, page, app, write_package,
                                                                       tmp_path, monkeypatch):
    """Issue 6's journey in Chromium: a verified firm applies and sees its deadline; staff propose an
    extension, the head approves it; staff approve two of four fields; the firm downloads exactly
    those; the department's figures count the application."""
    from datetime import date, datetime, time

    from portal.policies import SYSTEM
    from portal.services import clock, publishing
    from tests.test_downloads import BASIS, add_user

    monkeypatch.setattr(clock, "now", lambda: datetime.combine(date(2026, 9, 28), time(2, 0)))
    with app.app_context():
        folder = write_package("cond", name="nanyang-cond-pharmacies", title="药店名录（有条件开放）",
                               open_access="conditional", open_access_basis=BASIS)
        assert publishing.publish(SYSTEM, [folder]).ok
        add_user("acme", "firm")

    def login(username):
        page.goto(f"{live_server}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('登录')")

    login("acme")
    page.goto(f"{live_server}/datasets/nanyang-cond-pharmacies")
    page.click("text=申请使用该数据")
    page.fill("textarea[name=purpose]", "药品零售网点布局研究")
    page.fill("textarea[name=scenario]", "城市规划研究报告")
    page.check("input[name=resource][value=pharmacies]")
    page.fill("input[name=period_until]", "2027-09-30")
    page.fill("textarea[name=security_measures]", "专机存储，访问留痕，期满删除")
    page.check("input[name=accept]")
    page.click("button:has-text('提交申请')")
    assert "答复期限 2026-10-16" in page.text_content(".flash")
    assert "还剩 10 个工作日" in page.text_content("#deadline")
    receipt = page.url.rsplit("/", 1)[1]

    login("market-staff")
    page.goto(f"{live_server}/console/applications")
    assert receipt in page.text_content("table")
    page.click(f"text={receipt}")
    page.click("summary:has-text('申请延期')")
    page.fill("#extension textarea[name=reason]", "需逐项核查字段的敏感性")
    page.click("#extension button")
    assert "等待部门主要负责人批准" in page.text_content("#deadline")

    login("market-head")
    page.goto(f"{live_server}/applications/{receipt}")
    page.click("#extension-decision button[value=approve]")
    assert "2026-10-30" in page.text_content("#deadline")

    login("market-staff")
    page.goto(f"{live_server}/applications/{receipt}")
    for field in ("所在区县", "经营面积"):
        page.uncheck(f"#approve input[value='pharmacies::{field}']")
    page.click("#approve button")
    assert "企业名称、发证日期" in page.text_content("#granted")
    page.goto(f"{live_server}/console/applications/figures")
    cells = page.locator("table[data-process=application] tbody tr:has-text('南阳市市场监督管理局') td").all_text_contents()
    assert cells[1:4] == ["1", "1", "0"]  # received, decided on time, decided late

    login("acme")
    page.goto(f"{live_server}/datasets/nanyang-cond-pharmacies")
    with page.expect_download() as pending:
        page.click("a.button.small:has-text('下载')")
    saved = tmp_path / "granted.csv"
    pending.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "企业名称,发证日期" and len(lines) == 3


def test_citizen_objects_department_agrees_authority_changes_the_catalog(live_server, page, app, write_package,
                                                                           monkeypatch):
    """Issue 7's journey in Chromium: a citizen objects to a closed entry's open attribute and sees the
    deadline; the department agrees, proposing "unconditional"; the data authority approves; the
    entry is now open with a public before/after history, the citizen is told, and no public page
    names the citizen."""
    from datetime import date, datetime, time

    from portal.policies import SYSTEM
    from portal.services import clock, publishing
    from tests.test_downloads import BASIS, add_user

    monkeypatch.setattr(clock, "now", lambda: datetime.combine(date(2026, 9, 28), time(2, 0)))
    with app.app_context():
        folder = write_package("closed", name="nanyang-closed-pharmacies", title="药店名录（不予开放）",
                               open_access="closed", open_access_basis=BASIS)
        assert publishing.publish(SYSTEM, [folder]).ok
        add_user("zhang-objector", "person")

    def login(username):
        page.goto(f"{live_server}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('登录')")

    login("zhang-objector")
    page.goto(f"{live_server}/datasets/nanyang-closed-pharmacies")
    page.click("text=对该目录提出更正")
    page.check("input[name=category][value=open_access]")
    page.fill("textarea[name=description]", "药店名录是行政许可公示信息，应当无条件开放。")
    page.select_option("select[name=suggested_open_access]", "unconditional")
    page.click("button:has-text('提交更正申请')")
    assert "答复期限 2026-10-16" in page.text_content(".flash")
    reference = page.url.rsplit("/", 1)[1]
    assert reference.startswith("NYYY20260928")

    login("market-staff")
    page.goto(f"{live_server}/console/queue")
    assert reference in page.text_content("table.worklist")
    page.click(f"text={reference}")
    page.select_option("#agree select[name=open_access]", "unconditional")
    page.fill("#agree textarea[name=reason]", "属于行政许可公示信息，可以无条件开放")
    page.click("#agree button")
    assert "待数据主管部门审核" in page.text_content("h1")

    login("admin")
    page.goto(f"{live_server}/admin/catalog-changes")
    page.click("table a:has-text('药店名录（不予开放）')")
    page.click("#approve button")
    assert "已批准" in page.content()

    page.context.clear_cookies()  # from here on, an anonymous visitor
    page.goto(f"{live_server}/datasets/nanyang-closed-pharmacies")
    assert "无条件开放" in page.text_content(".badge, .attrs, main")
    page.goto(f"{live_server}/datasets/nanyang-closed-pharmacies/history")
    history = page.text_content("main")
    assert "不予开放" in history and "无条件开放" in history and reference in history
    for url in ("/datasets/nanyang-closed-pharmacies", f"/objections/{reference}",
                "/datasets/nanyang-closed-pharmacies/history"):
        page.goto(f"{live_server}{url}")
        assert "zhang-objector" not in page.content()

    login("zhang-objector")
    page.goto(f"{live_server}/account/inbox")
    assert "目录已更正" in page.text_content("main")
