/**
 * The wall-clock parts of an instant as Alembic computes a revision's create date: local time, or,
 * with the project's `timezone` setting, that zone (then `str(datetime)` carries the offset).
 */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC, only when a zone was named. */
  offsetMinutes?: number;
}

export class UnknownTimezoneError extends Error {
  override readonly name = 'UnknownTimezoneError';
  constructor(readonly timezone: string) {
    super(`The project's timezone setting "${timezone}" is not a time zone name this runtime knows (use an IANA name such as UTC or Europe/Berlin).`);
  }
}

export function wallClock(date: Date, timezone?: string): WallClock {
  if (!timezone) {
    return {
      year: date.getFullYear(),
      month: date.getMonth() + 1,
      day: date.getDate(),
      hour: date.getHours(),
      minute: date.getMinutes(),
      second: date.getSeconds(),
      millisecond: date.getMilliseconds(),
    };
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new UnknownTimezoneError(timezone);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const clock = {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: date.getUTCMilliseconds(),
  };
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second, clock.millisecond);
  return { ...clock, offsetMinutes: Math.round((asUtc - date.getTime()) / 60_000) };
}
