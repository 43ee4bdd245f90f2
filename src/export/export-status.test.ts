import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/app-error.ts';
import {
  EXPORT_STATUSES,
  assertTransition,
  canTransition,
  failedReason,
  isTerminalStatus,
  STEP_RUNNING_IN,
  toBklogStatus,
  type ExportStatus,
} from './export-status.ts';

// Written from bklog-spec §1.2/§1.6 (+ our queued/cancelled), independently of the module's table.
const ALLOWED: Array<[ExportStatus, ExportStatus]> = [
  ['queued', 'download_log'], // worker starts (bk-log: NULL → download_log)
  ['queued', 'failed'], // 24 h sweeper: "not started"
  ['queued', 'cancelled'],
  ['download_log', 'export_package'],
  ['download_log', 'failed'],
  ['download_log', 'cancelled'],
  ['export_package', 'export_upload'],
  ['export_package', 'failed'],
  ['export_package', 'cancelled'],
  ['export_upload', 'success'],
  ['export_upload', 'failed'],
  ['export_upload', 'cancelled'],
  ['success', 'download_expired'],
];

describe('export status transitions', () => {
  it('lists bk-log statuses plus queued and cancelled, without the computed data_expired', () => {
    expect([...EXPORT_STATUSES].sort()).toEqual(
      ['cancelled', 'download_expired', 'download_log', 'export_package', 'export_upload', 'failed', 'queued', 'success'],
    );
  });

  it.each(ALLOWED)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it('forbids every other pair, each with STATE_CONFLICT', () => {
    const allowed = new Set(ALLOWED.map(([a, b]) => `${a}>${b}`));
    let forbidden = 0;
    for (const from of EXPORT_STATUSES) {
      for (const to of EXPORT_STATUSES) {
        if (allowed.has(`${from}>${to}`)) continue;
        forbidden++;
        expect(canTransition(from, to), `${from} → ${to}`).toBe(false);
        let caught: unknown;
        try {
          assertTransition(from, to);
        } catch (err) {
          caught = err;
        }
        expect(isAppError(caught, 'STATE_CONFLICT'), `${from} → ${to}`).toBe(true);
      }
    }
    expect(forbidden).toBe(8 * 8 - ALLOWED.length);
  });

  it('names the sharp cases explicitly', () => {
    // bk-log's one-shot expiry overwrote any status; we only expire a successful export's link.
    expect(canTransition('failed', 'download_expired')).toBe(false);
    expect(canTransition('download_log', 'success')).toBe(false); // no skipped steps
    expect(canTransition('failed', 'queued')).toBe(false); // retry is a new task
    expect(canTransition('success', 'failed')).toBe(false);
    expect(canTransition('cancelled', 'download_log')).toBe(false);
  });

  it('knows terminal statuses', () => {
    expect(['failed', 'download_expired', 'cancelled'].every((s) => isTerminalStatus(s as ExportStatus))).toBe(true);
    expect(isTerminalStatus('success')).toBe(false);
    expect(isTerminalStatus('queued')).toBe(false);
  });
});

describe('failed_reason', () => {
  it('uses bk-log prefixes', () => {
    expect(failedReason('export_package', 'disk full')).toBe('export package error: disk full');
    expect(failedReason('export_upload', 'S3 503')).toBe('export upload error: S3 503');
    expect(failedReason('generate_download_url', 'no creds')).toBe('generate download url error: no creds');
  });

  it('attributes a failure to the step running in each status', () => {
    expect(STEP_RUNNING_IN.download_log).toBe('export_package');
    expect(STEP_RUNNING_IN.export_package).toBe('export_upload');
    expect(STEP_RUNNING_IN.export_upload).toBe('generate_download_url');
  });

  it('presents queued as bk-log NULL', () => {
    expect(toBklogStatus('queued')).toBeNull();
    expect(toBklogStatus('export_upload')).toBe('export_upload');
  });
});
