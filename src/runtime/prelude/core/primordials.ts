/**
 * @module Built-ins the prelude's request path uses, captured before any
 * tenant code runs: a worker that replaces JSON.stringify or Array methods
 * breaks its own code, not the platform's delivery of its responses.
 */
export const jsonStringify = JSON.stringify;
export const jsonParse = JSON.parse as (text: string) => unknown;
