/**
 * @module The chat protocol: JSON text messages, checked here without I/O.
 * A client sends `{"name": …}` once, then `{"message": …}`; the room sends
 * chat messages, joins, quits, the backlog and errors (see README.md).
 */

/** The protocol's limits; error messages quote them. */
export const ChatLimits = {
  /** A name is 1 to 32 characters (code points). */
  MAX_NAME_CHARS: 32,
  /** A message is 1 to 1,000 characters (code points). */
  MAX_MESSAGE_CHARS: 1000,
  /** Messages a room keeps and sends to whoever joins. */
  BACKLOG_MESSAGES: 100,
  /** Characters of a bad value quoted in an error. */
  QUOTED_CHARS: 64,
} as const;

/** A chat message, as stored and as broadcast. */
export interface ChatMessage {
  name: string;
  message: string;
  /** When the room received it, in ms since the epoch. */
  at: number;
}

/** Everything a room sends to a client. */
export type ServerMessage = ChatMessage | { joined: string } | { quit: string } | { backlog: ChatMessage[] } | { error: string };

/** What a client's message asks for, given the name it joined with (null before it sent one). */
export type Action = { join: string } | { say: string } | { error: string };

/** Length in characters (code points), so that an emoji counts once. */
const charsOf = (text: string) => [...text].length;

/** `text` cut after QUOTED_CHARS characters, with "…" where it was cut. */
function cut(text: string): string {
  const chars = [...text];
  return chars.length > ChatLimits.QUOTED_CHARS ? `${chars.slice(0, ChatLimits.QUOTED_CHARS).join("")}…` : text;
}

/**
 * A value for an error message: a string quoted, anything else as JSON, cut.
 * @example show("x".repeat(70)) // '"xxx…x…"' (64 x, then …)
 */
export function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(cut(value)) : cut(JSON.stringify(value) ?? String(value));
}

function checkText(field: "name" | "message", value: unknown, max: number): string | null {
  if (typeof value !== "string") return `The ${field} must be a string of 1 to ${max} characters: received ${show(value)}`;
  const length = charsOf(value);
  if (length < 1 || length > max) return `The ${field} must be 1 to ${max} characters: received ${show(value)} (${length} characters)`;
  if (field === "name" && value.trim() === "") return `The name must not be blank: received ${show(value)}`;
  return null;
}

/**
 * What one WebSocket message from a client asks for, or the error to answer
 * it with. `joinedAs` is the name the socket joined with, or null.
 * @example readClientMessage('{"name":"ada"}', null) // { join: "ada" }
 * @example readClientMessage('{"message":"hi"}', null) // { error: 'Send {"name": …} before any message: received "hi"' }
 */
export function readClientMessage(data: string | ArrayBuffer, joinedAs: string | null): Action {
  if (typeof data !== "string") return { error: `Binary messages are not accepted, send JSON text: received ${data.byteLength} bytes` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { error: `Messages must be JSON: received ${show(data)}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return { error: `A message must be a JSON object, {"name": …} or {"message": …}: received ${show(parsed)}` };
  }
  const fields = Object.keys(parsed);
  const unknown = fields.filter((field) => field !== "name" && field !== "message");
  if (unknown.length > 0) return { error: `Unknown field ${show(unknown[0])}: send {"name": …} or {"message": …}, received ${show(parsed)}` };
  if (fields.length !== 1) return { error: `Send "name" and "message" in separate messages: received ${show(parsed)}` };
  const record = parsed as Record<string, unknown>;
  if ("name" in record) {
    const problem = checkText("name", record.name, ChatLimits.MAX_NAME_CHARS);
    if (problem) return { error: problem };
    if (joinedAs !== null) return { error: `This socket already joined as ${show(joinedAs)}: received ${show(parsed)}` };
    return { join: record.name as string };
  }
  const problem = checkText("message", record.message, ChatLimits.MAX_MESSAGE_CHARS);
  if (problem) return { error: problem };
  if (joinedAs === null) return { error: `Send {"name": …} before any message: received ${show(record.message)}` };
  return { say: record.message as string };
}
