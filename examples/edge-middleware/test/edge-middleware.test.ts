/** @module The edge-middleware example end to end: a real PoP running it, a real origin behind it, on loopback. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SignJWT } from "jose";
import { createTokenIssuer } from "../origin/tokens.js";
import { startPopForDirectory } from "../../../test/support/pop.js";
import {
  assertSecurityHeaders, base64url, bearer, cookieHeader, deadUrl, EXAMPLE_DIR, expectedCohort,
  GB_IP, setCookie, startStack, US_IP, type EdgeInfo, type Stack,
} from "./helpers.js";

let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(() => stack.close());

const apiRequests = () => stack.seen.filter((request) => request.path.startsWith("/api") || request.path.startsWith("/account"));

async function edgeInfo(headers: Record<string, string> = {}): Promise<{ response: Response; info: EdgeInfo }> {
  const response = await stack.pop.fetch("/edge/info", { headers });
  assert.equal(response.status, 200, await response.clone().text());
  return { response, info: (await response.json()) as EdgeInfo };
}

describe("authentication", () => {
  test("protected paths without a token get a 401 at the edge and never reach the origin", async () => {
    for (const path of ["/api/me", "/account/settings", "/api"]) {
      const response = await stack.pop.fetch(path);
      assert.equal(response.status, 401);
      assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="edge-middleware"');
      assert.match(response.headers.get("content-type") ?? "", /application\/json/);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, "unauthorized");
      assertSecurityHeaders(response);
    }
    assert.deepEqual(apiRequests(), []);
  });

  test("bad tokens get a 401 naming the problem and never reach the origin", async () => {
    const valid = await stack.origin.issueToken("alice");
    const [header, payload, signature] = valid.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const { kid } = JSON.parse(Buffer.from(header, "base64url").toString()) as { kid: string };
    const hmac = await new SignJWT({ ...claims }).setProtectedHeader({ alg: "HS256", kid }).sign(new TextEncoder().encode("a-guessable-shared-secret-32-bytes!!"));
    const cases: [string, string, RegExp][] = [
      ["tampered payload", `${header}.${base64url({ ...claims, sub: "mallory" })}.${signature}`, /signature is invalid/],
      ["signed by another key", await (await createTokenIssuer()).issueToken("alice"), /No signing key matches/],
      ["expired", await stack.origin.issueToken("alice", { ttlSeconds: -120 }), /has expired/],
      ["HS256", hmac, /algorithm is not allowed/],
      ["alg none", `${base64url({ alg: "none", typ: "JWT" })}.${payload}.`, /algorithm is not allowed|malformed/],
      ["wrong audience", await stack.origin.issueToken("alice", { audience: "someone-else" }), /aud claim is invalid/],
      ["wrong issuer", await stack.origin.issueToken("alice", { issuer: "https://evil.example" }), /iss claim is invalid/],
      ["garbage", "not-a-jwt", /malformed/],
    ];
    for (const [name, token, description] of cases) {
      const response = await stack.pop.fetch("/api/me", { headers: bearer(token) });
      assert.equal(response.status, 401, name);
      const challenge = response.headers.get("www-authenticate") ?? "";
      assert.match(challenge, /^Bearer realm="edge-middleware", error="invalid_token", error_description="[^"]+"$/, name);
      assert.match(challenge, description, name);
      assertSecurityHeaders(response);
      await response.body?.cancel();
    }
    const basic = await stack.pop.fetch("/api/me", { headers: { authorization: "Basic YWxpY2U6c2VjcmV0" } });
    assert.equal(basic.status, 401);
    await basic.body?.cancel();
    assert.deepEqual(apiRequests(), []);
  });

  test("a valid token reaches the origin, which sees x-user; a client's own x-user is dropped", async () => {
    const token = await stack.origin.issueToken("alice");
    const response = await stack.pop.fetch("/api/me", { headers: bearer(token, { "x-user": "admin", "x-cohort": "z" }) });
    assert.equal(response.status, 200);
    assertSecurityHeaders(response);
    const body = (await response.json()) as { user: string; cohort: string; edgeHeaders: Record<string, string> };
    assert.equal(body.user, "alice");
    assert.equal(body.cohort, expectedCohort("alice"));
    assert.equal(apiRequests().at(-1)?.headers["x-user"], "alice");

    const anonymous = await stack.pop.fetch("/", { headers: { "x-user": "admin" } });
    await anonymous.text();
    assert.equal(stack.seen.at(-1)?.path, "/");
    assert.equal(stack.seen.at(-1)?.headers["x-user"], undefined);
  });
});

describe("cohorts", () => {
  test("the cohort is deterministic for a sub and set in a cookie", async () => {
    const token = await stack.origin.issueToken("carol");
    const first = await edgeInfo(bearer(token));
    const second = await edgeInfo(bearer(token));
    assert.equal(first.info.user, "carol");
    assert.equal(first.info.cohort, expectedCohort("carol"));
    assert.equal(second.info.cohort, first.info.cohort);
    const cookie = setCookie(first.response, "cohort");
    assert.equal(cookie, `cohort=${first.info.cohort}; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax`);
    assert.equal(setCookie(first.response, "anon_id"), undefined);
  });

  test("the cohort cookie sticks", async () => {
    const token = await stack.origin.issueToken("dave");
    const other = expectedCohort("dave") === "a" ? "b" : "a";
    const { response, info } = await edgeInfo(bearer(token, { cookie: `theme=dark; cohort=${other}` }));
    assert.equal(info.cohort, other);
    assert.deepEqual(response.headers.getSetCookie(), []);

    const visit = await edgeInfo();
    const anonId = setCookie(visit.response, "anon_id");
    assert.match(anonId ?? "", /^anon_id=[0-9a-f-]{36}; Max-Age=31104000; Path=\/; HttpOnly; SameSite=Lax$/);
    const cookies = cookieHeader(visit.response);
    for (let i = 0; i < 3; i++) {
      const again = await edgeInfo({ cookie: cookies });
      assert.equal(again.info.cohort, visit.info.cohort);
      assert.deepEqual(again.response.headers.getSetCookie(), []);
    }
    // Without the cohort cookie, the anonymous id alone gives the same cohort.
    const idOnly = await edgeInfo({ cookie: anonId!.split(";")[0] });
    assert.equal(idOnly.info.cohort, visit.info.cohort);
  });

  test("200 subs split by AB_SPLIT", async () => {
    const subs = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const tokens = await Promise.all(subs.map((sub) => stack.origin.issueToken(sub)));
    let inA = 0;
    for (const [i, token] of tokens.entries()) {
      const { info } = await edgeInfo(bearer(token));
      assert.equal(info.cohort, expectedCohort(subs[i]), subs[i]);
      if (info.cohort === "a") inA++;
    }
    assert.ok(inA >= 70 && inA <= 130, `${inA} of 200 in cohort a with AB_SPLIT 50`);

    const skewed = await startPopForDirectory(EXAMPLE_DIR, { env: { ORIGIN_URL: stack.origin.url, JWKS_URL: `${stack.origin.url}/.well-known/jwks.json`, AB_SPLIT: "20" } });
    try {
      let skewedA = 0;
      for (const token of tokens) {
        const response = await skewed.fetch("/edge/info", { headers: bearer(token) });
        if (((await response.json()) as EdgeInfo).cohort === "a") skewedA++;
      }
      assert.equal(skewedA, subs.filter((sub) => expectedCohort(sub, 20) === "a").length);
      assert.ok(skewedA >= 20 && skewedA <= 60, `${skewedA} of 200 in cohort a with AB_SPLIT 20`);
    } finally {
      await skewed.close();
    }
  });
});

describe("personalization", () => {
  test("currency and language follow the client's country", async () => {
    const gb = await edgeInfo({ "x-verge-client-ip": GB_IP });
    assert.deepEqual([gb.info.country, gb.info.currency, gb.info.language], ["GB", "GBP", "en-GB"]);
    const us = await edgeInfo({ "x-verge-client-ip": US_IP });
    assert.deepEqual([us.info.country, us.info.currency, us.info.language], ["US", "USD", "en-US"]);
    const local = await edgeInfo();
    assert.deepEqual([local.info.country, local.info.currency, local.info.language], [null, "USD", "en"]);
  });

  test("the origin receives the locale headers", async () => {
    const token = await stack.origin.issueToken("erin");
    const response = await stack.pop.fetch("/api/me", { headers: bearer(token, { "x-verge-client-ip": GB_IP, "x-currency": "BTC" }) });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { edgeHeaders: Record<string, string> };
    assert.deepEqual(body.edgeHeaders, { "x-user": "erin", "x-cohort": expectedCohort("erin"), "x-currency": "GBP", "x-language": "en-GB", "x-country": "GB" });
  });

  test("the origin's HTML page streams through with the personalization", async () => {
    const response = await stack.pop.fetch("/?from=test", { headers: { "x-verge-client-ip": GB_IP } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(response.headers.get("content-length"), null);
    assertSecurityHeaders(response);
    const html = await response.text();
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<dd id="currency">GBP<\/dd>/);
    assert.match(html, /<dd id="language">en-GB<\/dd>/);
    assert.match(html, /<dd id="cohort">[ab]<\/dd>/);
    assert.match(html, /<dd id="price">£19\.99<\/dd>/);
    assert.match(html, /<\/html>\n$/);
    assert.equal(stack.seen.at(-1)?.path, "/?from=test");
  });
});

describe("security headers", () => {
  test("are on edge answers, origin answers and errors", async () => {
    const token = await stack.origin.issueToken("frank");
    for (const [path, headers, status] of [
      ["/edge/info", {}, 200],
      ["/api/me", {}, 401],
      ["/api/me", bearer(token), 200],
      ["/style.css", {}, 200],
      ["/missing", {}, 404],
    ] as const) {
      const response = await stack.pop.fetch(path, { headers });
      assert.equal(response.status, status, path);
      assertSecurityHeaders(response);
      await response.arrayBuffer();
    }
  });
});

describe("without an origin", () => {
  test("/edge/info still answers; forwarded paths get a 502 and protected ones a 503", async () => {
    const dead = await deadUrl();
    const pop = await startPopForDirectory(EXAMPLE_DIR, { env: { ORIGIN_URL: dead, JWKS_URL: `${dead}/.well-known/jwks.json` } });
    try {
      const info = await pop.fetch("/edge/info", { headers: { "x-verge-client-ip": GB_IP } });
      assert.equal(info.status, 200);
      assertSecurityHeaders(info);
      assert.equal(((await info.json()) as EdgeInfo).currency, "GBP");

      const page = await pop.fetch("/");
      assert.equal(page.status, 502);
      assertSecurityHeaders(page);
      assert.equal(((await page.json()) as { error: { code: string } }).error.code, "origin_unreachable");

      const api = await pop.fetch("/api/me", { headers: bearer(await stack.origin.issueToken("gina")) });
      assert.equal(api.status, 503);
      assertSecurityHeaders(api);
      assert.equal(((await api.json()) as { error: { code: string } }).error.code, "auth_unavailable");
    } finally {
      await pop.close();
    }
  });
});
