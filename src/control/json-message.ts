/**
 * @module Reading the JSON messages PoPs and the control plane exchange over
 * the substrate (traffic reports, tail interest, tail records). A message
 * that is not JSON of the expected shape is skipped, so one bad publisher
 * cannot stop a reader.
 */
import type { Message } from "../substrate/types.js";

const decoder = new TextDecoder();

/** The message's value when it parses and `valid` accepts it; else null. */
export function readJsonMessage<T>(message: Message, valid: (value: Record<string, unknown>) => boolean): T | null {
  try {
    const value = JSON.parse(decoder.decode(message.data)) as unknown;
    return typeof value === "object" && value !== null && valid(value as Record<string, unknown>) ? (value as T) : null;
  } catch {
    return null;
  }
}
