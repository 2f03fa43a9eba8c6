import type { GroupScore } from '../core/types';
import { recoveryMinutes } from './demo';

/** Scores of the cpu group every 30 s from 30 s to 30 min after the stress ends at t = 0. */
function after(anomalousAt: number[]): GroupScore[] {
  return Array.from({ length: 60 }, (_, i) => {
    const t = 30 * (i + 1);
    return { t, group: 'cpu', mse: 0, threshold: 1, anomalous: anomalousAt.includes(t), features: [] };
  });
}

describe('recoveryMinutes', () => {
  it('is the first step from which the next 10 minutes hold no more anomalous steps than the nominal share allows', () => {
    // Anomalous for 1.5 min, then one blip at 10 min. A 1% share rounds up to one step in 20: the
    // window from 2 min (2:00-11:30) holds only the blip.
    expect(recoveryMinutes(after([30, 60, 90, 600]), 0, 0.01)).toBe(2);
  });

  it('allows no anomalous step when the nominal day had none', () => {
    expect(recoveryMinutes(after([30, 60, 90, 600]), 0, 0)).toBe(10.5);
  });

  it('is null when no full window after the end is quiet enough', () => {
    expect(
      recoveryMinutes(after(Array.from({ length: 60 }, (_, i) => 30 * (i + 1)).filter((t) => t % 300 === 0)), 0, 0)
    ).toBeNull();
  });
});
