/**
 * @module Public surface of the Durable Object journal: an object's storage
 * appended to a substrate stream, fenced by owner epochs, and rebuilt from
 * snapshot plus stream.
 */
export { ObjectJournal, type ObjectJournalOptions, type SnapshotResult } from "./journal.js";
export { rebuild, type RebuildOptions, type RebuildResult } from "./rebuild.js";
export { JournalError, JournalErrorCodes, type JournalErrorCode } from "./errors.js";
export { JournalLimits, streamName } from "./frame.js";
