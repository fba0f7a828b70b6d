#!/usr/bin/env node
// Independent iCalendar parsing harness built on Mozilla's ical.js (pinned 2.2.1).
// The C# integration tests shell out to it to check .ics output with a parser
// that shares no code with the application.
//
// Usage:  node parse-ical.mjs [file.ics]      (reads stdin when no path is given)
// Output: one JSON object on stdout (see README.md for the shape).
// Errors: message on stderr, exit code 1 (parse failure, not exactly one
//         VCALENDAR, or a TZID with no matching VTIMEZONE in the file).
//
// Setup:  npm ci   (in this folder; node_modules/ is never committed)

import fs from 'node:fs';
import ICAL from 'ical.js';

class HarnessError extends Error {}

function pad(n, width = 2) {
  return String(n).padStart(width, '0');
}

function formatDate(t) {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;
}

function formatDateTime(t) {
  return `${formatDate(t)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
}

function isFloating(t) {
  return !t.zone || t.zone === ICAL.Timezone.localTimezone || t.zone.tzid === 'floating';
}

// DATE          -> "YYYY-MM-DD"
// DATE-TIME (UTC or with a TZID resolved from the file's VTIMEZONEs)
//               -> UTC instant "YYYY-MM-DDTHH:MM:SSZ"
// floating DATE-TIME (no TZID, no Z) -> "YYYY-MM-DDTHH:MM:SS" (no Z: no instant exists)
function timeValue(prop) {
  if (!prop) return null;
  const t = prop.getFirstValue();
  if (!t) return null;
  if (!(t instanceof ICAL.Time)) {
    throw new HarnessError(`${prop.name.toUpperCase()} is not a DATE or DATE-TIME: ${String(t)}`);
  }
  if (t.isDate) return formatDate(t);

  const tzid = prop.getParameter('tzid');
  if (tzid && isFloating(t)) {
    // ical.js would silently treat this as floating (and convertToZone would then
    // treat it as UTC); an oracle must not produce a silently wrong instant.
    throw new HarnessError(`${prop.name.toUpperCase()} uses TZID=${tzid} but the file has no VTIMEZONE for it`);
  }
  if (isFloating(t)) return formatDateTime(t);

  const utc = t.convertToZone(ICAL.Timezone.utcTimezone);
  return `${formatDateTime(utc)}Z`;
}

function text(component, name) {
  const v = component.getFirstPropertyValue(name);
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : v.toString();
}

function main() {
  const path = process.argv[2];
  const source = path ? fs.readFileSync(path, 'utf8') : fs.readFileSync(0, 'utf8');

  if (source.charCodeAt(0) === 0xfeff) {
    // ical.js 2.2.1 fails on a leading byte-order mark with an opaque TypeError;
    // many calendar clients reject it too, so report it plainly instead.
    throw new HarnessError('input starts with a UTF-8 byte-order mark (BOM)');
  }

  const jcal = ICAL.parse(source);
  // ICAL.parse returns one jCal component, or an array of them when the text
  // holds several top-level components, or [] for empty input.
  if (!Array.isArray(jcal) || jcal.length === 0) {
    throw new HarnessError('no iCalendar component found');
  }
  if (Array.isArray(jcal[0])) {
    const names = jcal.map((c) => String(c[0]).toUpperCase()).join(', ');
    throw new HarnessError(`expected exactly one VCALENDAR, found ${jcal.length} top-level components (${names})`);
  }
  if (jcal[0] !== 'vcalendar') {
    throw new HarnessError(`top-level component is ${String(jcal[0]).toUpperCase()}, not VCALENDAR`);
  }

  const cal = new ICAL.Component(jcal);

  // Register every VTIMEZONE of the file. (ical.js 2.2.1 also resolves TZIDs
  // against the root component's own VTIMEZONEs; registering is belt and braces.)
  const timezones = [];
  for (const vtz of cal.getAllSubcomponents('vtimezone')) {
    const tzid = vtz.getFirstPropertyValue('tzid');
    timezones.push(tzid);
    if (tzid) ICAL.TimezoneService.register(vtz);
  }

  const refreshProp = cal.getFirstProperty('refresh-interval');
  const calendar = {
    version: text(cal, 'version'),
    prodid: text(cal, 'prodid'),
    method: text(cal, 'method'),
    name: text(cal, 'name'),
    xWrCalname: text(cal, 'x-wr-calname'),
    xWrCaldesc: text(cal, 'x-wr-caldesc'),
    description: text(cal, 'description'),
    refreshInterval: text(cal, 'refresh-interval'),
    // REFRESH-INTERVAL is not in ical.js 2.2.1's design set, so its type is
    // 'unknown' unless a VALUE parameter set it; ical.js folds VALUE into the type.
    refreshIntervalValueParam:
      refreshProp && refreshProp.type && refreshProp.type !== 'unknown'
        ? refreshProp.type.toUpperCase()
        : null,
    xPublishedTtl: text(cal, 'x-published-ttl'),
  };

  const events = cal.getAllSubcomponents('vevent').map((ev) => {
    const dtstart = ev.getFirstProperty('dtstart');
    const startValue = dtstart ? dtstart.getFirstValue() : null;
    const sequence = ev.getFirstPropertyValue('sequence');
    const geo = ev.getFirstPropertyValue('geo');
    return {
      uid: text(ev, 'uid'),
      summary: text(ev, 'summary'),
      description: text(ev, 'description'),
      location: text(ev, 'location'),
      url: text(ev, 'url'),
      status: text(ev, 'status'),
      sequence: sequence === null || sequence === undefined ? null : Number(sequence),
      allDay: !!(startValue && startValue.isDate),
      start: timeValue(dtstart),
      end: timeValue(ev.getFirstProperty('dtend')),
      startTzid: dtstart ? dtstart.getParameter('tzid') ?? null : null,
      dtstamp: timeValue(ev.getFirstProperty('dtstamp')),
      lastModified: timeValue(ev.getFirstProperty('last-modified')),
      created: timeValue(ev.getFirstProperty('created')),
      relatedTo: text(ev, 'related-to'),
      categories: ev.getAllProperties('categories').flatMap((p) => p.getValues().map(String)),
      contacts: ev.getAllProperties('contact').map((p) => String(p.getFirstValue())),
      geo: Array.isArray(geo) ? geo.map(Number) : null,
      organizer: text(ev, 'organizer'),
    };
  });

  process.stdout.write(JSON.stringify({ calendar, timezones, events }, null, 2) + '\n');
}

try {
  main();
} catch (err) {
  process.stderr.write(`parse-ical: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
}
