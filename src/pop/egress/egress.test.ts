/** @module Tests of the SSRF guard: refusals happen on classification, before any connection; local origins only. */
import assert from "node:assert/strict";
import dc from "node:diagnostics_channel";
import type { LookupFunction } from "node:net";
import { after, before, describe, it } from "node:test";
import { createEgress, EgressRefused, refusalFor } from "./index.js";
import { get, serve, text, type TestServer } from "./testing.js";

/** Counts TCP sockets created and undici connection attempts while a test runs. */
const seen = { sockets: 0, connects: 0 };
dc.subscribe("net.client.socket", () => seen.sockets++);
dc.subscribe("undici:client:beforeConnect", () => seen.connects++);

async function refusal(p: Promise<unknown>): Promise<EgressRefused> {
  const err = await p.then(
    () => assert.fail("expected the fetch to be refused"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof EgressRefused, `expected EgressRefused, got ${String(err)}`);
  assert.equal(err.code, "egress_refused");
  return err;
}

describe("SSRF guard", () => {
  let server: TestServer;
  const egress = createEgress();
  before(async () => {
    server = await serve((_req, res) => res.end("local secret"));
  });
  after(async () => {
    await egress.close();
    await server.close();
  });

  it("refuses IP literals on classification, before any socket exists", async () => {
    const urls = [
      `http://127.0.0.1:${server.port}/`, `http://[::1]:${server.port}/`, "http://10.0.0.1/", "http://10.255.1.2:8080/x",
      "http://169.254.169.254/latest/meta-data/", "http://192.168.0.10/", "http://172.16.5.4/", "http://100.64.0.1/",
      "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:169.254.169.254]/", "http://[fd00:ec2::254]/",
      "https://[fe80::1]/", "http://0x7f.1/", "http://2130706433/",
    ];
    const before = { ...seen };
    for (const url of urls) await refusal(egress.fetch(get(url)));
    assert.deepEqual(seen, before, "no socket and no connection attempt");
    assert.equal(server.connections, 0);
  });

  it("names the URL, the address and the rule", async () => {
    const err = await refusal(egress.fetch(get("http://169.254.169.254/latest/meta-data/")));
    assert.equal(err.reason, "link-local");
    assert.equal(err.address, "169.254.169.254");
    assert.equal(err.url, "http://169.254.169.254/latest/meta-data/");
    assert.match(err.message, /^fetch to http:\/\/169\.254\.169\.254\/latest\/meta-data\/ refused: address 169\.254\.169\.254 is link-local/);
    const mapped = await refusal(egress.fetch(get("http://[::ffff:127.0.0.1]/")));
    assert.equal(mapped.reason, "loopback");
  });

  it("refuses a hostname that resolves to loopback, after DNS and before connecting", async () => {
    const url = `http://localhost:${server.port}/`;
    const err = await refusal(egress.fetch(get(url)));
    assert.equal(err.reason, "loopback");
    assert.match(err.address ?? "", /^(127\.0\.0\.1|::1)$/);
    assert.equal(
      err.message,
      `fetch to ${url} refused: address ${err.address} is loopback (start the PoP with --allow-local-fetch to allow local addresses)`,
    );
    assert.equal(server.connections, 0);
  });

  it("refuses names resolving to private and metadata addresses without connecting", async () => {
    assert.equal(refusalFor("10.0.0.1"), "private"); // the guard's rule holds before any fetch is tried
    const asked: string[] = [];
    const answers: Record<string, string> = { "intranet.test": "10.0.0.1", "imds.test": "169.254.169.254" };
    const lookup = ((host: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) => {
      asked.push(host);
      cb(null, [{ address: answers[host], family: 4 }]);
    }) as unknown as LookupFunction;
    const local = createEgress({ lookup });
    const connected = { n: 0 };
    const onConnected = () => connected.n++;
    dc.subscribe("undici:client:connected", onConnected);
    try {
      assert.equal((await refusal(local.fetch(get("http://intranet.test/")))).address, "10.0.0.1");
      assert.equal((await refusal(local.fetch(get("http://imds.test/")))).reason, "link-local");
      const meta = await refusal(local.fetch(get("http://metadata.google.internal/computeMetadata/v1/")));
      assert.equal(meta.reason, "metadata-host");
      assert.deepEqual(asked, ["intranet.test", "imds.test"], "metadata hostnames are refused before DNS");
      assert.equal(connected.n, 0);
    } finally {
      dc.unsubscribe("undici:client:connected", onConnected);
      await local.close();
    }
  });

  it("refuses schemes other than http: and https:, even with allowLocal", async () => {
    const open = createEgress({ allowLocal: true });
    for (const url of ["ftp://example.com/", "file:///etc/passwd", "data:text/plain,hi", "ws://example.com/"]) {
      const err = await refusal(open.fetch(get(url)));
      assert.equal(err.reason, "scheme");
      assert.match(err.message, /refused: scheme ".+:" is not supported \(only http: and https:\)$/);
    }
    await open.close();
  });

  it("lets an allowed origin through and refuses its redirect to another loopback port", async () => {
    const target = await serve((_req, res) => res.end("other port"));
    const allowedServer = await serve((req, res) => {
      if (req.url === "/hop") res.writeHead(302, { location: `${target.origin}/` }).end();
      else if (req.url === "/named") res.writeHead(302, { location: `http://localhost:${target.port}/` }).end();
      else res.end("allowed");
    });
    const egress = createEgress({ allowedOrigins: [allowedServer.origin] });
    try {
      assert.equal(await text((await egress.fetch(get(`${allowedServer.origin}/`))).body), "allowed");
      const err = await refusal(egress.fetch(get(`${allowedServer.origin}/hop`)));
      assert.equal(err.url, `${target.origin}/`);
      assert.equal(err.reason, "loopback");
      assert.equal((await refusal(egress.fetch(get(`${allowedServer.origin}/named`)))).reason, "loopback");
      assert.equal(target.connections, 0);
    } finally {
      await egress.close();
      await Promise.all([target.close(), allowedServer.close()]);
    }
  });

  it("allows everything local with allowLocal", async () => {
    const open = createEgress({ allowLocal: true });
    try {
      const res = await open.fetch(get(`${server.origin}/`));
      assert.equal(res.status, 200);
      assert.equal(await text(res.body), "local secret");
      assert.equal(await text((await open.fetch(get(`http://localhost:${server.port}/`))).body), "local secret");
    } finally {
      await open.close();
    }
  });
});
