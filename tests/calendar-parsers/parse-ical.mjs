#!/usr/bin/env node
// Independent iCalendar parsing harness built on Mozilla's ical.js (pinned 2.2.1).
// The C# integration tests shell out to it to check .ics output with a parser
// that shares no code with the application.
//
// Usage:  node parse-ical.mjs [file.ics]      (reads stdin when no path is given)
//         node parse-ical.mjs file.ics --expand FROM TO
//           also expands every event's occurrences whose RECURRENCE-ID (the rule's
//           time, before any change) falls in [FROM, TO], UTC instants such as
//           2027-01-01T00:00:00Z, into "occurrences" (see README.md).
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

// An occurrence's own time: a DATE as "YYYY-MM-DD", any other as its UTC instant.
function instant(t) {
  if (t.isDate) return formatDate(t);
  if (isFloating(t)) return formatDateTime(t);
  return `${formatDateTime(t.convertToZone(ICAL.Timezone.utcTimezone))}Z`;
}

// Every occurrence of every event whose rule time falls in [from, to], through ical.js's own
// expansion: ICAL.Event relates the file's RECURRENCE-ID components to their series (by UID),
// its iterator (ICAL.RecurExpansion) applies RRULE and EXDATE, and getOccurrenceDetails puts a
// changed occurrence at its own time with its own properties.
function expand(cal, from, to) {
  const masters = cal.getAllSubcomponents('vevent').filter((c) => !c.hasProperty('recurrence-id'));
  const exceptionsByUid = new Map();
  for (const c of cal.getAllSubcomponents('vevent').filter((c) => c.hasProperty('recurrence-id'))) {
    const uid = c.getFirstPropertyValue('uid');
    if (!exceptionsByUid.has(uid)) exceptionsByUid.set(uid, []);
    exceptionsByUid.get(uid).push(c);
  }

  const occurrences = [];
  for (const master of masters) {
    const uid = master.getFirstPropertyValue('uid');
    const event = new ICAL.Event(master, { exceptions: exceptionsByUid.get(uid) ?? [], strictExceptions: true });
    const iterator = event.iterator();
    for (let next, guard = 0; (next = iterator.next()); guard++) {
      if (guard > 200000) throw new HarnessError(`${uid}: more than 200000 occurrences`);
      if (next.compare(to) > 0) break;
      if (next.compare(from) < 0) continue;
      const details = event.getOccurrenceDetails(next);
      const item = details.item.component;
      occurrences.push({
        uid,
        recurrenceId: formatDate(next),
        start: instant(details.startDate),
        end: details.endDate ? instant(details.endDate) : null,
        status: item.getFirstPropertyValue('status') ?? null,
        summary: text(item, 'summary'),
      });
      if (!event.isRecurring()) break;
    }
  }
  return occurrences;
}

function text(component, name) {
  const v = component.getFirstPropertyValue(name);
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : v.toString();
}

function main() {
  const path = process.argv[2];
  const expandAt = process.argv.indexOf('--expand');
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

  const result = { calendar, timezones, events };
  if (expandAt > 0) {
    const [from, to] = process.argv.slice(expandAt + 1, expandAt + 3).map((v) => ICAL.Time.fromDateTimeString(v.replace(/Z$/, ''), null));
    for (const t of [from, to]) t.zone = ICAL.Timezone.utcTimezone;
    result.occurrences = expand(cal, from, to);
  }
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

try {
  main();
} catch (err) {
  process.stderr.write(`parse-ical: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
}
