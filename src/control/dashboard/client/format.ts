/** @module How the page writes numbers and times (served as /dashboard/format.js). */

export const FORMAT_JS = String.raw`
/** Milliseconds, or a dash when there is no measure. */
export function ms(value) {
  if (value === null || value === undefined) return "–";
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

export function perSecond(value) {
  return (value || 0).toFixed(2);
}

/** A time as ms since the epoch, from a number or a date string (NaN when neither). */
export function millis(at) {
  return typeof at === "string" ? Date.parse(at) : Number(at);
}

/** How long ago a time was, in words. */
export function ago(at, now) {
  const time = millis(at);
  if (!at || Number.isNaN(time)) return "never";
  const seconds = Math.max(0, Math.round((now - time) / 1000));
  if (seconds < 60) return seconds + " s ago";
  if (seconds < 3600) return Math.round(seconds / 60) + " min ago";
  return new Date(time).toLocaleString();
}

export function clock(at) {
  return new Date(millis(at)).toLocaleTimeString([], { hour12: false });
}

/** A version id's first 8 hex digits. */
export function shortVersion(id) {
  return id ? String(id).slice(0, 8) : "–";
}
`;
