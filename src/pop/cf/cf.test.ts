/** @module Tests of `request.cf`: real databases from the npm packages, public and local addresses, timing and memory. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import v8 from "node:v8";
import vm from "node:vm";
import { continentOf, countryCount } from "./continents.js";
import { createCfLookup } from "./index.js";

const ctx = { colo: "london", httpProtocol: "HTTP/1.1" };

/** A full garbage collection, so memory figures show what stays retained. */
function collect(): void {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

describe("request.cf", () => {
  collect();
  const heapBefore = process.memoryUsage();
  const cf = createCfLookup();
  before(async () => {
    const t0 = performance.now();
    await cf.ready;
    const loadMs = performance.now() - t0;
    collect();
    const m = process.memoryUsage();
    const mb = (n: number) => (n / 2 ** 20).toFixed(1);
    console.log(
      `# databases loaded in ${loadMs.toFixed(0)} ms; rss +${mb(m.rss - heapBefore.rss)} MB, ` +
        `heap +${mb(m.heapUsed - heapBefore.heapUsed)} MB, array buffers +${mb(m.arrayBuffers - heapBefore.arrayBuffers)} MB`,
    );
  });

  it("locates 8.8.8.8 in the US with Google's ASN", () => {
    const r = cf.lookup("8.8.8.8", ctx);
    assert.equal(r.country, "US");
    assert.equal(r.continent, "NA");
    assert.equal(r.asn, 15169);
    assert.match(r.asOrganization ?? "", /Google/);
    assert.equal(typeof r.latitude, "string");
    assert.equal(typeof r.longitude, "string");
  });

  it("locates 81.2.69.160 in GB, Europe/London, continent EU", () => {
    const r = cf.lookup("81.2.69.160", ctx);
    assert.equal(r.country, "GB");
    assert.equal(r.timezone, "Europe/London");
    assert.equal(r.continent, "EU");
    assert.equal(r.region, "England");
    assert.match(r.latitude ?? "", /^5\d\.\d{5}$/);
    assert.match(r.longitude ?? "", /^-?0\.\d{5}$/);
    assert.equal(r.colo, "london");
    assert.equal(r.httpProtocol, "HTTP/1.1");
  });

  it("locates IPv6 addresses and IPv4-mapped IPv6", () => {
    const r = cf.lookup("2001:4860:4860::8888", ctx);
    assert.equal(r.country, "US");
    assert.equal(r.continent, "NA");
    assert.equal(r.asn, 15169);
    const mapped = cf.lookup("::ffff:81.2.69.160", ctx);
    assert.equal(mapped.country, "GB");
  });

  it("gives only colo and httpProtocol for loopback, private and unparseable addresses", () => {
    for (const ip of ["127.0.0.1", "::1", "10.1.2.3", "192.168.0.1", "fe80::1", "::ffff:127.0.0.1", "", "nope", "1.2.3", "[::1]", "0x7f.1", "fe80::1%eth0"]) {
      assert.deepEqual(cf.lookup(ip, ctx), { colo: "london", httpProtocol: "HTTP/1.1" }, ip);
    }
  });

  it("copies tlsVersion and clientTcpRtt from the context", () => {
    const r = cf.lookup("127.0.0.1", { ...ctx, tlsVersion: "TLSv1.3", clientTcpRtt: 12 });
    assert.equal(r.tlsVersion, "TLSv1.3");
    assert.equal(r.clientTcpRtt, 12);
  });

  it("measures a lookup (printed, not asserted: timings belong to benchmarks)", () => {
    const ips = ["8.8.8.8", "81.2.69.160", "1.1.1.1", "2001:4860:4860::8888", "203.0.113.9"];
    for (let i = 0; i < 1000; i++) cf.lookup(ips[i % ips.length], ctx);
    const n = 20_000;
    const addrs = Array.from({ length: n }, (_, i) => `81.2.${i & 255}.${(i >> 8) & 255}`);
    const t0 = performance.now();
    for (const ip of addrs) cf.lookup(ip, ctx);
    const perLookupUs = ((performance.now() - t0) / n) * 1000;
    console.log(`# lookup: ${perLookupUs.toFixed(2)} µs each over ${n} distinct IPv4 addresses`);
  });

  it("shares the loaded databases between lookups of one process", async () => {
    collect();
    const before = process.memoryUsage().arrayBuffers;
    const second = createCfLookup();
    await second.ready;
    collect();
    assert.ok(process.memoryUsage().arrayBuffers - before < 2 ** 20, "no second copy of the databases");
    assert.equal(second.lookup("8.8.8.8", ctx).asn, 15169);
  });
});

describe("request.cf without databases", () => {
  it("still answers with colo when the files cannot be found", async () => {
    const warnings: string[] = [];
    const missing = "/nonexistent/verge/geo.mmdb";
    const cf = createCfLookup({
      files: { cityIpv4: missing, cityIpv6: missing, asnIpv4: missing, asnIpv6: null },
      onWarning: (m) => warnings.push(m),
    });
    await cf.ready;
    assert.deepEqual(cf.lookup("8.8.8.8", ctx), ctx);
    assert.equal(warnings.length, 3);
    assert.ok(warnings.some((w) => /cityIpv4 database unavailable.*\/nonexistent\/verge\/geo\.mmdb/.test(w)), warnings.join("\n"));
  });

  it("answers with colo before the databases are ready", () => {
    const cf = createCfLookup({ files: { cityIpv4: null, cityIpv6: null, asnIpv4: null, asnIpv6: null } });
    assert.deepEqual(cf.lookup("8.8.8.8", ctx), ctx);
  });
});

describe("continents", () => {
  it("maps every ISO 3166-1 country once", () => {
    assert.equal(countryCount(), 250);
    assert.equal(continentOf("GB"), "EU");
    assert.equal(continentOf("jp"), "AS");
    assert.equal(continentOf("BR"), "SA");
    assert.equal(continentOf("AU"), "OC");
    assert.equal(continentOf("AQ"), "AN");
    assert.equal(continentOf("ZZ"), undefined);
  });
});
