"""Tests for workbench.core.httputil: Retry-After (and the cloud reader on it), URL origins."""

from __future__ import annotations

import email.utils
import time

import pytest

from workbench.core.cloud.errors import retry_after_of
from workbench.core.httputil import retry_after_seconds, url_origin

NOW = 1_750_000_000.0


def http_date(timestamp: float) -> str:
    return email.utils.formatdate(timestamp, usegmt=True)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("7", 7.0),
        (" 120 ", 120.0),
        ("1.5", 1.5),
        ("0", 0.0),
        ("-3", 0.0),  # a negative wait means "now"
        (http_date(NOW + 90), 90.0),
        (http_date(NOW - 90), 0.0),  # a date in the past: no wait
        ("Wed, 21 Oct 2015 07:28:00 -0000", 0.0),  # a zone-less date is GMT, and long past
    ],
)
def test_seconds_or_an_http_date(value, seconds):
    assert retry_after_seconds(value, now=NOW) == pytest.approx(seconds)


def test_a_zone_less_date_is_read_as_gmt():
    value = email.utils.formatdate(NOW + 60, usegmt=True).replace("GMT", "-0000")
    assert retry_after_seconds(value, now=NOW) == pytest.approx(60.0)


@pytest.mark.parametrize("value", [None, "", "   ", "soon", "inf", "nan", "Someday, 99 Foo"])
def test_nothing_usable_is_none(value):
    assert retry_after_seconds(value, now=NOW) is None


def test_the_clock_is_the_default_now():
    wait = retry_after_seconds(http_date(time.time() + 3600))
    assert wait is not None and 3500 < wait <= 3600


def test_cloud_reads_milliseconds_first_then_the_header_then_the_text():
    assert retry_after_of({"retry-after-ms": "1500", "retry-after": "20"}) == 1.5
    assert retry_after_of({"retry-after": "20"}, "try again in 3s") == 20.0
    assert retry_after_of({"retry-after": "soon"}, "Please try again in 3s.") == 3.0
    assert retry_after_of(None, "Rate limit reached; try again in 250ms") == 0.25
    assert retry_after_of({}, "no hint at all") is None
    date_wait = retry_after_of({"retry-after": http_date(time.time() + 600)})
    assert date_wait is not None and 500 < date_wait <= 600


def test_origins_compare_scheme_host_and_port():
    assert url_origin("https://HUB.example:443/a") == url_origin("https://hub.example/b")
    assert url_origin("http://hub.example/a") == ("http", "hub.example", 80)
    assert url_origin("http://h:8080/a") != url_origin("http://h:8081/a")
    assert url_origin("https://hub.example/a") != url_origin("http://hub.example/a")
    assert url_origin("http://h:bad/") == ("http", "h", 80)  # a broken port reads as the default
