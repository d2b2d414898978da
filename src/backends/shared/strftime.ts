/** Which clock face file names and day boundaries use. */
export type TimeZoneMode = 'local' | 'utc';

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** The calendar fields of an instant in the chosen zone. */
export interface CalendarFields {
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export function calendarFields(ms: number, tz: TimeZoneMode): CalendarFields {
  const date = new Date(ms);
  if (tz === 'utc') {
    return {
      year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(),
      hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(),
    };
  }
  return {
    year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate(),
    hour: date.getHours(), minute: date.getMinutes(), second: date.getSeconds(),
  };
}

/**
 * A tiny strftime: %Y %m %d %H %M %S, %s (epoch seconds) and %% — enough for
 * rotation suffixes such as `.%Y%m%d-%H%M%S`. Any other `%x` is kept as written.
 */
export function strftime(pattern: string, ms: number, tz: TimeZoneMode): string {
  if (!pattern.includes('%')) return pattern;
  const f = calendarFields(ms, tz);
  return pattern.replace(/%([YmdHMSs%])/g, (_, code: string) => {
    switch (code) {
      case 'Y': return pad(f.year, 4);
      case 'm': return pad(f.month, 2);
      case 'd': return pad(f.day, 2);
      case 'H': return pad(f.hour, 2);
      case 'M': return pad(f.minute, 2);
      case 'S': return pad(f.second, 2);
      case 's': return String(Math.floor(ms / 1000));
      default: return '%';
    }
  });
}

/** `YYYYMMDD` of the day holding `ms`. */
export function dayStamp(ms: number, tz: TimeZoneMode): string {
  return strftime('%Y%m%d', ms, tz);
}

/** Epoch ms of the next midnight after `ms` in the chosen zone. */
export function nextMidnightMs(ms: number, tz: TimeZoneMode): number {
  const f = calendarFields(ms, tz);
  return tz === 'utc'
    ? Date.UTC(f.year, f.month - 1, f.day + 1)
    : new Date(f.year, f.month - 1, f.day + 1).getTime();
}

/** Epoch ms of midnight `days` days before the day holding `ms`. */
export function midnightDaysBefore(ms: number, days: number, tz: TimeZoneMode): number {
  const f = calendarFields(ms, tz);
  return tz === 'utc'
    ? Date.UTC(f.year, f.month - 1, f.day - days)
    : new Date(f.year, f.month - 1, f.day - days).getTime();
}
