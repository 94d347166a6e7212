/**
 * @module Core ops: the response, thrown errors, console lines, waitUntil,
 * passThroughOnException, timers and bridge streams. A 101 names the
 * WebSocket its request created (host-ops/websocket.ts).
 */
import { Op, type WireError } from "../bridge/protocol.js";
import { expectNumber, expectString, OpArgumentError, requireInvocation, type OpTable } from "../ops.js";
import { flatHeadersFromJson, validateStatus, validateStatusText } from "./wire.js";
import { returnedSocket } from "./websocket.js";

const MAX_LOG_LINE = 16 * 1024;
const MAX_LOG_LINES = 256;
/** setTimeout's largest delay (a 32-bit signed millisecond count). */
const MAX_DELAY_MS = 2 ** 31 - 1;

export const coreOps: OpTable = {
  [Op.Respond](context, [status, statusText, headersJson, body, webSocketId]) {
    const invocation = requireInvocation(context, "Responding");
    if (webSocketId !== undefined && webSocketId !== null) {
      const webSocket = returnedSocket(invocation, webSocketId, status, body);
      return invocation.respond({ status: 101, statusText: validateStatusText(statusText), headers: flatHeadersFromJson(headersJson), body: null, webSocket });
    }
    invocation.respond({
      status: validateStatus(status),
      statusText: validateStatusText(statusText),
      headers: flatHeadersFromJson(headersJson),
      body: body === null || typeof body === "string" || body instanceof Uint8Array ? body : invocation.streams.pullFrom(expectNumber(body, "body stream id")),
    });
  },
  [Op.Throw](context, [error]) {
    const wire = (error ?? {}) as WireError;
    requireInvocation(context, "Throwing").threw({ name: String(wire.name), message: String(wire.message), stack: wire.stack === undefined ? undefined : String(wire.stack) });
  },
  [Op.Log](context, [level, message]) {
    const invocation = context.invocation;
    if (!invocation || invocation.logs.length >= MAX_LOG_LINES) return;
    invocation.logs.push({ level: expectString(level, "level"), message: expectString(message, "message").slice(0, MAX_LOG_LINE) });
  },
  [Op.WaitUntil](context) {
    requireInvocation(context, "waitUntil").waitUntilSettled();
  },
  [Op.PassThrough](context) {
    requireInvocation(context, "passThroughOnException").passThrough = true;
  },
  [Op.TimerSet](context, [timerId, delay]) {
    const invocation = requireInvocation(context, "Timers");
    invocation.setTimer(expectNumber(timerId, "timer id"), Math.min(MAX_DELAY_MS, Math.max(0, expectNumber(delay, "delay"))));
  },
  [Op.TimerClear](context, [timerId]) {
    context.invocation?.clearTimer(expectNumber(timerId, "timer id"));
  },
  [Op.StreamRead](context, [streamId]) {
    if (context.opId === 0) throw new OpArgumentError("stream.read is asynchronous");
    requireInvocation(context, "Reading a stream").streams.read(expectNumber(streamId, "stream id"), context.opId);
  },
  [Op.StreamCancel](context, [streamId]) {
    context.invocation?.streams.cancel(expectNumber(streamId, "stream id"));
  },
  [Op.StreamChunk](context, [streamId, chunk, error]) {
    context.invocation?.streams.deliver(expectNumber(streamId, "stream id"), chunk as Uint8Array | null, (error ?? null) as WireError | null);
  },
};
