"""Guides in real Chromium with JavaScript off: a new resident follows a form's help link to the guide
section, closes the "how to take part" box, and each guide prints as a one-page A4 leaflet."""
import re

import pytest

from forum.models import Role
from forum.services import guides
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def shipped(app):
    guides.install_default_guides()
    return guides.published_guides()


def test_a_resident_reads_a_guide_from_the_forms_help_link(live_server, nojs_page, t, make_user, shipped):
    resident = make_user(Role.RESIDENT)
    log_in(nojs_page, live_server, t, resident)

    nojs_page.goto(live_server("/aspirasi/baru"))
    nojs_page.get_by_role("link", name=t("Help: how to raise an aspiration and follow it")).click()

    assert nojs_page.url == live_server("/panduan/cara-menyampaikan-aspirasi#bagian-tulis-aspirasi")
    assert nojs_page.locator("main h1").inner_text() == "Cara menyampaikan aspirasi dan mengikutinya"
    section = nojs_page.locator("#bagian-tulis-aspirasi")
    assert section.inner_text() == "Tulis aspirasi"
    assert section.is_visible()
    illustration = nojs_page.locator("img.guide-illustration")
    assert illustration.get_attribute("alt") and illustration.evaluate("img => img.naturalWidth") > 0


def test_every_guide_fits_a_320_px_screen(live_server, nojs_page, shipped):
    nojs_page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/panduan"] + [f"/panduan/{guide.slug}" for guide in shipped]:
        nojs_page.goto(live_server(path))
        assert nojs_page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_a_new_resident_closes_the_how_to_take_part_box(live_server, nojs_page, t, make_user, shipped):
    resident = make_user(Role.RESIDENT)
    log_in(nojs_page, live_server, t, resident)
    nojs_page.goto(live_server("/"))
    box = nojs_page.get_by_role("complementary", name=t("How to take part"))
    assert box.is_visible()
    box.get_by_role("button", name=t("Hide this box")).click()
    assert nojs_page.url == live_server("/")
    assert nojs_page.get_by_role("complementary", name=t("How to take part")).count() == 0
    nojs_page.reload()
    assert nojs_page.get_by_role("complementary", name=t("How to take part")).count() == 0


def test_each_guide_prints_on_one_a4_page_without_the_site_around_it(live_server, nojs_page, shipped):
    for language in ("id", "en"):
        nojs_page.context.add_cookies([{"name": "lang", "value": language, "url": live_server.url}])
        for guide in shipped:
            nojs_page.goto(live_server(f"/panduan/{guide.slug}"))
            nojs_page.emulate_media(media="print")
            assert not nojs_page.locator(".site-header").is_visible()
            assert not nojs_page.locator(".site-footer").is_visible()
            assert nojs_page.locator("main h1").is_visible()
            pdf = nojs_page.pdf(format="A4", print_background=False, prefer_css_page_size=True)
            pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
            assert pages == 1, (language, guide.slug, pages)
            nojs_page.emulate_media(media="screen")
