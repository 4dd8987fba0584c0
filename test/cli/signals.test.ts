/**
 * Signals from the first moment (src/cli/signals.ts): the latest taker gets SIGINT / SIGTERM / SIGHUP; with no taker
 * the process ends at once with 130 / 143 / 129. process.exit is replaced by a spy; the signals are emitted, not sent.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installSignals, SIGNAL_EXIT, takeSignals } from '../../src/cli/signals.js';

describe('signals', () => {
  afterEach(() => vi.restoreAllMocks());

  it('end the process with 130 / 143 until a command takes them; the latest taker gets them', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    installSignals();
    installSignals(); // idempotent: one dispatcher
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGTERM', 'SIGTERM');
    expect(exit.mock.calls).toEqual([[130], [143]]);
    const outer = vi.fn();
    const inner = vi.fn();
    const giveOuter = takeSignals(outer);
    const giveInner = takeSignals(inner);
    process.emit('SIGINT', 'SIGINT');
    giveInner();
    process.emit('SIGTERM', 'SIGTERM');
    giveOuter();
    expect(inner.mock.calls).toEqual([['SIGINT']]);
    expect(outer.mock.calls).toEqual([['SIGTERM']]);
    process.emit('SIGINT', 'SIGINT');
    expect(exit.mock.calls).toEqual([[130], [143], [130]]);
  });

  it('take SIGHUP like SIGTERM: 129 until a command takes it, then the taker gets it', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    installSignals();
    process.emit('SIGHUP', 'SIGHUP');
    expect(exit.mock.calls).toEqual([[129]]);
    const taker = vi.fn();
    const give = takeSignals(taker);
    process.emit('SIGHUP', 'SIGHUP');
    give();
    expect(taker.mock.calls).toEqual([['SIGHUP']]);
    expect(SIGNAL_EXIT).toMatchObject({ SIGHUP: 129, SIGINT: 130, SIGTERM: 143 });
  });
});
