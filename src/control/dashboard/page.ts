/**
 * @module The dashboard's HTML page: the token form and the three views (PoPs,
 * workers, live tail). Static; the script fills it with what the API answers.
 */
import { WORLD_MAP_SVG } from "./world-map.js";

/** Status filters of the tail, as the API's `status` parameter takes them (the first: none). */
const TAIL_STATUS_FILTERS: [value: string, label: string][] = [
  ["", "any"],
  ["2xx", "2xx"],
  ["3xx", "3xx"],
  ["4xx", "4xx"],
  ["5xx", "5xx"],
  ["4xx,5xx", "4xx and 5xx"],
  ["error", "any outcome but ok"],
];

const POP_COLUMNS = ["PoP", "Region", "Last seen", "Requests (60 s)", "Requests/s", "p50 ms", "p99 ms", "Errors"];

const statusOptions = TAIL_STATUS_FILTERS.map(([value, label]) => `<option value="${value}">${label}</option>`).join("");
const popHeaders = POP_COLUMNS.map((name) => `<th scope="col">${name}</th>`).join("");

/** The page served at `/`. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Verge dashboard</title>
<link rel="icon" href="/dashboard/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/dashboard/style.css">
<script type="module" src="/dashboard/app.js"></script>
</head>
<body>
<header>
<h1>Verge</h1>
<p id="status" role="status">Loading…</p>
<button type="button" id="forget-token" hidden>Forget the token</button>
</header>
<p id="error" role="alert" hidden></p>
<main>
<section id="login" aria-labelledby="login-title" hidden>
<h2 id="login-title">API token</h2>
<p id="login-reason" role="alert"></p>
<form id="login-form">
<label for="token">Token (<code>verge_…</code>)</label>
<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required>
<button type="submit">Connect</button>
</form>
<p class="hint">The token is kept in this browser's local storage until you forget it.</p>
</section>
<div id="views" hidden>
<section aria-labelledby="pops-title">
<h2 id="pops-title">Points of presence</h2>
<figure>${WORLD_MAP_SVG}</figure>
<table id="pops-table">
<caption>Traffic of the last 60 s per PoP; p50 and p99 are the highest of the PoP's workers</caption>
<thead><tr>${popHeaders}</tr></thead>
<tbody id="pops-body"></tbody>
</table>
</section>
<section aria-labelledby="workers-title">
<h2 id="workers-title">Workers</h2>
<p id="workers-empty" hidden>No worker yet: deploy one with <code>verge deploy</code>.</p>
<div id="workers"></div>
</section>
<section aria-labelledby="tail-title">
<h2 id="tail-title">Live tail</h2>
<form id="tail-controls">
<label for="tail-worker">Worker</label>
<select id="tail-worker"><option value="">(choose a worker)</option></select>
<label for="tail-status">Status</label>
<select id="tail-status">${statusOptions}</select>
<button type="button" id="tail-pause" aria-pressed="false">Pause</button>
<button type="button" id="tail-clear">Clear</button>
</form>
<p id="tail-state" role="status">Choose a worker to follow its requests at every PoP.</p>
<ol id="tail-lines" role="log" aria-label="Requests of the chosen worker, newest last"></ol>
</section>
</div>
</main>
</body>
</html>
`;
