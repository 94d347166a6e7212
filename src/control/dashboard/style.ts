/** @module The dashboard's style sheet (served as /dashboard/style.css). */

export const STYLE_CSS = `
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5c6677; --bg: #fbfbfd; --panel: #fff; --line: #d9dde5; --accent: #2858c7; --bad: #b42318; --ok: #18794e; --sea: #e8eef8; --land: #c9d3e3; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e9ef; --muted: #9aa3b2; --bg: #12151b; --panel: #1a1e26; --line: #313845; --accent: #7aa2ff; --bad: #ff8a7a; --ok: #5fd19b; --sea: #18202c; --land: #2f3a4c; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; align-items: baseline; gap: 1rem; padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); background: var(--panel); }
header h1 { font-size: 1.2rem; margin: 0; }
header p { margin: 0; color: var(--muted); flex: 1; }
main { padding: 0 1.2rem 2rem; max-width: 1200px; }
h2 { font-size: 1.05rem; margin: 1.4rem 0 .6rem; }
h3 { font-size: 1rem; margin: 0 0 .4rem; }
code, .mono { font-family: ui-monospace, monospace; font-size: .92em; }
button, input, select { font: inherit; padding: .25rem .5rem; border: 1px solid var(--line); border-radius: 4px; background: var(--panel); color: var(--fg); }
button { cursor: pointer; }
button[aria-pressed="true"] { background: var(--accent); color: var(--panel); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
#error, #login-reason:not(:empty) { color: var(--bad); border: 1px solid var(--bad); border-radius: 4px; padding: .4rem .6rem; margin: .8rem 1.2rem 0; }
#login-reason:not(:empty) { margin: 0 0 .8rem; }
#login form, #tail-controls { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
#token { min-width: 28rem; }
.hint { color: var(--muted); }
figure { margin: 0 0 .8rem; }
#map { width: 100%; max-height: 340px; display: block; border: 1px solid var(--line); border-radius: 4px; }
#map .sea { fill: var(--sea); }
#map .land { fill: var(--land); stroke: none; }
#map .graticule { fill: none; stroke: var(--line); stroke-width: .3; }
#map .pop circle { fill: var(--accent); stroke: var(--panel); stroke-width: .8; }
#map .pop.stale circle { fill: var(--bad); }
#map .pop text { font-size: 6px; fill: var(--fg); paint-order: stroke; stroke: var(--sea); stroke-width: 1.5px; }
table { border-collapse: collapse; width: 100%; background: var(--panel); margin-bottom: .8rem; }
caption { text-align: left; color: var(--muted); padding-bottom: .3rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.stale, .bad { color: var(--bad); }
.rolled-back { margin: .2rem 0 0; }
.worker { border: 1px solid var(--line); border-radius: 6px; padding: .8rem; margin-bottom: .8rem; background: var(--panel); }
.worker dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 .6rem; }
.worker dt { color: var(--muted); }
.worker dd { margin: 0; }
.worker ul { margin: 0; padding-left: 1.1rem; }
#tail-state { color: var(--muted); }
#tail-lines { list-style: none; margin: 0; padding: .4rem; max-height: 24rem; overflow-y: auto; border: 1px solid var(--line); border-radius: 4px; background: var(--panel); font-family: ui-monospace, monospace; font-size: .88em; }
#tail-lines > li { padding: .1rem 0; border-bottom: 1px solid var(--line); }
#tail-lines li > span { margin-right: .3rem; }
#tail-lines ul { margin: .1rem 0 0 1.2rem; padding: 0; list-style: none; color: var(--muted); }
.status-2 { color: var(--ok); }
.status-4, .status-5 { color: var(--bad); }
`;
