/**
 * @module The network part in the bench's report: its rows in the main table
 * (the figure in the Verge column, the goal beside it; Durable Objects last),
 * the "edge versus origin, by region" table, and the notes that say how each
 * figure was taken.
 */
import type { GoalCheck } from "../goals.js";
import type { NetworkResult } from "./index.js";
import type { Summary } from "./types.js";

type GoalCells = (id?: GoalCheck["id"]) => [string, string];

const ms = (v: number | undefined) => (v === undefined ? "-" : v.toFixed(2));
const round = (v: number) => v.toFixed(0);
/** Sub-millisecond figures (a WebSocket round trip on loopback is tens of microseconds). */
const fine = (v: number) => v.toFixed(3);
const perSecond = (v: number | undefined) => (v === undefined ? "-" : Math.round(v).toLocaleString("en-US"));
/** A figure for prose: whole milliseconds, one decimal under 10 ms. */
const brief = (v: number) => (v < 10 ? v.toFixed(1) : round(v));

/** Rows for the main table: label, figure, the four peer and ratio columns (none), goal, verdict. */
export function networkRows(net: NetworkResult, goal: GoalCells): string[][] {
  const row = (label: string, value: number | undefined, id?: GoalCheck["id"], format = ms) => [label, format(value), "-", "-", "-", "-", ...goal(id)];
  const lag = (backend: string, s: Summary | undefined, id: GoalCheck["id"]) => [row(`KV lag to all PoPs p50 ms (${backend})`, s?.p50), row(`KV lag to all PoPs p99 ms (${backend})`, s?.p99, id)];
  const purge = (backend: string, s: Summary | undefined, p50: GoalCheck["id"], p99: GoalCheck["id"]) => [row(`purge at all PoPs p50 ms (${backend})`, s?.p50, p50), row(`purge at all PoPs p99 ms (${backend})`, s?.p99, p99)];
  return [
    row("KV get in a worker, added p50 ms", net.kvRead?.addedP50Ms),
    row("KV get in a worker, added p99 ms", net.kvRead?.addedP99Ms, "kv_read_p99"),
    ...lag("embedded", net.kvLagEmbedded?.allPops, "kv_lag_embedded_p99"),
    ...lag("NATS", net.kvLagNats?.allPops, "kv_lag_nats_p99"),
    ...purge("embedded", net.purgeEmbedded?.allPops, "purge_embedded_p50", "purge_embedded_p99"),
    ...purge("NATS", net.purgeNats?.allPops, "purge_nats_p50", "purge_nats_p99"),
    row("PoP overhead p50 ms, edge answers (worst region)", net.edge?.worstEdgeOverheadP50Ms, "edge_overhead"),
    row("PoP overhead p50 ms, origin answers (worst region)", net.edge?.worstOriginOverheadP50Ms, "origin_overhead"),
    row("DO read at the same PoP, added p50 ms", net.objectLocal?.addedP50Ms, "object_local_p50"),
    row("DO read at the same PoP, added p99 ms", net.objectLocal?.addedP99Ms),
    row("DO read forwarded, extra p50 ms over the model", net.objectForward?.extraP50Ms, "object_forward_extra"),
    row("DO WebSocket round trip at the same PoP, added p50 ms", net.objectSocketLocal?.addedP50Ms, "object_socket_local_p50"),
    row("DO WebSocket round trip at the same PoP, added p99 ms", net.objectSocketLocal?.addedP99Ms),
    row("DO WebSocket round trip relayed, extra p50 ms over the model", net.objectSocketRelay?.extraP50Ms, "object_socket_relay_extra"),
    row("DO durable write p50 ms (NATS)", net.objectWriteNats?.write.p50, "object_write_nats_p50"),
    row("DO durable write p99 ms (NATS)", net.objectWriteNats?.write.p99),
    row("DO durable write, added p50 ms over a read (NATS)", net.objectWriteNats?.addedP50Ms),
    row("DO tx/s on one object (embedded)", net.objectTxEmbedded?.txPerS, "object_tx_embedded", perSecond),
    row("DO tx/s on one object (NATS)", net.objectTxNats?.txPerS, "object_tx_nats", perSecond),
  ];
}

/** The "edge versus origin, by region" table: a header row, then one row per client region. */
export function edgeRows(net: NetworkResult): string[][] | undefined {
  const edge = net.edge;
  if (!edge) return undefined;
  const head = ["client & PoP", "KV ms", "cache ms", `origin (${edge.originRegion}) ms`, "origin/KV", "model edge", "model origin", "overhead KV", "cache", "origin"];
  const rows = edge.rows.map((r) => [
    r.client,
    ms(r.p50Ms.kv),
    ms(r.p50Ms.cache),
    ms(r.p50Ms.origin),
    `${(r.p50Ms.origin / r.p50Ms.kv).toFixed(1)}x`,
    ms(r.modelMs.edge),
    ms(r.modelMs.origin),
    ms(r.overheadP50Ms.kv),
    ms(r.overheadP50Ms.cache),
    ms(r.overheadP50Ms.origin),
  ]);
  return [head, ...rows];
}

function perPop(perPopMs: Record<string, Summary>): string {
  return Object.entries(perPopMs)
    .map(([pop, s]) => `${pop} ${brief(s.p50)}`)
    .join(", ");
}

/** How the Durable Objects figures were taken. */
function objectNotes(net: NetworkResult): string[] {
  const notes: string[] = [];
  const { objectLocal: local, objectForward: forward, objectSocketLocal: socketLocal, objectSocketRelay: socketRelay, objectWriteNats: write } = net;
  if (local) {
    notes.push(
      `DO read at the same PoP: ${local.requests} requests each of GET /object/read (one RPC await stub.read() to a Counter object this PoP owns, no write) and GET /plain (no object) to one worker, alternating, on one PoP (embedded substrate, store in the same region), over one keep-alive connection after ${local.warmup} of each: p50 ${ms(local.object.p50)} vs ${ms(local.plain.p50)} ms, p99 ${ms(local.object.p99)} vs ${ms(local.plain.p99)} ms; "added" is the difference.`,
    );
  }
  if (forward) {
    notes.push(
      `DO read forwarded (embedded, latency scale 1, store in ${forward.owner}): the object created at ${forward.owner}, then GET /object/read at ${forward.from} (forwarded to ${forward.owner} over the substrate) and at ${forward.owner}, alternating, ${forward.requests} of each after ${forward.warmup}: p50 ${ms(forward.forwarded.p50)} vs ${ms(forward.local.p50)} ms; extra = the difference minus the model's round trip (${ms(forward.modelRttMs)} ms). The bare substrate's own request/reply over that path (empty handler) takes ${ms(forward.substrateOverheadP50Ms)} ms p50 beyond the model (its timers fire late): part of the extra.`,
    );
  }
  if (socketLocal) {
    const { object, plain } = socketLocal;
    notes.push(
      `DO WebSocket round trip at the same PoP: two sockets to one worker on one PoP (embedded substrate, store in the same region), one to GET /socket/object (held by an Echo object with ctx.acceptWebSocket, hibernatable; webSocketMessage sends the message back) and one to GET /socket/plain (the worker's own WebSocketPair, accept() and a message listener sending it back; no object); ${socketLocal.roundTrips} text messages over each, alternating, one at a time, after ${socketLocal.warmup} over each, timed from sending to the echo: p50 ${fine(object.p50)} vs ${fine(plain.p50)} ms (${(object.p50 / plain.p50).toFixed(1)}x), p99 ${fine(object.p99)} vs ${fine(plain.p99)} ms; "added" is the difference.`,
    );
  }
  if (socketRelay) {
    notes.push(
      `DO WebSocket round trip relayed (embedded, latency scale 1, store in ${socketRelay.owner}): a socket to GET /socket/object opened at ${socketRelay.owner} first (so it owns the Echo object), then one at ${socketRelay.from} (its frames relayed to ${socketRelay.owner} over the substrate), both answered by the one instance; text messages over each, alternating, ${socketRelay.roundTrips} of each after ${socketRelay.warmup}: p50 ${ms(socketRelay.relayed.p50)} vs ${ms(socketRelay.local.p50)} ms; extra = the difference minus the model's round trip (${ms(socketRelay.modelRttMs)} ms). The bare substrate's request/reply over that path takes ${ms(socketRelay.substrateOverheadP50Ms)} ms p50 beyond the model: part of the extra.`,
    );
  }
  if (write) {
    const fsync = write.syncAlways
      ? "the server fsyncs every write (sync_interval: always)"
      : `nats-server ${write.natsServer} has no sync_interval: always (it came in 2.10; see docs/substrate.md), so the figure is for its default fsync policy: an acknowledged write is in the OS page cache, safe from kill -9 but not from a power loss`;
    notes.push(
      `DO durable write (NATS): two verge pop processes on one nats-server ${write.natsServer} on loopback; the client at the owner PoP alternates POST /object/increment (a storage read and write; the reply passes the output gate, so it waits until the journal append is acknowledged by JetStream) and GET /object/read, ${write.requests} of each after ${write.warmup}, one keep-alive connection: write p50 ${ms(write.write.p50)} ms, p99 ${ms(write.write.p99)} ms; read p50 ${ms(write.read.p50)} ms. ${fsync}.`,
    );
  }
  const txs = [net.objectTxEmbedded, net.objectTxNats].filter((tx) => tx !== undefined);
  txs.forEach((tx, i) => {
    const where = tx.backend === "embedded" ? "one PoP on an embedded substrate at latency scale 0, in the bench process with its client" : `two verge pop processes on nats-server ${tx.natsServer ?? ""}, the client at the owner PoP`;
    const peer = i === txs.length - 1 ? " Cloudflare reports about 410 transactions per second for one object." : "";
    notes.push(
      `DO tx/s (${where}): ${tx.inFlight} keep-alive connections each sending POST /object/increment back to back to one object, ${tx.transactions} increments answered in ${tx.seconds.toFixed(1)} s after ${tx.warmupS} s of the same load; every answer from one instance and the count exact; an increment's latency under this load p50 ${ms(tx.latency.p50)} ms, p99 ${ms(tx.latency.p99)} ms.${peer}`,
    );
  });
  return notes;
}

/** How each network figure was taken, and what did not run. */
export function networkNotes(net: NetworkResult): string[] {
  const notes: string[] = [];
  const { kvRead, kvLagEmbedded: lagE, kvLagNats: lagN, purgeEmbedded: purgeE, purgeNats: purgeN, edge } = net;
  if (kvRead) {
    notes.push(
      `KV get: ${kvRead.requests} requests each of GET /kv/<key> (one env.KV.get of a 100-byte value) and GET /plain (no KV) to one worker, alternating, on one PoP (embedded substrate, store in the same region), over one keep-alive connection after ${kvRead.warmup} of each: p50 ${ms(kvRead.kv.p50)} vs ${ms(kvRead.plain.p50)} ms, p99 ${ms(kvRead.kv.p99)} vs ${ms(kvRead.plain.p99)} ms; "added" is the difference.`,
    );
  }
  if (lagE) {
    const model = Object.entries(lagE.modelMs ?? {})
      .map(([writer, v]) => `${writer} ${round(v)}`)
      .join(", ");
    notes.push(
      `KV lag (embedded, latency scale 1, store in virginia): ${lagE.writes} writes through the worker at ${lagE.pops.join(", ")} in turn; time from sending the write until every PoP, the writer included, answers the new value (each polled every ${lagE.pollIntervalMs} ms). Model for a write at ${model} ms (the writer reads it once the store's acknowledgement is back). p50 by PoP: ${perPop(lagE.perPop)} ms; write acknowledged p50 ${ms(lagE.ack.p50)} ms. Workers KV promises up to 60 s.`,
    );
  }
  if (lagN) {
    notes.push(
      `KV lag (NATS): three verge pop processes on one nats-server ${lagN.natsServer} on loopback, no latency model; ${lagN.writes} writes, polled back to back. p50 by PoP: ${perPop(lagN.perPop)} ms; write acknowledged p50 ${ms(lagN.ack.p50)} ms.`,
    );
  }
  for (const purge of [purgeE, purgeN]) {
    if (!purge) continue;
    const where = purge.backend === "embedded" ? "embedded, latency scale 1" : "in-process PoPs with their own connections to one nats-server on loopback";
    const model = purge.modelMs
      ? ` Model (the broadcast's longest one-way time) for a purge sent at ${Object.entries(purge.modelMs)
          .map(([sender, v]) => `${sender} ${round(v)}`)
          .join(", ")} ms.`
      : "";
    notes.push(
      `Purge (${where}): ${purge.purges} purges by tag through POST /__verge/purge at ${purge.pops.join(", ")} in turn; time from sending it until every PoP's cache.counters.purged has moved (checked every 1 ms), then every PoP must answer a miss. p50 by PoP: ${perPop(purge.perPop)} ms; the control area answered (purge logged) p50 ${ms(purge.answered.p50)} ms.${model}`,
    );
  }
  if (edge) {
    notes.push(
      `Edge versus origin (embedded, latency scale 1): a client in each region asks its own region's PoP with x-verge-client-region (the model's last mile), ${edge.rows[0]?.samples ?? 0} requests of each kind, one kind and one region at a time: KV (env.KV.get), cache (a cached subrequest, HIT), origin (an uncached subrequest to the simulated origin in ${edge.originRegion}, which waits the model's round trip from the PoP). Figures are p50 ms; "model" is the model's delays on the path; overhead is p50 of wall time minus model, and includes the client's loopback round trip and the PoP's timer firing late (p50 ${ms(edge.timerLatenessP50Ms)} ms on its own); an origin answer's overhead also includes the subrequest's own loopback HTTP exchange.`,
    );
  }
  notes.push(...objectNotes(net));
  for (const { part, reason } of net.skipped) notes.push(`Network ${part} skipped: ${reason}`);
  return notes;
}
