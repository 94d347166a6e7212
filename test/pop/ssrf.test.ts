import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startOrigin, type TestOrigin } from "../support/origin.js";
import { startTestPop, type TestPop } from "../support/pop.js";

// The PoP here runs with the default egress policy (no --allow-local-fetch),
// except for one explicitly allowed origin. Refused addresses are refused
// before any connection is made, so no traffic leaves loopback.
let pop: TestPop;
let allowed: TestOrigin;
let forbidden: TestOrigin;
before(async () => {
  forbidden = await startOrigin((_req, res) => res.end("should never be reached"));
  allowed = await startOrigin((req, res) => {
    if (req.url === "/to-loopback") {
      res.writeHead(302, { location: `${forbidden.url}/stolen` });
      res.end();
    } else res.end("allowed origin");
  });
  pop = await startTestPop(
    [
      {
        name: "fetcher",
        source: `
          export default {
            async fetch(request) {
              const target = new URL(request.url).searchParams.get("url");
              try {
                const res = await fetch(target);
                return new Response("fetched " + res.status + " " + (await res.text()));
              } catch (error) {
                return new Response(error.name + ": " + error.message, { status: 502 });
              }
            },
          };`,
      },
    ],
    { egress: { allowLocal: false, allowedOrigins: [allowed.url] } },
  );
});
after(async () => {
  await pop.close();
  await allowed.close();
  await forbidden.close();
});

async function attempt(url: string): Promise<{ status: number; text: string }> {
  const res = await pop.fetch(`/?url=${encodeURIComponent(url)}`);
  return { status: res.status, text: await res.text() };
}

const refused: [string, () => string, RegExp][] = [
  ["127.0.0.1", () => `${forbidden.url}/`, /refused: address 127\.0\.0\.1 is loopback/],
  ["10.0.0.0/8", () => "http://10.1.2.3/", /refused: address 10\.1\.2\.3 is private/],
  ["the metadata address 169.254.169.254", () => "http://169.254.169.254/latest/meta-data/", /refused: address 169\.254\.169\.254 is link-local/],
  ["[::1]", () => "http://[::1]:9/", /refused: address ::1 is loopback/],
  ["a hostname that resolves to loopback", () => `http://localhost:${new URL(forbidden.url).port}/`, /localhost.*refused: address 127\.0\.0\.1 is loopback/],
  ["an IPv4-mapped IPv6 loopback", () => "http://[::ffff:127.0.0.1]:9/", /refused/],
];

for (const [name, url, message] of refused) {
  test(`fetch to ${name} is refused with a TypeError naming the address`, async () => {
    const { status, text } = await attempt(url());
    assert.equal(status, 502);
    assert.match(text, /^TypeError: /);
    assert.match(text, message);
    assert.match(text, /--allow-local-fetch/);
  });
}

test("a redirect from an allowed origin to loopback is refused", async () => {
  const { status, text } = await attempt(`${allowed.url}/to-loopback`);
  assert.equal(status, 502);
  assert.match(text, /refused: address 127\.0\.0\.1 is loopback/);
  assert.equal(forbidden.requests.length, 0, "nothing reached the forbidden server");
});

test("the explicitly allowed origin is reachable", async () => {
  const { text } = await attempt(`${allowed.url}/`);
  assert.equal(text, "fetched 200 allowed origin");
});
