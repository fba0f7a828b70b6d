#!/usr/bin/python3
"""Independent iCalendar parsing harness for libical and python-icalendar.

The C# integration tests run it next to parse-ical.mjs (ical.js), so that a feed is
read back by parsers that share no code with the application or with each other.

Usage:  /usr/bin/python3 parse-ical.py --parser libical|icalendar [file.ics]
        (reads stdin when no path is given)
        /usr/bin/python3 parse-ical.py --parser libical|recurring --expand FROM TO file.ics
        also expands the events' occurrences into "occurrences" (see README.md): FROM and TO
        are UTC instants such as 2027-01-01T00:00:00Z. "recurring" is python's
        recurring-ical-events (on python-icalendar, so pytz by TZID).
Output: one JSON object on stdout, in the shape parse-ical.mjs prints
        ({calendar, timezones, events}); see README.md.
Errors: message on stderr, exit code 1.

Needs Debian's python3-icalendar, gir1.2-ical-3.0 and python3-gi, which live under
/usr/bin/python3 (another python3 first on PATH may not have them).

libical computes every instant from the feed's OWN VTIMEZONE (the calendar's
get_timezone), so it checks what the feed says. python-icalendar 4.0.3 resolves a
TZID by name through pytz when pytz knows it, so it checks the local time + TZID
against pytz's copy of tzdb, not the VTIMEZONE.
"""

import argparse
import json
import sys
from datetime import date, datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class HarnessError(Exception):
    pass


def fmt_date(y, m, d):
    return f"{y:04d}-{m:02d}-{d:02d}"


def fmt_utc(dt):
    return f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}Z"


def from_timet(seconds):
    # fromtimestamp() is platform-dependent before 1970; plain arithmetic is not.
    return EPOCH + timedelta(seconds=seconds)


# ---------------------------------------------------------------- libical

def _libical(source):
    """libical's bindings and the parsed calendar, or a HarnessError when libical cannot read it."""
    import gi

    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ICalGLib as I

    cal = I.Component.new_from_string(source)
    if cal is None:
        raise HarnessError("libical could not parse the input")
    return I, cal


def _libical_components(parent, kind):
    c = parent.get_first_component(kind)
    while c is not None:
        yield c
        c = parent.get_next_component(kind)


def _libical_properties(comp, kind):
    p = comp.get_first_property(kind)
    while p is not None:
        yield p
        p = comp.get_next_property(kind)


def parse_libical(source):
    I, cal = _libical(source)
    if cal.isa() != I.ComponentKind.VCALENDAR_COMPONENT:
        raise HarnessError("top-level component is not VCALENDAR")

    components, properties = _libical_components, _libical_properties

    # libical records what it could not parse as X-LIC-ERROR properties instead of failing.
    errors = []
    for comp in [cal] + list(components(cal, I.ComponentKind.ANY_COMPONENT)):
        for p in properties(comp, I.PropertyKind.XLICERROR_PROPERTY):
            errors.append(p.as_ical_string().strip())

    timezones = [z.get_first_property(I.PropertyKind.TZID_PROPERTY).get_tzid()
                 for z in components(cal, I.ComponentKind.VTIMEZONE_COMPONENT)]

    def time_value(ev, kind):
        prop = ev.get_first_property(kind)
        if prop is None:
            return None, None
        t = prop.get_dtstart() if kind == I.PropertyKind.DTSTART_PROPERTY else prop.get_dtend()
        if t.is_date():
            return fmt_date(t.get_year(), t.get_month(), t.get_day()), None
        param = prop.get_first_parameter(I.ParameterKind.TZID_PARAMETER)
        tzid = param.get_tzid() if param is not None else None
        if t.is_utc():
            return fmt_utc(from_timet(t.as_timet())), tzid
        if tzid is None:
            return f"{t.get_year():04d}-{t.get_month():02d}-{t.get_day():02d}T{t.get_hour():02d}:{t.get_minute():02d}:{t.get_second():02d}", None
        zone = cal.get_timezone(tzid)
        if zone is None:
            raise HarnessError(f"TZID={tzid} has no VTIMEZONE in the file")
        return fmt_utc(from_timet(I.Time.as_timet_with_zone(t, zone))), tzid

    events = []
    for ev in components(cal, I.ComponentKind.VEVENT_COMPONENT):
        start, start_tzid = time_value(ev, I.PropertyKind.DTSTART_PROPERTY)
        end, _ = time_value(ev, I.PropertyKind.DTEND_PROPERTY)
        desc = ev.get_first_property(I.PropertyKind.DESCRIPTION_PROPERTY)
        loc = ev.get_first_property(I.PropertyKind.LOCATION_PROPERTY)
        events.append({
            "uid": ev.get_uid(),
            "summary": ev.get_summary(),
            "description": desc.get_description() if desc is not None else None,
            "location": loc.get_location() if loc is not None else None,
            "allDay": start is not None and len(start) == 10,
            "start": start,
            "end": end,
            "startTzid": start_tzid,
        })

    return {
        "calendar": {"version": _text(cal, I, I.PropertyKind.VERSION_PROPERTY),
                     "prodid": _text(cal, I, I.PropertyKind.PRODID_PROPERTY)},
        "timezones": timezones,
        "events": events,
        "errors": errors,
    }


def expand_libical(source, start, stop):
    """Occurrences whose rule time falls in [start, stop], by libical's own rule engine (RecurIterator).

    libical leaves EXDATE and RECURRENCE-ID to the application (Evolution matches them itself), so this does as
    Evolution does: a rule time equal to an EXDATE's is dropped, one equal to a RECURRENCE-ID's takes that VEVENT.
    Times are libical's readings of the feed's own VTIMEZONE (as_timet_with_zone); an occurrence ends the master's
    duration after it starts, added to its wall-clock time and read again, as icalcomponent_foreach_recurrence does.
    """
    I, cal = _libical(source)

    components, properties = _libical_components, _libical_properties

    def zone_of(prop):
        param = prop.get_first_parameter(I.ParameterKind.TZID_PARAMETER) if prop is not None else None
        if param is None:
            return None
        zone = cal.get_timezone(param.get_tzid())
        if zone is None:
            raise HarnessError(f"TZID={param.get_tzid()} has no VTIMEZONE in the file")
        return zone

    def seconds(t, zone):
        if t.is_utc() or zone is None:
            return t.as_timet()
        return I.Time.as_timet_with_zone(t, zone)

    def shown(t, zone):
        return fmt_date(t.get_year(), t.get_month(), t.get_day()) if t.is_date() else fmt_utc(from_timet(seconds(t, zone)))

    def status(comp):
        p = comp.get_first_property(I.PropertyKind.STATUS_PROPERTY)
        return p.get_value_as_string() if p is not None else None

    def local_key(t):
        return f"{t.get_year():04d}{t.get_month():02d}{t.get_day():02d}" + ("" if t.is_date() else f"T{t.get_hour():02d}{t.get_minute():02d}{t.get_second():02d}")

    events = list(components(cal, I.ComponentKind.VEVENT_COMPONENT))
    overrides = {}
    for ev in events:
        rid = ev.get_first_property(I.PropertyKind.RECURRENCEID_PROPERTY)
        if rid is not None:
            overrides[(ev.get_uid(), local_key(rid.get_recurrenceid()))] = ev

    occurrences = []
    for ev in events:
        if ev.get_first_property(I.PropertyKind.RECURRENCEID_PROPERTY) is not None:
            continue
        start_prop = ev.get_first_property(I.PropertyKind.DTSTART_PROPERTY)
        end_prop = ev.get_first_property(I.PropertyKind.DTEND_PROPERTY)
        # The component's DTSTART (icalcomponent_get_dtstart) carries its zone, as an application reads it: libical's
        # iterator then knows the zone (a UTC UNTIL is compared as an instant, a gap time is moved forward).
        dtstart = ev.get_dtstart()
        zone = zone_of(start_prop)
        dtend = end_prop.get_dtend() if end_prop is not None else None
        if dtstart.is_date():
            length_days = (seconds(dtend, None) - seconds(dtstart, None)) // 86400 if dtend is not None else 1
        else:
            length = seconds(dtend, zone_of(end_prop)) - seconds(dtstart, zone) if dtend is not None else 0
        removed = {local_key(p.get_exdate()) for p in properties(ev, I.PropertyKind.EXDATE_PROPERTY)}
        rrule = ev.get_first_property(I.PropertyKind.RRULE_PROPERTY)
        iterator = I.RecurIterator.new(rrule.get_rrule(), dtstart) if rrule is not None else None
        # RDATEs join the rule's times (icalcomponent_foreach_recurrence reads them too); one at an instant the rule
        # already gives is the same occurrence (RFC 5545 section 3.8.5.2: duplicates count once).
        extra = [(p.get_rdate().get_time(), zone_of(p)) for p in properties(ev, I.PropertyKind.RDATE_PROPERTY)]
        given = set()
        guard = 0

        def times():
            nonlocal guard
            while True:
                t = iterator.next() if iterator is not None else (dtstart if guard == 0 else None)
                guard += 1
                if t is None or t.is_null_time():
                    break
                if guard > 200000:
                    raise HarnessError(f"{ev.get_uid()}: more than 200000 occurrences")
                if seconds(t, zone) > stop:
                    break
                given.add(seconds(t, zone))
                yield t, zone
            for t, z in extra:
                if seconds(t, z) not in given:
                    given.add(seconds(t, z))
                    yield t, z

        for t, t_zone in times():
            at = seconds(t, t_zone)
            if at > stop:
                continue
            if at < start or local_key(t) in removed:
                continue
            item = overrides.get((ev.get_uid(), local_key(t)))
            if item is not None:
                s_prop = item.get_first_property(I.PropertyKind.DTSTART_PROPERTY)
                e_prop = item.get_first_property(I.PropertyKind.DTEND_PROPERTY)
                begin = shown(s_prop.get_dtstart(), zone_of(s_prop))
                end = shown(e_prop.get_dtend(), zone_of(e_prop)) if e_prop is not None else None
            else:
                item = ev
                begin = shown(t, t_zone)
                finish = t.clone()
                if t.is_date():
                    finish.adjust(length_days, 0, 0, 0)
                else:
                    finish.adjust(0, 0, 0, length)
                end = shown(finish, t_zone)
            occurrences.append({
                "uid": ev.get_uid(),
                "recurrenceId": fmt_date(t.get_year(), t.get_month(), t.get_day()),
                "start": begin,
                "end": end,
                "status": status(item),
                "summary": item.get_summary(),
            })
    return occurrences


def expand_recurring(source, start, stop):
    """Occurrences that overlap [start, stop], by python's recurring-ical-events (pytz resolves each TZID by name)."""
    import icalendar
    import recurring_ical_events

    cal = icalendar.Calendar.from_ical(source)
    occurrences = []
    for ev in recurring_ical_events.of(cal).between(from_timet(start), from_timet(stop)):
        rid = ev.get("RECURRENCE-ID")
        when = (rid or ev["DTSTART"]).dt

        def shown(v):
            if isinstance(v, datetime):
                return fmt_utc(v.astimezone(timezone.utc)) if v.tzinfo is not None else v.strftime("%Y-%m-%dT%H:%M:%S")
            return fmt_date(v.year, v.month, v.day)

        occurrences.append({
            "uid": str(ev.get("UID")),
            "recurrenceId": fmt_date(when.year, when.month, when.day),
            "start": shown(ev["DTSTART"].dt),
            "end": shown(ev["DTEND"].dt) if ev.get("DTEND") is not None else None,
            "status": str(ev["STATUS"]) if ev.get("STATUS") is not None else None,
            "summary": str(ev.get("SUMMARY")) if ev.get("SUMMARY") is not None else None,
        })
    return occurrences


def _text(comp, I, kind):
    p = comp.get_first_property(kind)
    return p.get_value_as_string() if p is not None else None


# ------------------------------------------------------- python-icalendar

def parse_icalendar(source):
    import icalendar

    cal = icalendar.Calendar.from_ical(source)

    def time_value(ev, name):
        prop = ev.get(name)
        if prop is None:
            return None
        v = prop.dt
        if isinstance(v, datetime):
            if v.tzinfo is None:
                return v.strftime("%Y-%m-%dT%H:%M:%S")
            return fmt_utc(v.astimezone(timezone.utc))
        if isinstance(v, date):
            return fmt_date(v.year, v.month, v.day)
        raise HarnessError(f"{name.upper()} is not a DATE or DATE-TIME: {v!r}")

    def text(comp, name):
        v = comp.get(name)
        return None if v is None else str(v)

    events = []
    for ev in cal.walk("VEVENT"):
        dtstart = ev.get("dtstart")
        events.append({
            "uid": text(ev, "uid"),
            "summary": text(ev, "summary"),
            "description": text(ev, "description"),
            "location": text(ev, "location"),
            "allDay": dtstart is not None and not isinstance(dtstart.dt, datetime),
            "start": time_value(ev, "dtstart"),
            "end": time_value(ev, "dtend"),
            "startTzid": dtstart.params.get("TZID") if dtstart is not None else None,
        })

    return {
        "calendar": {"version": text(cal, "version"), "prodid": text(cal, "prodid")},
        "timezones": [str(z.get("tzid")) for z in cal.walk("VTIMEZONE")],
        "events": events,
        "errors": [],
    }


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--parser", choices=["libical", "icalendar", "recurring"], required=True)
    args.add_argument("--expand", nargs=2, metavar=("FROM", "TO"))
    args.add_argument("file", nargs="?")
    a = args.parse_args()

    data = open(a.file, "rb").read() if a.file else sys.stdin.buffer.read()
    if data.startswith(b"\xef\xbb\xbf"):
        raise HarnessError("input starts with a UTF-8 byte-order mark (BOM)")
    # Strict decoding: a fold that splits a UTF-8 sequence must fail here, not turn into U+FFFD.
    source = data.decode("utf-8")

    if a.expand:
        start, stop = (int((datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) - EPOCH).total_seconds()) for v in a.expand)
        expander = {"libical": expand_libical, "recurring": expand_recurring}.get(a.parser)
        if expander is None:
            raise HarnessError(f"--expand needs --parser libical or recurring, not {a.parser}")
        result = {"occurrences": expander(source, start, stop)}
    else:
        result = parse_libical(source) if a.parser == "libical" else parse_icalendar(source)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    try:
        main()
    except Exception as err:  # noqa: BLE001 - any failure is the parser's verdict
        sys.stderr.write(f"parse-ical.py: {type(err).__name__}: {err}\n")
        sys.exit(1)
