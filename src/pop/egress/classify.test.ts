/** @module Unit tests of the guard's rules: address classification, DNS answer filtering, the connector's literal check. No traffic. */
import assert from "node:assert/strict";
import type { LookupFunction } from "node:net";
import { describe, it } from "node:test";
import { isMetadataHost } from "./classify.js";
import { guardedConnector, guardedLookup } from "./connector.js";
import { EgressRefused, refusalFor } from "./index.js";

describe("address classification", () => {
  it("refuses local, private and special addresses in every form", () => {
    const cases: [string, string | null][] = [
      ["127.0.0.1", "loopback"], ["127.9.9.9", "loopback"], ["::1", "loopback"], ["::ffff:127.0.0.1", "loopback"],
      ["::ffff:7f00:1", "loopback"], ["64:ff9b::7f00:1", "loopback"], ["2002:7f00:1::", "loopback"], ["::127.0.0.1", "loopback"],
      ["10.0.0.1", "private"], ["172.16.0.1", "private"], ["172.31.255.255", "private"], ["192.168.1.1", "private"],
      ["fc00::1", "private"], ["fd12::1", "private"], ["::ffff:10.0.0.1", "private"], ["169.254.169.254", "link-local"],
      ["fe80::1", "link-local"], ["fe80::1%eth0", "link-local"], ["0.0.0.0", "unspecified"], ["::", "unspecified"],
      ["100.64.0.1", "carrier-grade-nat"], ["224.0.0.1", "multicast"], ["ff02::1", "multicast"],
      ["255.255.255.255", "broadcast"], ["240.0.0.1", "reserved"], ["2001:db8::1", "reserved"],
      ["8.8.8.8", null], ["172.32.0.1", null], ["2001:4860:4860::8888", null], ["::ffff:8.8.8.8", null], ["64:ff9b::808:808", null],
    ];
    for (const [address, reason] of cases) assert.equal(refusalFor(address), reason, address);
  });

  it("knows metadata hostnames in any case, with or without a trailing dot", () => {
    assert.ok(isMetadataHost("metadata.google.internal"));
    assert.ok(isMetadataHost("Metadata.Google.Internal."));
    assert.ok(!isMetadataHost("metadata.example.com"));
  });

  it("filters DNS answers and refuses literals in the connector itself", async () => {
    const answers = [{ address: "127.0.0.1", family: 4 }, { address: "93.184.215.14", family: 4 }];
    const lookup = ((_h: string, _o: unknown, cb: (e: null, a: typeof answers) => void) => cb(null, answers)) as unknown as LookupFunction;
    const kept = await new Promise((resolve) => guardedLookup(lookup)("mixed.test", { all: true }, (_e, a) => resolve(a)));
    assert.deepEqual(kept, [answers[1]]);
    const err = await new Promise((resolve) =>
      guardedConnector(lookup)({ hostname: "127.0.0.1", protocol: "http:", port: "9" }, (e) => resolve(e)),
    );
    assert.ok(err instanceof EgressRefused && err.reason === "loopback" && err.address === "127.0.0.1");
  });
});
