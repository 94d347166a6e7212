/** @module Event, CustomEvent, EventTarget, AbortController, AbortSignal and DOMException inside an isolate. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";
import { assertError, checksWorker, runChecks, valueOf, type CheckResult } from "./checks.js";

const checks = `{
  eventBasics: async () => {
    const e = new Event("ping", { cancelable: true, bubbles: true });
    const before = [e.type, e.bubbles, e.cancelable, e.composed, e.eventPhase, e.target, e.currentTarget, e.isTrusted, e.defaultPrevented, typeof e.timeStamp];
    e.preventDefault();
    return { before, prevented: e.defaultPrevented, returnValue: e.returnValue, constants: [Event.AT_TARGET, e.BUBBLING_PHASE], tag: String(e) };
  },
  eventNeedsType: async () => errorOf(() => new Event()),
  customEvent: async () => {
    const target = new EventTarget();
    let seen;
    target.addEventListener("data", (e) => { seen = [e.detail, e instanceof Event, e.type]; });
    target.dispatchEvent(new CustomEvent("data", { detail: { n: 1 } }));
    return { seen, defaultDetail: new CustomEvent("x").detail };
  },
  dispatchOrderAndState: async () => {
    const target = new EventTarget();
    const log = [];
    const object = { handleEvent(e) { log.push(["object", this === object, e.currentTarget === target, e.eventPhase]); } };
    target.addEventListener("go", function (e) { log.push(["fn", this === target, e.target === target]); });
    target.addEventListener("go", object);
    target.addEventListener("go", object);
    const e = new Event("go");
    const result = target.dispatchEvent(e);
    log.push(["after", e.eventPhase, e.currentTarget, e.target === target]);
    return { log, result };
  },
  once: async () => {
    const target = new EventTarget();
    let n = 0;
    target.addEventListener("x", () => n++, { once: true });
    target.dispatchEvent(new Event("x"));
    target.dispatchEvent(new Event("x"));
    return n;
  },
  captureIsPartOfIdentity: async () => {
    const target = new EventTarget();
    let n = 0;
    const fn = () => n++;
    target.addEventListener("x", fn);
    target.addEventListener("x", fn, true);
    target.dispatchEvent(new Event("x"));
    target.removeEventListener("x", fn, { capture: true });
    target.dispatchEvent(new Event("x"));
    return n;
  },
  removedDuringDispatchNotCalled: async () => {
    const target = new EventTarget();
    const log = [];
    const second = () => log.push("second");
    target.addEventListener("x", () => { log.push("first"); target.removeEventListener("x", second); target.addEventListener("x", () => log.push("added")); });
    target.addEventListener("x", second);
    target.dispatchEvent(new Event("x"));
    return log;
  },
  stopImmediate: async () => {
    const target = new EventTarget();
    const log = [];
    target.addEventListener("x", (e) => { log.push(1); e.stopImmediatePropagation(); });
    target.addEventListener("x", () => log.push(2));
    target.dispatchEvent(new Event("x"));
    return log;
  },
  passiveCannotCancel: async () => {
    const target = new EventTarget();
    target.addEventListener("x", (e) => e.preventDefault(), { passive: true });
    const e = new Event("x", { cancelable: true });
    return [target.dispatchEvent(e), e.defaultPrevented];
  },
  signalRemovesListener: async () => {
    const target = new EventTarget();
    const controller = new AbortController();
    let n = 0;
    target.addEventListener("x", () => n++, { signal: controller.signal });
    target.dispatchEvent(new Event("x"));
    controller.abort();
    target.dispatchEvent(new Event("x"));
    target.addEventListener("x", () => n++, { signal: controller.signal });
    target.dispatchEvent(new Event("x"));
    return n;
  },
  signalOptionMustBeSignal: async () => errorOf(() => new EventTarget().addEventListener("x", () => {}, { signal: {} })),
  listenerErrorIsReported: async () => {
    const target = new EventTarget();
    let after = false;
    target.addEventListener("x", () => { throw new Error("listener boom"); });
    target.addEventListener("x", () => { after = true; });
    return [target.dispatchEvent(new Event("x")), after];
  },
  redispatchWhileDispatching: async () => {
    const target = new EventTarget();
    let inner;
    const e = new Event("x");
    target.addEventListener("x", () => { inner = errorOf(() => target.dispatchEvent(e)); });
    target.dispatchEvent(e);
    return inner;
  },
  abortController: async () => {
    const controller = new AbortController();
    const { signal } = controller;
    const log = [];
    signal.addEventListener("abort", (e) => log.push(["listener", e.type, e.isTrusted, signal.aborted]));
    signal.onabort = (e) => log.push(["onabort", e.target === signal]);
    const before = [signal.aborted, signal.reason];
    controller.abort("why");
    controller.abort("again");
    return { before, log, reason: signal.reason, thrown: await errorOf(() => signal.throwIfAborted()) };
  },
  defaultReason: async () => {
    const c = new AbortController();
    c.abort();
    const r = c.signal.reason;
    return [r instanceof DOMException, r.name, r.code, r.message, AbortSignal.abort().reason.name, AbortSignal.abort(42).reason];
  },
  thrownReason: async () => {
    const c = new AbortController();
    c.abort(new TypeError("custom"));
    try { c.signal.throwIfAborted(); } catch (e) { return [e instanceof TypeError, e.message]; }
    return "no error";
  },
  signalConstructor: async () => errorOf(() => new AbortSignal()),
  timeout: async () => {
    const signal = AbortSignal.timeout(10);
    const start = Date.now();
    const event = await new Promise((resolve) => signal.addEventListener("abort", resolve));
    return [signal.aborted, signal.reason.name, signal.reason.code, Date.now() - start >= 5, event.type];
  },
  timeoutBadArgument: async () => errorOf(() => AbortSignal.timeout(-1)),
  any: async () => {
    const a = new AbortController();
    const b = new AbortController();
    const any = AbortSignal.any([a.signal, b.signal]);
    const nested = AbortSignal.any([any]);
    const log = [];
    b.signal.addEventListener("abort", () => log.push(["source", any.aborted, nested.aborted]));
    any.addEventListener("abort", () => log.push("any"));
    nested.addEventListener("abort", () => log.push("nested"));
    b.abort("b first");
    a.abort("a later");
    const already = AbortSignal.any([new AbortController().signal, AbortSignal.abort("pre")]);
    return { log, reason: any.reason, nested: nested.reason, already: [already.aborted, already.reason], empty: AbortSignal.any([]).aborted };
  },
  anyRejectsNonSignals: async () => errorOf(() => AbortSignal.any([{}])),
  domException: async () => {
    const e = new DOMException("bad", "SyntaxError");
    const plain = new DOMException();
    return {
      e: [e.name, e.message, e.code, e instanceof Error, e instanceof DOMException, Object.prototype.toString.call(e), String(e), e.stack.split("\\n")[0]],
      plain: [plain.name, plain.message, plain.code],
      constants: [DOMException.INDEX_SIZE_ERR, DOMException.URL_MISMATCH_ERR, DOMException.DATA_CLONE_ERR, DOMException.VALIDATION_ERR, e.ABORT_ERR],
      codes: ["NotFoundError", "TimeoutError", "QuotaExceededError", "DataCloneError", "EncodingError", "NotAllowedError"].map((n) => new DOMException("", n).code),
      options: (() => { const c = new DOMException("m", { name: "AbortError", cause: 1 }); return [c.name, c.cause]; })(),
      ownKeys: Object.keys(e),
    };
  },
}`;

let pop: TestPop;
let results: Record<string, CheckResult>;
before(async () => {
  pop = await startTestPop([{ name: "events", source: checksWorker(checks) }]);
  results = await runChecks(pop, "/");
});
after(() => pop.close());

test("Event: init dictionary, phases, preventDefault, constants", () => {
  assert.deepEqual(valueOf(results, "eventBasics"), {
    before: ["ping", true, true, false, 0, null, null, false, false, "number"],
    prevented: true,
    returnValue: false,
    constants: [2, 3],
    tag: "[object Event]",
  });
  assertError(results, "eventNeedsType", "TypeError");
});

test("CustomEvent carries detail", () => {
  assert.deepEqual(valueOf(results, "customEvent"), { seen: [{ n: 1 }, true, "data"], defaultDetail: null });
});

test("dispatch: this, currentTarget, handleEvent objects, duplicates ignored, state reset after", () => {
  assert.deepEqual(valueOf(results, "dispatchOrderAndState"), {
    log: [["fn", true, true], ["object", true, true, 2], ["after", 0, null, true]],
    result: true,
  });
});

test("once, capture identity, removal during dispatch, stopImmediatePropagation, passive", () => {
  assert.equal(valueOf(results, "once"), 1);
  assert.equal(valueOf(results, "captureIsPartOfIdentity"), 3);
  assert.deepEqual(valueOf(results, "removedDuringDispatchNotCalled"), ["first"]);
  assert.deepEqual(valueOf(results, "stopImmediate"), [1]);
  assert.deepEqual(valueOf(results, "passiveCannotCancel"), [true, false]);
});

test("the signal option removes the listener on abort, and an aborted signal adds none", () => {
  assert.equal(valueOf(results, "signalRemovesListener"), 1);
  assertError(results, "signalOptionMustBeSignal", "TypeError", /AbortSignal/);
});

test("a throwing listener is reported to the log and the others still run", () => {
  assert.deepEqual(valueOf(results, "listenerErrorIsReported"), [true, true]);
  const log = pop.logs.find((entry) => entry.logs.some((line) => line.message.includes("listener boom")));
  assert.ok(log, "the listener's error was not logged");
  assert.equal(log.logs.find((line) => line.message.includes("listener boom"))?.level, "error");
  assert.deepEqual(valueOf(results, "redispatchWhileDispatching"), { name: "InvalidStateError", message: "The event is already being dispatched", isTypeError: false, isRangeError: false });
});

test("AbortController: reason, one abort only, onabort, trusted event, throwIfAborted", () => {
  assert.deepEqual(valueOf(results, "abortController"), {
    before: [false, null],
    log: [["listener", "abort", true, true], ["onabort", true]],
    reason: "why",
    thrown: { message: "why", isTypeError: false, isRangeError: false },
  });
  assert.deepEqual(valueOf(results, "defaultReason"), [true, "AbortError", 20, "This operation was aborted", "AbortError", 42]);
  assert.deepEqual(valueOf(results, "thrownReason"), [true, "custom"]);
  assertError(results, "signalConstructor", "TypeError", /Illegal constructor/);
});

test("AbortSignal.timeout aborts with a TimeoutError after the delay", () => {
  assert.deepEqual(valueOf(results, "timeout"), [true, "TimeoutError", 23, true, "abort"]);
  assertError(results, "timeoutBadArgument", "TypeError", /-1/);
});

test("AbortSignal.any follows the first source to abort, flattened, and fires after it", () => {
  assert.deepEqual(valueOf(results, "any"), {
    log: [["source", true, true], "any", "nested"],
    reason: "b first",
    nested: "b first",
    already: [true, "pre"],
    empty: false,
  });
  assertError(results, "anyRejectsNonSignals", "TypeError");
});

test("DOMException: name, message, code table, constants, Error subclass, options form", () => {
  assert.deepEqual(valueOf(results, "domException"), {
    e: ["SyntaxError", "bad", 12, true, true, "[object DOMException]", "SyntaxError: bad", "SyntaxError: bad"],
    plain: ["Error", "", 0],
    constants: [1, 21, 25, 16, 20],
    codes: [8, 23, 22, 25, 0, 0],
    options: ["AbortError", 1],
    ownKeys: [],
  });
});
