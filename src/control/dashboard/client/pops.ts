/**
 * @module The page's PoP view (served as /dashboard/pops.js): the table and the
 * markers on the map, from `GET /v1/pops`.
 */

export const POPS_JS = String.raw`
import { h, svg, row, numeric } from "./dom.js";
import { ms, perSecond, ago, millis } from "./format.js";

/** A PoP that has not reported for this long is shown as stale. */
const STALE_MS = 10000;

/** One PoP's traffic summed over its workers; p50 and p99 are the highest of them. */
function totals(pop) {
  const sum = { requests: 0, errors: 0, rps: 0, p50Ms: null, p99Ms: null };
  for (const traffic of pop.workers || []) {
    sum.requests += traffic.requests;
    sum.errors += traffic.errors;
    sum.rps += traffic.rps;
    if (traffic.p50Ms !== null && (sum.p50Ms === null || traffic.p50Ms > sum.p50Ms)) sum.p50Ms = traffic.p50Ms;
    if (traffic.p99Ms !== null && (sum.p99Ms === null || traffic.p99Ms > sum.p99Ms)) sum.p99Ms = traffic.p99Ms;
  }
  return sum;
}

function isStale(pop, now) {
  const seen = millis(pop.lastSeen);
  return !pop.lastSeen || Number.isNaN(seen) || now - seen > STALE_MS;
}

function popRow(pop, now) {
  const sum = totals(pop);
  const seen = h("span", isStale(pop, now) ? { class: "stale" } : null, ago(pop.lastSeen, now), isStale(pop, now) ? " (stale)" : "");
  const tr = row([pop.name, pop.region, seen, sum.requests, numeric(perSecond(sum.rps)), numeric(ms(sum.p50Ms)), numeric(ms(sum.p99Ms)), sum.errors]);
  tr.dataset.pop = pop.name;
  return tr;
}

function marker(pop, now) {
  const x = Number(pop.longitude) || 0;
  const y = -(Number(pop.latitude) || 0);
  const sum = totals(pop);
  const label = pop.name + " (" + pop.region + "): " + perSecond(sum.rps) + " requests/s";
  return svg("g", { class: isStale(pop, now) ? "pop stale" : "pop" },
    svg("title", null, label),
    svg("circle", { cx: x, cy: y, r: 3 }),
    svg("text", { x: x + 4, y: y + 2 }, pop.name));
}

/** Shows the PoPs in the table and on the map. */
export function renderPops(pops, now) {
  const body = document.getElementById("pops-body");
  body.replaceChildren(...pops.map((pop) => popRow(pop, now)));
  if (pops.length === 0) body.append(h("tr", null, h("td", { colspan: 8 }, "No PoP has reported yet.")));
  document.getElementById("map-pops").replaceChildren(...pops.map((pop) => marker(pop, now)));
}
`;
