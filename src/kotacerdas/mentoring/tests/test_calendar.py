"""The iCalendar feeds, parsed back with the icalendar library: Bimtek days, output deadlines
and forum meetings, in the region's own time zone."""

import datetime
import zoneinfo

import icalendar
import pytest

from kotacerdas.mentoring import services

from .helpers import BANJAR, region, small_cohort

pytestmark = pytest.mark.django_db


def _events(content):
    calendar = icalendar.Calendar.from_ical(content)
    return calendar, {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_the_region_feed_has_the_bimtek_its_deadline_and_a_forum_in_wita(reference_data, client):
    cohort, _m, _a = small_cohort()
    wita = zoneinfo.ZoneInfo("Asia/Makassar")
    services.record_forum(region(BANJAR), title="Forum Smart City", starts_at=datetime.datetime(2033, 4, 2, 9, 0, tzinfo=wita))
    response = client.get(f"/mentoring/regions/{BANJAR}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar, events = _events(response.content)
    first = cohort.bimteks.get(number=1)
    bimtek = events[f"{first.title} (Kabupaten Banjar)"]
    assert bimtek.decoded("dtstart") == datetime.date(2033, 3, 1)
    assert bimtek.decoded("dtend") == datetime.date(2033, 3, 4)  # exclusive end of an all-day event
    due = events[f"{first.title}: outputs due (Kabupaten Banjar)"].decoded("dtstart")
    assert due == datetime.datetime(2033, 3, 17, 23, 59, tzinfo=wita)
    forum = events["Forum Smart City"]
    assert forum["dtstart"].params["TZID"] == "Asia/Makassar"
    assert forum.decoded("dtstart").hour == 9
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Makassar"]


def test_the_mentor_feed_has_only_their_regions(reference_data, client, carol):
    cohort, mentors, _a = small_cohort(carol)
    client.force_login(carol)
    response = client.get(f"/mentoring/mentors/{mentors['carol'].pk}/calendar.ics")
    _calendar, events = _events(response.content)
    assert events and all("Kabupaten Banjar" in summary for summary in events)
    # Another mentor's feed is not carol's to read.
    assert client.get(f"/mentoring/mentors/{mentors['heidi'].pk}/calendar.ics").status_code == 404
