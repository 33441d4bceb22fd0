/**
 * Time for the emulator. `RealClock` for interactive use; `VirtualClock` for tests and simulations,
 * where time moves only when `advance` is called, so minutes of routing run in milliseconds and
 * always the same way.
 *
 * Determinism with asynchronous work (webhook deliveries, TwiML fetches): that work is registered
 * with `track`, and the virtual clock lets it finish (`settle`) before it fires the next timer, so no
 * virtual time passes while a request is in flight. Timers due at the same instant fire in the order
 * they were set.
 */

export interface TimerHandle {
  readonly at: number;
}

export interface Clock {
  readonly kind: "real" | "virtual";
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once at `at` (ms since the epoch); a time in the past means as soon as possible. */
  setTimer(at: number, fn: () => void): TimerHandle;
  cancel(handle: TimerHandle | undefined): void;
  /** Registers asynchronous work the virtual clock must wait for before moving on. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves once tracked work and the microtasks it queued have finished. */
  settle(): Promise<void>;
}

interface RealTimer extends TimerHandle {
  timeout: NodeJS.Timeout;
}

export class RealClock implements Clock {
  readonly kind = "real" as const;
  private readonly inFlight = new Set<Promise<unknown>>();

  now(): number {
    return Date.now();
  }

  setTimer(at: number, fn: () => void): TimerHandle {
    // setTimeout cannot wait longer than 2^31-1 ms; longer waits re-arm themselves.
    const max = 2 ** 31 - 1;
    const handle: RealTimer = { at, timeout: undefined as unknown as NodeJS.Timeout };
    const arm = () => {
      const delay = at - Date.now();
      handle.timeout = setTimeout(delay > max ? arm : fn, Math.max(0, Math.min(delay, max)));
    };
    arm();
    return handle;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle) clearTimeout((handle as RealTimer).timeout);
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

interface VirtualTimer extends TimerHandle {
  seq: number;
  fn: () => void;
  canceled: boolean;
}

/** Start of virtual time unless given: a fixed instant, so traces read the same on every run. */
export const VIRTUAL_EPOCH = Date.parse("2030-01-01T00:00:00Z");

const earlier = (a: VirtualTimer, b: VirtualTimer) =>
  a.at < b.at || (a.at === b.at && a.seq < b.seq);

export class VirtualClock implements Clock {
  readonly kind = "virtual" as const;
  private current: number;
  private seq = 0;
  /** Binary min-heap by (at, seq); canceled timers stay until they reach the top. */
  private heap: VirtualTimer[] = [];
  private live = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private lock: Promise<void> = Promise.resolve();

  constructor(start: number = VIRTUAL_EPOCH) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(at: number, fn: () => void): TimerHandle {
    const timer: VirtualTimer = {
      at: Math.max(at, this.current),
      seq: this.seq++,
      fn,
      canceled: false,
    };
    const heap = this.heap;
    let i = heap.push(timer) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
    this.live++;
    return timer;
  }

  cancel(handle: TimerHandle | undefined): void {
    const timer = handle as VirtualTimer | undefined;
    if (!timer || timer.canceled || !("seq" in timer)) return;
    timer.canceled = true;
    this.live--;
  }

  /** How many timers are waiting. */
  pending(): number {
    return this.live;
  }

  /** When the next timer fires, or undefined when none is set. */
  nextAt(): number | undefined {
    return this.peek()?.at;
  }

  private peek(): VirtualTimer | undefined {
    while (this.heap.length > 0 && this.heap[0].canceled) this.pop();
    return this.heap[0];
  }

  private pop(): VirtualTimer {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as VirtualTimer;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && earlier(heap[l], heap[m])) m = l;
        if (r < heap.length && earlier(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  async settle(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.inFlight.size === 0) return;
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way in time order (timers set while
   * advancing fire too if they fall inside the window). Concurrent calls run one after another.
   */
  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) {
      return Promise.reject(new Error(`clock: cannot advance by ${ms} ms`));
    }
    return this.exclusive(async () => {
      const target = this.current + ms;
      await this.settle();
      for (;;) {
        const next = this.peek();
        if (!next || next.at > target) break;
        this.fire(next);
        await this.settle();
      }
      if (this.current !== target) {
        this.current = target;
        await this.settle();
      }
    });
  }

  /**
   * Advances timer by timer until `done()` holds, at most `limitMs` of virtual time. Returns whether
   * `done()` held; false also when nothing is left to happen. One settle per timer: settling again
   * with no code run in between finds nothing new, and each settle costs a turn of the event loop.
   */
  runUntil(done: () => boolean, limitMs: number): Promise<boolean> {
    let held = false;
    return this.exclusive(async () => {
      const end = this.current + limitMs;
      await this.settle();
      for (;;) {
        held = done();
        if (held) return;
        const next = this.peek();
        if (!next || next.at > end) return;
        this.fire(next);
        await this.settle();
      }
    }).then(() => held);
  }

  /** Takes the earliest timer off the heap, moves time to it and runs it. */
  private fire(next: VirtualTimer): void {
    this.pop();
    next.canceled = true;
    this.live--;
    this.current = next.at;
    next.fn();
  }

  private exclusive(work: () => Promise<void>): Promise<void> {
    const run = this.lock.then(work);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

export function createClock(kind: "real" | "virtual", start?: number): Clock {
  return kind === "virtual" ? new VirtualClock(start) : new RealClock();
}

/** A promise that resolves after `seconds` on the clock. */
export function sleep(clock: Clock, seconds: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(clock.now() + seconds * 1000, resolve));
}
