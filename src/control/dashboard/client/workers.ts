/**
 * @module The page's worker view (served as /dashboard/workers.js): each
 * worker's deployment (versions and shares, sticky key, routes, automatic
 * rollback) and its traffic per PoP and version.
 */

export const WORKERS_JS = String.raw`
import { h, row, numeric } from "./dom.js";
import { ms, perSecond, clock } from "./format.js";

function shares(deployment) {
  return h("ul", null, deployment.shares.map((share) =>
    h("li", null, h("code", { class: "version" }, share.version), " at " + share.percent + "%")));
}

function routes(name, deployment) {
  if (deployment.routes.length === 0) return ["none: reached at ", h("code", null, name + ".localhost")];
  return h("ul", null, deployment.routes.map((route) => h("li", null, h("code", null, route))));
}

function autoRollback(deployment) {
  const rule = deployment.autoRollback;
  const text = rule ? "on: over " + rule.windowSeconds + " s, after " + rule.minRequests + " requests, at more than " + rule.marginPercent + " points of 5xx above the old version" : "off";
  const back = deployment.rolledBack;
  if (!back) return text;
  return [text, h("p", { class: "bad rolled-back" }, "Rolled back at " + clock(back.at) + " from ", h("code", null, back.from), " to ", h("code", null, back.to), ": " + back.reason)];
}

function facts(name, deployment) {
  if (!deployment) return h("p", null, "Not deployed.");
  const pairs = [
    ["Versions", shares(deployment)],
    ["Sticky key", h("code", null, deployment.sticky)],
    ["Routes", routes(name, deployment)],
    ["Automatic rollback", autoRollback(deployment)],
    ["Deployed", clock(deployment.deployedAt)],
  ];
  return h("dl", null, pairs.map(([term, detail]) => [h("dt", null, term), h("dd", null, detail)]));
}

function trafficTable(name, pops) {
  const rows = [];
  for (const pop of pops) {
    for (const traffic of pop.versions) {
      const tr = row([pop.pop, h("code", null, traffic.version), traffic.requests, numeric(perSecond(traffic.rps)), traffic.errors, numeric(ms(traffic.p50Ms)), numeric(ms(traffic.p99Ms))]);
      tr.dataset.pop = pop.pop;
      rows.push(tr);
    }
  }
  if (rows.length === 0) return h("p", null, "No traffic in the last 60 s.");
  const headers = ["PoP", "Version", "Requests (60 s)", "Requests/s", "Errors", "p50 ms", "p99 ms"];
  return h("table", { class: "traffic" },
    h("caption", null, "Traffic of " + name + " per PoP and version, last 60 s"),
    h("thead", null, h("tr", null, headers.map((header) => h("th", { scope: "col" }, header)))),
    h("tbody", null, rows));
}

/** Shows every worker; traffic maps a worker's name to its "pops" from /traffic. */
export function renderWorkers(workers, traffic) {
  const sections = workers.map((worker) => {
    const section = h("section", { class: "worker", "aria-label": "Worker " + worker.name },
      h("h3", null, worker.name),
      facts(worker.name, worker.deployment),
      trafficTable(worker.name, traffic.get(worker.name) || []));
    section.dataset.worker = worker.name;
    return section;
  });
  document.getElementById("workers").replaceChildren(...sections);
  document.getElementById("workers-empty").hidden = workers.length > 0;
}
`;
