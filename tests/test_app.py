def test_home_renders_in_chinese_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert "南阳市政务数据开放平台" in page
    assert 'lang="zh-CN"' in page


def test_english_is_the_second_locale(client):
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Nanyang Open Government Data" in page
    # the choice sticks for the session
    assert "Catalog" in client.get("/datasets").get_data(as_text=True)


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_create_app_refuses_without_secret(tmp_path, monkeypatch):
    import pytest

    from portal import create_app

    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="portal init"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_nul_bytes_are_a_clear_400_not_a_database_error(client):
    for path in ("/datasets?domain=%00", "/datasets?department=a%00b", "/departments/%00", "/datasets/%00"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "非法字符" in response.get_data(as_text=True)
    assert client.post("/login", data={"username": "a\x00", "password": "x"}).status_code == 400


def test_hostile_values_never_cause_a_500(client):
    for path in ("/datasets?page=99999999999999", "/datasets?format=" + "x" * 40_000, "/datasets/" + "a" * 5000,
                 "/login?next=//evil.example", "/?lang=xx"):
        assert client.get(path).status_code < 500, path
