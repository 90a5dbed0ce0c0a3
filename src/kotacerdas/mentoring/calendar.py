"""iCalendar feeds (RFC 5545, made with the ``icalendar`` library): per mentor and per region, the
Bimtek sessions, forum meetings and output deadlines. Times are written in the region's own time
zone (WIB, WITA, WIT as their IANA names) with a VTIMEZONE, so a calendar shows a forum at
09:00 WITA as 09:00 in Banjarmasin whatever the reader's zone."""

import datetime
import zoneinfo

import icalendar
from django.conf import settings

from kotacerdas.program.models import ParticipationStatus

from .models import ForumMeeting, MentorAssignment
from .services import bimtek_regions


def _calendar(name, tz_name):
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//kotacerdas//mentoring//ID")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz_name)
    return calendar


def _host():
    return getattr(settings, "KOTACERDAS_BASE_URL", "kotacerdas").split("//")[-1].strip("/") or "kotacerdas"


def _bimtek_events(bimtek, region):
    events = []
    if bimtek.is_scheduled:
        event = icalendar.Event()
        event.add("uid", f"bimtek-{bimtek.pk}-{region.code}@{_host()}")
        event.add("summary", f"{bimtek.title} ({region.name})")
        event.add("dtstart", bimtek.starts_on)
        event.add("dtend", bimtek.ends_on + datetime.timedelta(days=1))  # all-day: the end is exclusive
        event.add("dtstamp", datetime.datetime.now(datetime.timezone.utc))
        event.add("location", bimtek.place or bimtek.video_link)
        if bimtek.video_link:
            event.add("url", bimtek.video_link)
        event.add("description", bimtek.agenda)
        events.append(event)
    if bimtek.due_date:
        # The deadline is the end of the due day in the region's time zone.
        tz = zoneinfo.ZoneInfo(region.iana_time_zone)
        due = datetime.datetime.combine(bimtek.due_date, datetime.time(23, 59), tzinfo=tz)
        deadline = icalendar.Event()
        deadline.add("uid", f"bimtek-{bimtek.pk}-{region.code}-due@{_host()}")
        deadline.add("summary", f"{bimtek.title}: outputs due ({region.name})")
        deadline.add("dtstart", due)
        deadline.add("dtend", due + datetime.timedelta(minutes=1))
        deadline.add("dtstamp", datetime.datetime.now(datetime.timezone.utc))
        deadline.add("description", "; ".join(str(output) for output in bimtek.outputs.all()))
        events.append(deadline)
    return events


def _forum_event(meeting, region):
    tz = zoneinfo.ZoneInfo(region.iana_time_zone)
    event = icalendar.Event()
    event.add("uid", f"forum-{meeting.pk}@{_host()}")
    event.add("summary", meeting.title)
    starts = meeting.starts_at.astimezone(tz)
    event.add("dtstart", starts)
    event.add("dtend", starts + datetime.timedelta(hours=2))
    event.add("dtstamp", datetime.datetime.now(datetime.timezone.utc))
    event.add("location", meeting.place)
    return event


def region_calendar(region):
    """Every Bimtek the region takes part in, its output deadlines and its forum meetings."""
    from .models import Bimtek

    calendar = _calendar(f"Smart city {region.name}", region.iana_time_zone)
    for bimtek in Bimtek.objects.filter(cohort__phase__participations__region=region, cohort__phase__participations__status=ParticipationStatus.SELECTED).select_related("cohort").distinct():
        if region in bimtek_regions(bimtek):
            for event in _bimtek_events(bimtek, region):
                calendar.add_component(event)
    for meeting in ForumMeeting.objects.filter(region=region):
        calendar.add_component(_forum_event(meeting, region))
    calendar.add_missing_timezones()
    return calendar


def mentor_calendar(mentor):
    """The Bimtek, deadlines and forums of the regions the mentor is assigned to now, each in
    that region's time zone."""
    calendar = _calendar(f"Mentoring {mentor}", "Asia/Jakarta")
    assignments = MentorAssignment.objects.filter(mentor=mentor, ended_at__isnull=True).select_related("region", "cohort")
    for assignment in assignments:
        region = assignment.region
        for bimtek in assignment.cohort.bimteks.prefetch_related("outputs"):
            if region in bimtek_regions(bimtek):
                for event in _bimtek_events(bimtek, region):
                    calendar.add_component(event)
        for meeting in ForumMeeting.objects.filter(region=region):
            calendar.add_component(_forum_event(meeting, region))
    calendar.add_missing_timezones()
    return calendar
