/**
 * @module Time as tenant code sees it. As in workerd, `Date.now()` and
 * `performance.now()` do not advance during synchronous execution: the host
 * sets the clock at the start of every entry. This blunts timing side channels.
 */
let now = 0;
let timeOrigin = 0;

export function setClock(ms: number): void {
  if (timeOrigin === 0) timeOrigin = ms;
  now = ms;
}

const RealDate = Date;

/** Date, with `new Date()`, `Date()` and `Date.now()` reading the frozen clock. */
function FrozenDate(this: unknown, ...args: unknown[]): unknown {
  if (!new.target) return new RealDate(now).toString();
  return Reflect.construct(RealDate, args.length === 0 ? [now] : args, new.target);
}
FrozenDate.prototype = RealDate.prototype;
Object.defineProperty(RealDate.prototype, "constructor", { value: FrozenDate, writable: true, configurable: true });
Object.defineProperties(FrozenDate, {
  now: { value: () => now, writable: true, configurable: true },
  parse: { value: RealDate.parse, writable: true, configurable: true },
  UTC: { value: RealDate.UTC, writable: true, configurable: true },
  length: { value: 7 },
  name: { value: "Date" },
});

class Performance {
  get timeOrigin(): number {
    return timeOrigin;
  }
  now(): number {
    return now - timeOrigin;
  }
  toJSON(): object {
    return { timeOrigin };
  }
}

export function installClock(target: Record<string, unknown>): void {
  target.Date = FrozenDate;
  target.performance = new Performance();
  target.Performance = Performance;
}
