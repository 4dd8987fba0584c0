import { EventEmitter } from 'node:events';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stripAnsi } from '../../src/tui/format.js';
import { LiveSearch } from '../../src/tui/live-search.js';
import { renderSearchTui } from '../../src/tui/render-search-tui.js';
import type { SearchView } from '../../src/search/search-view.js';
import { createThrottle } from '../../src/tui/throttle.js';
import { midSearchView } from './fixtures.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('LiveSearch keys', () => {
  it('q and Ctrl-C call stop, p calls togglePause, other keys nothing', async () => {
    const actions = { stop: vi.fn(), togglePause: vi.fn() };
    const { stdin } = render(<LiveSearch view={midSearchView()} actions={actions} />);
    await tick();
    stdin.write('q');
    await tick();
    expect(actions.stop).toHaveBeenCalledTimes(1);
    stdin.write('\u0003');
    await tick();
    expect(actions.stop).toHaveBeenCalledTimes(2);
    stdin.write('p');
    await tick();
    expect(actions.togglePause).toHaveBeenCalledTimes(1);
    stdin.write('x');
    await tick();
    expect(actions.stop).toHaveBeenCalledTimes(2);
    expect(actions.togglePause).toHaveBeenCalledTimes(1);
  });
});

describe('createThrottle', () => {
  it('reads a function interval at each call', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    let interval = 100;
    const throttle = createThrottle(fn, () => interval);
    throttle.call();
    interval = 500;
    throttle.call();
    vi.advanceTimersByTime(499);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('runs at once, then at most once per interval with a trailing run', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const throttle = createThrottle(fn, 100);
    throttle.call();
    expect(fn).toHaveBeenCalledTimes(1);
    throttle.call();
    throttle.call();
    throttle.call();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(99);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(2);
    throttle.call();
    throttle.call();
    throttle.flush();
    expect(fn).toHaveBeenCalledTimes(4);
    throttle.call();
    throttle.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(4);
  });
});

class FakeStdout extends EventEmitter {
  columns = 100;
  frames: string[] = [];
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = () => {
    const data = this.data;
    this.data = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

describe('renderSearchTui', () => {
  it('redraws on change (throttled), forwards keys, and leaves the final view on unmount', async () => {
    let view: SearchView = midSearchView();
    const listeners = new Set<() => void>();
    const stdout = new FakeStdout();
    const stdin = new FakeStdin();
    const actions = { stop: vi.fn(), togglePause: vi.fn() };
    const tui = renderSearchTui(
      () => view,
      (onChange) => {
        listeners.add(onChange);
        return () => listeners.delete(onChange);
      },
      actions,
      {
        fps: 2,
        debug: true,
        stdout: stdout as unknown as NodeJS.WriteStream,
        stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
        stdin: stdin as unknown as NodeJS.ReadStream,
      },
    );
    const last = () => stripAnsi(stdout.frames.at(-1) ?? '');
    expect(last()).toContain('trials 4/100');

    stdin.write('p');
    await tick();
    expect(actions.togglePause).toHaveBeenCalledTimes(1);

    view = { ...view, trialsDone: 5 };
    for (const notify of listeners) notify();
    expect(last()).toContain('trials 5/100');

    // Within the 500 ms interval (checked synchronously): not drawn yet, but drawn by unmount.
    view = { ...view, trialsDone: 6, running: [], endMessage: 'Stopped.', resumeCommand: 'embnas resume frappe' };
    for (const notify of listeners) notify();
    expect(last()).toContain('trials 5/100');

    tui.unmount();
    await tui.waitUntilExit();
    expect(last()).toContain('trials 6/100');
    expect(last()).toContain('embnas resume frappe');
    expect(listeners.size).toBe(0);
  });
});
