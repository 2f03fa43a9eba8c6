/**
 * Call-arrival profiles of a mobile voice area (a LAC): the shape of a day (quiet nights, a morning
 * ramp, the late-morning busy hour, a lunch dip, a second afternoon/evening peak) on weekdays,
 * Saturdays and Sundays, and a day-to-day factor. The paper injects two weeks of a real Orange 3G LAC
 * profile (March 16-29, 2020) for training and a busier LAC's day for the overload test; these
 * curves have that kind of shape, not those exact data. Times of day are read in UTC.
 */
import { randomStream } from './random';

export interface AreaProfile {
  /** Call attempts per second at the weekday busy hour. */
  peakCallsPerSecond: number;
  /** SIP subscribers registered from this area. */
  subscribers: number;
  /** Relative arrival rate at the middle of each hour (hour 0 = 00:00-01:00), peak = 1. */
  weekday: number[];
  saturday: number[];
  sunday: number[];
  /** Extra factor for Monday..Friday (weekends are in their own curves). */
  weekdayScale: number[];
}

/** The area the platform is dimensioned for and trained on. */
export const TRAINING_AREA: AreaProfile = {
  peakCallsPerSecond: 15,
  subscribers: 12000,
  weekday: [
    0.16, 0.09, 0.055, 0.04, 0.04, 0.06, 0.15, 0.36, 0.63, 0.86, 0.97, 1.0, 0.9, 0.86, 0.91, 0.94, 0.96, 0.98, 0.93,
    0.78, 0.58, 0.44, 0.32, 0.22,
  ],
  saturday: [
    0.2, 0.12, 0.07, 0.05, 0.04, 0.05, 0.09, 0.18, 0.34, 0.52, 0.64, 0.7, 0.68, 0.62, 0.6, 0.62, 0.64, 0.66, 0.64, 0.55,
    0.44, 0.36, 0.3, 0.24,
  ],
  sunday: [
    0.2, 0.13, 0.08, 0.05, 0.04, 0.04, 0.06, 0.11, 0.22, 0.36, 0.47, 0.53, 0.52, 0.45, 0.44, 0.47, 0.5, 0.53, 0.54, 0.5,
    0.42, 0.34, 0.26, 0.18,
  ],
  weekdayScale: [1.0, 1.01, 0.99, 1.0, 1.03],
};

/** A busier area (a business district: more subscribers, a sharper morning peak) used for the overload test. */
export const BUSIER_AREA: AreaProfile = {
  peakCallsPerSecond: 36,
  subscribers: 29000,
  weekday: [
    0.12, 0.07, 0.045, 0.035, 0.035, 0.05, 0.14, 0.38, 0.7, 0.93, 1.0, 0.97, 0.82, 0.84, 0.93, 0.96, 0.95, 0.9, 0.8,
    0.62, 0.45, 0.33, 0.24, 0.17,
  ],
  saturday: [
    0.15, 0.09, 0.055, 0.04, 0.035, 0.04, 0.08, 0.16, 0.3, 0.45, 0.55, 0.6, 0.58, 0.52, 0.5, 0.52, 0.54, 0.55, 0.52,
    0.44, 0.35, 0.28, 0.22, 0.18,
  ],
  sunday: [
    0.15, 0.1, 0.06, 0.04, 0.035, 0.035, 0.05, 0.09, 0.18, 0.3, 0.39, 0.44, 0.43, 0.37, 0.36, 0.39, 0.42, 0.45, 0.46,
    0.42, 0.35, 0.28, 0.21, 0.15,
  ],
  weekdayScale: [1.0, 1.0, 0.98, 1.0, 1.02],
};

const DAY = 86400;

/** Day of the week of a unix day number, Monday = 0 (1970-01-01 was a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Hourly level of hour `h` (may run into the previous or next day) counted from the start of `day`. */
function hourly(area: AreaProfile, day: number, h: number): number {
  const d = day + Math.floor(h / 24);
  const hour = ((h % 24) + 24) % 24;
  const w = weekdayOf(d);
  if (w === 5) {
    return area.saturday[hour];
  }
  if (w === 6) {
    return area.sunday[hour];
  }
  return area.weekday[hour] * area.weekdayScale[w];
}

/**
 * Day-to-day variation: one lognormal factor (sigma 4%) per calendar day, drawn from its own stream so
 * a day looks the same whatever the simulation's start.
 */
export function dayFactor(seed: number, day: number): number {
  return Math.exp(0.04 * randomStream(seed, `day:${day}`).normal());
}

/** Mean call-arrival rate (calls/s) of the area at unix time `t`, without the day-to-day factor. */
export function callRate(area: AreaProfile, t: number): number {
  const day = Math.floor(t / DAY);
  // Hourly levels sit at the middle of each hour; Catmull-Rom between them, across midnight too.
  const x = (t - day * DAY) / 3600 - 0.5;
  const h = Math.floor(x);
  const u = x - h;
  const p0 = hourly(area, day, h - 1);
  const p1 = hourly(area, day, h);
  const p2 = hourly(area, day, h + 1);
  const p3 = hourly(area, day, h + 2);
  const level =
    0.5 *
    (2 * p1 + (-p0 + p2) * u + (2 * p0 - 5 * p1 + 4 * p2 - p3) * u * u + (-p0 + 3 * p1 - 3 * p2 + p3) * u * u * u);
  return area.peakCallsPerSecond * Math.max(0.01, level);
}
