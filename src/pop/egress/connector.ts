/** @module The guarded undici connector: every connection's address is checked after DNS and before connecting. */
import dns from "node:dns";
import type { LookupFunction } from "node:net";
import { buildConnector } from "undici";
import { isIpLiteral, isMetadataHost, refusalFor } from "./classify.js";
import { EgressRefused } from "./errors.js";

/**
 * Wrap a DNS lookup so it answers only with addresses the guard allows. When
 * every answer is refused it fails with `EgressRefused` naming the first one.
 */
export function guardedLookup(lookup: LookupFunction = dns.lookup): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, answer) => {
      if (err) return callback(err, "");
      const all = Array.isArray(answer) ? answer : [{ address: answer, family: options.family === 6 ? 6 : 4 }];
      const allowed = all.filter((a) => refusalFor(a.address) === null);
      if (allowed.length === 0) {
        const first = all[0]?.address ?? "";
        return callback(new EgressRefused(`//${hostname}`, first, refusalFor(first) ?? "reserved"), "");
      }
      if (options.all) callback(null, allowed);
      else callback(null, allowed[0].address, allowed[0].family);
    });
  };
}

/**
 * An undici connector that refuses IP-literal hosts and metadata hostnames at
 * once, resolves other names through `guardedLookup`, and checks the connected
 * peer again before handing the socket to undici.
 */
export function guardedConnector(lookup?: LookupFunction): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup(lookup) });
  return (opts, callback) => {
    const target = `${opts.protocol}//${opts.host ?? opts.hostname}`;
    const host = opts.hostname;
    if (isMetadataHost(host)) return callback(new EgressRefused(target, host, "metadata-host"), null);
    const literal = isIpLiteral(host) ? refusalFor(host) : null;
    if (literal) return callback(new EgressRefused(target, host, literal), null);
    connect(opts, (err, socket) => {
      if (err) return callback(err, null);
      const peer = socket.remoteAddress;
      const reason = peer === undefined ? "unspecified" : refusalFor(peer);
      if (reason) {
        socket.destroy();
        return callback(new EgressRefused(target, peer ?? null, reason), null);
      }
      callback(null, socket);
    });
  };
}
