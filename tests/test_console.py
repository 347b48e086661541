"""The producer console: login, upload, check, confirm, publish, progress, permissions."""

import io
import re

from tests.conftest import PHARMACY_CSV


def form(**overrides):
    data = {
        "name": "nanyang-console-pharmacies", "title": "药店名录（工作台上传）", "description": "经工作台上传的药店名录。",
        "domain": "市场监管", "keywords": "药店、药品，零售", "license": "CC-BY-4.0", "open_access": "unconditional",
        "share_access": "unconditional", "update_frequency": "monthly", "contact_name": "王伟",
        "contact_phone": "0377-63123456", "contact_email": "scjgj@nanyang.gov.cn", "version": "",
    }
    data.update(overrides)
    return data


def upload(client, csv_text=PHARMACY_CSV, filename="药店名录.csv", action="publish", **overrides):
    data = form(**overrides)
    data[action] = "1"
    data["files"] = [(io.BytesIO(csv_text.encode("gbk")), filename)]
    return client.post("/console/publish", data=data, content_type="multipart/form-data")


def test_console_requires_login(client):
    response = client.get("/console/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_with_wrong_password_is_refused(client, people, auth):
    response = auth.login("market-staff", "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_staff_publishes_through_the_console(client, people, auth):
    auth.login("market-staff")
    response = upload(client)
    assert response.status_code == 302
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已发布" in job_page and "nanyang-console-pharmacies" in job_page
    dataset = client.get("/datasets/nanyang-console-pharmacies").get_data(as_text=True)
    assert "南阳市市场监督管理局" in dataset and "药店名录（工作台上传）" in dataset
    assert "宛城区仁和大药房" in dataset
    assert "零售" in dataset  # keywords split on 、 and ，


def test_check_then_confirm(client, people, auth):
    auth.login("market-staff")
    job_url = upload(client, action="check").headers["Location"]
    page = client.get(job_url).get_data(as_text=True)
    assert "校验通过" in page and "确认发布" in page
    assert client.get("/datasets/nanyang-console-pharmacies").status_code == 404
    job_id = job_url.rsplit("/", 1)[1]
    confirmed = client.post(f"/console/jobs/{job_id}/confirm")
    assert "已发布" in client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert client.get("/datasets/nanyang-console-pharmacies").status_code == 200


def test_refusal_shows_the_report_and_stores_nothing(client, people, auth):
    auth.login("market-staff")
    response = upload(client, open_access="conditional")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "校验未通过" in page and "开放依据" in page
    assert client.get("/datasets/nanyang-console-pharmacies").status_code == 404


def test_upload_without_files_is_a_clear_422(client, people, auth):
    auth.login("market-staff")
    response = client.post("/console/publish", data=form(publish="1"), content_type="multipart/form-data")
    assert response.status_code == 422
    assert "请选择要上传的文件" in response.get_data(as_text=True)


def test_staff_publishes_only_for_own_department(client, people, auth):
    """The department comes from the account, not from the form."""
    auth.login("transport-staff")
    page = client.get(upload(client).headers["Location"]).get_data(as_text=True)
    assert "已发布" in page
    assert "南阳市交通运输局" in client.get("/datasets/nanyang-console-pharmacies").get_data(as_text=True)


def test_job_status_json_and_other_departments_cannot_see_it(client, people, auth, app):
    auth.login("market-staff")
    job_url = upload(client).headers["Location"]
    status = client.get(job_url + ".json").get_json()
    assert status["ok"] and status["data"]["state"] == "succeeded" and status["data"]["progress"] == 100
    auth.logout()
    auth.login("transport-staff")
    assert client.get(job_url).status_code == 403
    assert client.get("/console/jobs/not-a-job-id").status_code == 404


def test_forged_form_without_csrf_token_is_refused(app, people, config):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"username": "market-staff", "password": "x"}).status_code == 400
    ok = client.post("/login", data={"username": "market-staff", "password": "correct-horse-42", "csrf_token": token})
    assert ok.status_code == 302
    assert client.post("/console/publish", data=form(publish="1")).status_code == 400


def test_real_job_queue_runs_in_the_worker(app, people, auth, client):
    """With a real (SQLite) Huey queue the request only enqueues; the worker does the work."""
    from portal import jobs

    app.config["JOBS_IMMEDIATE"] = False
    jobs.init_app(app)
    try:
        auth.login("market-staff")
        job_url = upload(client).headers["Location"]
        assert client.get(job_url + ".json").get_json()["data"]["state"] == "queued"
        assert "关闭页面不影响处理" in client.get(job_url).get_data(as_text=True)
        with app.app_context():
            task = jobs.huey.dequeue()
            jobs.huey.execute(task)
        assert client.get(job_url + ".json").get_json()["data"]["state"] == "succeeded"
    finally:
        app.config["JOBS_IMMEDIATE"] = True
        jobs.init_app(app)


def test_citizen_like_anonymous_user_cannot_reach_console_pages(client, people):
    assert client.post("/console/publish").status_code in (302, 401)


def test_refused_job_offers_a_prefilled_form(client, people, auth):
    auth.login("market-staff")
    job_url = upload(client, open_access="conditional", title="保留的标题").headers["Location"]
    job_id = job_url.rsplit("/", 1)[1]
    assert f"/console/publish?from={job_id}" in client.get(job_url).get_data(as_text=True)
    form_page = client.get(f"/console/publish?from={job_id}").get_data(as_text=True)
    assert 'value="保留的标题"' in form_page
    assert '<option selected value="conditional">' in form_page


def test_next_version_form_is_prefilled_from_the_catalog(client, people, auth):
    auth.login("market-staff")
    client.get(upload(client).headers["Location"])
    listing = client.get("/console/").get_data(as_text=True)
    assert "/console/publish?dataset=nanyang-console-pharmacies" in listing
    form_page = client.get("/console/publish?dataset=nanyang-console-pharmacies").get_data(as_text=True)
    assert 'value="药店名录（工作台上传）"' in form_page and "药店、药品、零售" in form_page
    second = upload(client, version="", csv_text=PHARMACY_CSV + "新药店,宛城区,5,2024-01-01\n")
    assert "版本 1.1.0" in client.get(second.headers["Location"]).get_data(as_text=True)
    auth.logout()
    auth.login("transport-staff")
    assert client.get("/console/publish?dataset=nanyang-console-pharmacies").status_code == 404


def test_admin_publishes_for_a_chosen_department(client, people, auth):
    auth.login("admin")
    page = client.get(upload(client, department="南阳市交通运输局").headers["Location"]).get_data(as_text=True)
    assert "已发布" in page
    assert "南阳市交通运输局" in client.get("/datasets/nanyang-console-pharmacies").get_data(as_text=True)
    missing = upload(client)
    assert missing.status_code == 422 and "选择数据提供部门" in missing.get_data(as_text=True)
