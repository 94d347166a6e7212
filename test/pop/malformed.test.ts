import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, test } from "node:test";
import { startTestPop, type TestPop } from "../support/pop.js";

let pop: TestPop;
before(async () => {
  pop = await startTestPop([{ name: "echo", source: `export default { async fetch(r) { return new Response(r.method + " " + (await r.text()).length); } }` }]);
});
after(() => pop.close());

/** Sends raw bytes on a fresh connection and returns everything the PoP answers. */
function raw(bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(pop.pop.port, "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
    socket.setTimeout(3000, () => {
      socket.destroy();
      resolve(answer);
    });
    socket.end(bytes);
  });
}

const cases: [string, string, RegExp][] = [
  ["garbage instead of a request line", "\x16\x03\x01\x02\x00 hello\r\n\r\n", /^HTTP\/1\.1 400 /],
  ["an unknown HTTP version", "GET / HTTP/7.3\r\nHost: x\r\n\r\n", /^HTTP\/1\.1 400 /],
  ["a bad header line", "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", /^HTTP\/1\.1 400 /],
  ["a non-numeric Content-Length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", /^HTTP\/1\.1 400 /],
  ["two different Content-Lengths", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", /^HTTP\/1\.1 400 /],
  ["a header section over 16 KB", `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, /^HTTP\/1\.1 431 /],
  ["a bad chunked body", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", /^HTTP\/1\.1 400 /],
];

for (const [name, bytes, expected] of cases) {
  test(`${name} gets a 4xx with a JSON error, and the PoP keeps serving`, async () => {
    const answer = await raw(bytes);
    assert.match(answer, expected);
    assert.match(answer, /"code":"bad_request"|"error"/);
    const res = await pop.fetch("/", { method: "POST", body: "ok" });
    assert.equal(await res.text(), "POST 2");
  });
}

test("a client that disconnects mid-body does not disturb the PoP", async () => {
  const answer = await raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nonly a little");
  assert.ok(answer === "" || answer.startsWith("HTTP/1.1 400 "), `answered ${JSON.stringify(answer.slice(0, 40))}`);
  assert.equal(await (await pop.fetch("/")).text(), "GET 0");
});

test("a request target the URL parser rejects gets 400 bad_request", async () => {
  const answer = await raw("GET http://[::1/ HTTP/1.1\r\nHost: x\r\n\r\n");
  assert.match(answer, /^HTTP\/1\.1 400 /);
  assert.match(answer, /"code":"bad_request"/);
});
