"""Content-Security-Policy: the header on every page, and templates with nothing inline."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import BureauUserFactory

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
}


def directives(response):
    header = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def template_files():
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
    return sorted(path for root in roots for path in root.rglob("*.html"))


@pytest.mark.django_db
def test_csp_header_on_anonymous_page_has_every_directive(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert directives(response) == POLICY


@pytest.mark.django_db
def test_csp_header_on_signed_in_page_allows_no_inline_script(client):
    client.force_login(BureauUserFactory())

    response = client.get("/registry/enterprises/")

    assert response.status_code == 200
    assert directives(response) == POLICY
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_csp_api_docs_widen_only_style_src(client):
    client.force_login(BureauUserFactory())

    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert directives(response) == {**POLICY, "style-src": "'self' 'unsafe-inline'"}
    assert b"<script>" not in response.content  # Swagger's script is served as a file


def test_templates_are_found():
    assert len(template_files()) > 50


@pytest.mark.parametrize("path", template_files(), ids=lambda p: p.name)
def test_template_has_no_inline_script_handler_or_style(path):
    text = path.read_text(encoding="utf-8")

    assert re.findall(r"<script\b(?![^>]*\bsrc=)[^>]*>", text, re.I) == []
    assert re.findall(r"\son[a-z]+\s*=", text, re.I) == []
    assert re.findall(r"\sstyle\s*=|<style\b|javascript:", text, re.I) == []


@pytest.mark.django_db
def test_csp_browsable_api_widens_only_style_src_and_json_keeps_policy(client):
    client.force_login(BureauUserFactory())

    html = client.get("/api/v1/me/", headers={"accept": "text/html"})
    json = client.get("/api/v1/me/", headers={"accept": "application/json"})

    assert html["Content-Type"].startswith("text/html")
    assert directives(html) == {**POLICY, "style-src": "'self' 'unsafe-inline'"}
    assert directives(json) == POLICY
