"""The SVG charts: accessible, escaped, CSP-clean, and sane on empty data."""
from datetime import date
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask_babel import Babel

from forum.charts import diverging_bars, horizontal_bars, time_series

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def app():
    """Charts need only Babel (numbers, dates, "no data"), not the database."""
    flask_app = Flask(__name__)
    Babel(flask_app)
    with flask_app.app_context():
        yield flask_app


def parse(markup):
    return ElementTree.fromstring(str(markup))


def assert_accessible(root, title):
    assert root.get("role") == "img"
    title_element = root.find(f"{SVG}title")
    assert title_element.text == title
    assert root.get("aria-labelledby") == title_element.get("id")


def test_horizontal_bars_scale_to_the_largest_value(app):
    root = parse(horizontal_bars([("Pondok Aren", 30), ("Serpong", 15)], title="Komentar per kecamatan"))
    assert_accessible(root, "Komentar per kecamatan")
    bars = root.findall(f"{SVG}rect")
    assert float(bars[0].get("width")) == 2 * float(bars[1].get("width"))
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert "Pondok Aren" in texts and "30" in texts and "15" in texts


def test_labels_and_titles_are_escaped(app):
    markup = str(horizontal_bars([('<script>alert(1)</script>"&', 1)], title="<b>x</b>"))
    assert "<script>" not in markup and "<b>" not in markup
    root = parse(markup)
    assert root.find(f"{SVG}title").text == "<b>x</b>"


def test_no_inline_style_attributes(app):
    charts = [
        horizontal_bars([("a", 1)], title="t"),
        diverging_bars([("Pasal 1", 2, 1, 3)], title="t"),
        time_series([(date(2026, 1, 1), 3), (date(2026, 1, 3), 5)], title="t"),
    ]
    for markup in charts:
        assert "style=" not in str(markup)
        assert "<script" not in str(markup)


def test_diverging_bars_put_oppose_left_and_support_right_of_the_centre(app):
    root = parse(diverging_bars([("Pasal 1", 4, 2, 6)], title="Sikap per pasal"))
    oppose, neutral, support = (root.find(f".//{SVG}rect[@class='chart-bar chart-{tone}']")
                                for tone in ("oppose", "neutral", "support"))
    centre = float(root.find(f"{SVG}line").get("x1"))
    assert float(oppose.get("x")) + float(oppose.get("width")) <= centre
    assert float(support.get("x")) >= centre
    assert float(neutral.get("x")) < centre < float(neutral.get("x")) + float(neutral.get("width"))
    assert float(support.get("width")) == pytest.approx(1.5 * float(oppose.get("width")), abs=0.2)


def test_time_series_draws_one_point_per_day(app):
    points = [(date(2026, 3, 1), 2), (date(2026, 3, 2), 0), (date(2026, 3, 5), 7)]
    root = parse(time_series(points, title="Partisipasi"))
    assert len(root.findall(f"{SVG}circle")) == 3
    assert len(root.find(f"{SVG}polyline").get("points").split()) == 3


def test_single_point_and_zero_values_render(app):
    assert parse(time_series([(date(2026, 3, 1), 0)], title="t")).find(f"{SVG}circle") is not None
    assert parse(horizontal_bars([("a", 0), ("b", None)], title="t")) is not None
    assert parse(diverging_bars([("a", 0, 0, 0)], title="t")) is not None


def test_empty_data_renders_a_no_data_chart(app):
    for markup in (horizontal_bars([], title="t"), diverging_bars([], title="t"), time_series([], title="t")):
        root = parse(markup)
        assert_accessible(root, "t")
        assert root.find(f"{SVG}text").get("class") == "chart-empty"


def test_each_chart_has_its_own_title_id(app):
    first, second = parse(horizontal_bars([], title="a")), parse(horizontal_bars([], title="b"))
    assert first.find(f"{SVG}title").get("id") != second.find(f"{SVG}title").get("id")
