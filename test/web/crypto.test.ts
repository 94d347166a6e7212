/** @module crypto.subtle inside the isolate, end to end through a real PoP (vectors, round trips, errors, sealed keys across requests and cache evictions, jose), and the host's sealing and key cache. */
import assert from "node:assert/strict";
import { createHash, createHmac, webcrypto } from "node:crypto";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import * as jose from "jose";
import { decodeArgs } from "../../src/runtime/host-ops/crypto/decode.js";
import { KEY_CACHE_ENTRIES, KeyCache, keyCache } from "../../src/runtime/host-ops/crypto/key-cache.js";
import { toWireKey } from "../../src/runtime/host-ops/crypto/keys.js";
import { startTestPop, type TestPop } from "../support/pop.js";

const josePath = createRequire(import.meta.url).resolve("jose");

const WORKER = `
import * as jose from ${JSON.stringify(josePath)};
const S = crypto.subtle;
const enc = (s) => new TextEncoder().encode(s);
const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
const bytes = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
const same = (a, b) => hex(a) === hex(b);
const SECRET_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const errorOf = async (run) => { try { await run(); return "no error"; } catch (e) { return e.name + ": " + e.message; } };
const RSA = { modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
let saved, stash;

// Outputs of every stashed key: deterministic ones by value, the others checked across requests.
async function stashOutputs(k) {
  const data = enc("stash data");
  const iv = new Uint8Array(16);
  return {
    hmac: hex(await S.sign("HMAC", k.hmac, data)),
    hmacVerifyOnlySigns: (await errorOf(() => S.sign("HMAC", k.hmacVerifyOnly, data))).split(":")[0],
    hmacVerifies: await S.verify("HMAC", k.hmacVerifyOnly, await S.sign("HMAC", k.hmac, data), data),
    hmacLong: [hex(await S.sign("HMAC", k.hmacLong, data)), k.hmacLong.algorithm.length],
    gcm: hex(await S.encrypt({ name: "AES-GCM", iv: iv.subarray(0, 12) }, k.gcm, data)),
    cbc: hex(await S.encrypt({ name: "AES-CBC", iv }, k.cbc, data)),
    ctr: hex(await S.encrypt({ name: "AES-CTR", counter: iv, length: 64 }, k.ctr, data)),
    kw: hex(await S.wrapKey("raw", k.wrappable, k.kw, "AES-KW")),
    unwrapped: hex(await S.sign("HMAC", k.unwrapped, data)),
    ed25519: hex(await S.sign("Ed25519", k.ed25519.privateKey, data)),
    pkcs1: hex(await S.sign("RSASSA-PKCS1-v1_5", k.pkcs1.privateKey, data)),
    pssJwk: (await S.exportKey("jwk", k.pss.privateKey)).d,
    ecdh: hex(await S.deriveBits({ name: "ECDH", public: k.ecdhB.publicKey }, k.ecdhA.privateKey, 256)),
    x25519: hex(await S.deriveBits({ name: "X25519", public: k.x25519B.publicKey }, k.x25519A.privateKey, 256)),
    pbkdf2: hex(await S.deriveBits({ name: "PBKDF2", salt: enc("salt"), iterations: 1000, hash: "SHA-256" }, k.pbkdf2, 256)),
    derived: hex(await S.encrypt({ name: "AES-GCM", iv: iv.subarray(0, 12) }, k.derived, data)),
  };
}

// Strings and bytes (as hex and as text) reachable from a value, for leak scans.
function reachable(value, out = [], visited = new Set(), depth = 0) {
  if (typeof value === "string") out.push(value);
  if (value === null || (typeof value !== "object" && typeof value !== "function") || depth > 8 || visited.has(value)) return out;
  visited.add(value);
  const view = value instanceof ArrayBuffer ? new Uint8Array(value) : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : null;
  if (view) out.push(hex(view), Array.from(view, (b) => String.fromCharCode(b)).join(""));
  else {
    for (const name of Reflect.ownKeys(value)) {
      try { reachable(value[name], out, visited, depth + 1); } catch { /* a throwing getter */ }
    }
  }
  return out;
}

// Runs work with hooks that see every object tenant code can intercept: a then getter and the array iterator.
async function intercepted(work) {
  const seen = [];
  const iterator = Array.prototype[Symbol.iterator];
  Object.defineProperty(Object.prototype, "then", { configurable: true, get() { seen.push(this); return undefined; } });
  Array.prototype[Symbol.iterator] = function () { seen.push(this); return iterator.call(this); };
  try {
    await work();
  } finally {
    delete Object.prototype.then;
    Array.prototype[Symbol.iterator] = iterator;
  }
  return seen;
}

const checks = {
  async digest() {
    const out = {};
    for (const name of ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]) out[name] = hex(await S.digest(name, enc("abc")));
    out.lowerCaseName = hex(await S.digest({ name: "sha-256" }, new Uint8Array([97, 98, 99]).buffer));
    return out;
  },
  async hmac() {
    const alg = { name: "HMAC", hash: "SHA-256" };
    const key = await S.importKey("raw", enc("Jefe"), alg, true, ["sign", "verify"]);
    const sig = await S.sign("HMAC", key, enc("what do ya want for nothing?"));
    const jwkKey = await S.importKey("jwk", { kty: "oct", k: "SmVmZQ", alg: "HS256" }, alg, false, ["sign"]);
    const made = await S.generateKey({ name: "HMAC", hash: "SHA-512" }, true, ["sign", "verify"]);
    const raw = await S.exportKey("raw", made);
    const again = await S.importKey("raw", raw, { name: "HMAC", hash: "SHA-512" }, false, ["sign"]);
    return {
      vector: hex(sig),
      verifies: await S.verify("HMAC", key, sig, enc("what do ya want for nothing?")),
      tamperedFails: !(await S.verify("HMAC", key, sig, enc("what do ya want for nothing!"))),
      jwkImportSigns: same(await S.sign("HMAC", jwkKey, enc("what do ya want for nothing?")), sig),
      jwkExport: (await S.exportKey("jwk", key)).k,
      generated: [made.type, made.algorithm.name, made.algorithm.hash.name, made.algorithm.length, raw.byteLength],
      rawRoundTrip: same(await S.sign("HMAC", made, enc("x")), await S.sign("HMAC", again, enc("x"))),
    };
  },
  async sign() {
    const cases = {
      "RSASSA-PKCS1-v1_5": [{ name: "RSASSA-PKCS1-v1_5", ...RSA }, "RSASSA-PKCS1-v1_5"],
      "RSA-PSS": [{ name: "RSA-PSS", ...RSA }, { name: "RSA-PSS", saltLength: 32 }],
      "ECDSA P-256": [{ name: "ECDSA", namedCurve: "P-256" }, { name: "ECDSA", hash: "SHA-256" }],
      "ECDSA P-384": [{ name: "ECDSA", namedCurve: "P-384" }, { name: "ECDSA", hash: "SHA-384" }],
      Ed25519: [{ name: "Ed25519" }, "Ed25519"],
    };
    const out = {};
    for (const [label, [gen, use]] of Object.entries(cases)) {
      const { publicKey, privateKey } = await S.generateKey(gen, true, ["sign", "verify"]);
      const data = enc("payload " + label);
      const sig = await S.sign(use, privateKey, data);
      const verifyWith = async (key) => S.verify(use, key, sig, data);
      const signWith = async (key) => S.verify(use, publicKey, await S.sign(use, key, data), data);
      const r = {
        keys: [publicKey instanceof CryptoKey, publicKey.type, privateKey.type, publicKey.usages.join(), privateKey.usages.join(), privateKey.algorithm.name, String(privateKey)].join(" "),
        verifies: await verifyWith(publicKey),
        tamperedFails: !(await S.verify(use, publicKey, sig, enc("other"))),
        spki: await verifyWith(await S.importKey("spki", await S.exportKey("spki", publicKey), gen, true, ["verify"])),
        pkcs8: await signWith(await S.importKey("pkcs8", await S.exportKey("pkcs8", privateKey), gen, true, ["sign"])),
        jwkPublic: await verifyWith(await S.importKey("jwk", await S.exportKey("jwk", publicKey), gen, true, ["verify"])),
        jwkPrivate: await signWith(await S.importKey("jwk", await S.exportKey("jwk", privateKey), gen, true, ["sign"])),
      };
      if (gen.name !== "RSASSA-PKCS1-v1_5" && gen.name !== "RSA-PSS") {
        r.raw = await verifyWith(await S.importKey("raw", await S.exportKey("raw", publicKey), gen, true, ["verify"]));
      }
      out[label] = r;
    }
    return out;
  },
  async aes() {
    const gcm = await S.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const params = { name: "AES-GCM", iv, additionalData: enc("aad") };
    const sealed = new Uint8Array(await S.encrypt(params, gcm, enc("secret message")));
    const tampered = sealed.slice();
    tampered[0] ^= 1;
    const zero = await S.importKey("raw", new Uint8Array(16), "AES-GCM", true, ["encrypt"]);
    const jwkZero = await S.importKey("jwk", await S.exportKey("jwk", zero), "AES-GCM", false, ["encrypt"]);
    const vector = { name: "AES-GCM", iv: new Uint8Array(12) };
    const cbc = await S.generateKey({ name: "AES-CBC", length: 128 }, false, ["encrypt", "decrypt"]);
    const cbcParams = { name: "AES-CBC", iv: new Uint8Array(16) };
    const ctr = await S.generateKey({ name: "AES-CTR", length: 192 }, false, ["encrypt", "decrypt"]);
    const ctrParams = { name: "AES-CTR", counter: new Uint8Array(16), length: 64 };
    const kw = await S.generateKey({ name: "AES-KW", length: 256 }, false, ["wrapKey", "unwrapKey"]);
    const wrapped = await S.wrapKey("raw", gcm, kw, "AES-KW");
    const unwrapped = await S.unwrapKey("raw", wrapped, kw, "AES-KW", "AES-GCM", false, ["decrypt"]);
    const oaep = await S.generateKey({ name: "RSA-OAEP", ...RSA }, false, ["encrypt", "decrypt"]);
    return {
      gcmRoundTrip: new TextDecoder().decode(await S.decrypt(params, gcm, sealed)),
      gcmTampered: await errorOf(() => S.decrypt(params, gcm, tampered)),
      gcmWrongAad: await errorOf(() => S.decrypt({ ...params, additionalData: enc("other") }, gcm, sealed)),
      gcmVector: hex(await S.encrypt(vector, zero, new Uint8Array(16))),
      gcmJwkVector: hex(await S.encrypt(vector, jwkZero, new Uint8Array(16))),
      cbc: new TextDecoder().decode(await S.decrypt(cbcParams, cbc, await S.encrypt(cbcParams, cbc, enc("cbc text")))),
      ctr: new TextDecoder().decode(await S.decrypt(ctrParams, ctr, await S.encrypt(ctrParams, ctr, enc("ctr text")))),
      kw: [wrapped.byteLength, new TextDecoder().decode(await S.decrypt(params, unwrapped, sealed))],
      oaep: new TextDecoder().decode(await S.decrypt("RSA-OAEP", oaep.privateKey, await S.encrypt("RSA-OAEP", oaep.publicKey, enc("oaep")))),
    };
  },
  async derive() {
    const pair = async (alg) => [await S.generateKey(alg, false, ["deriveBits", "deriveKey"]), await S.generateKey(alg, false, ["deriveBits", "deriveKey"])];
    const agree = async (alg) => {
      const [a, b] = await pair(alg);
      return same(await S.deriveBits({ name: alg.name, public: b.publicKey }, a.privateKey, 256), await S.deriveBits({ name: alg.name, public: a.publicKey }, b.privateKey, 256));
    };
    const [a, b] = await pair({ name: "ECDH", namedCurve: "P-256" });
    const aesA = await S.deriveKey({ name: "ECDH", public: b.publicKey }, a.privateKey, { name: "AES-GCM", length: 256 }, false, ["encrypt"]);
    const aesB = await S.deriveKey({ name: "ECDH", public: a.publicKey }, b.privateKey, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
    const iv = new Uint8Array(12);
    const password = await S.importKey("raw", enc("password"), "PBKDF2", false, ["deriveBits", "deriveKey"]);
    const pbkdf2 = (iterations) => ({ name: "PBKDF2", salt: enc("salt"), iterations, hash: "SHA-1" });
    const ikm = await S.importKey("raw", new Uint8Array(22).fill(0x0b), "HKDF", false, ["deriveBits"]);
    const hkdf = { name: "HKDF", hash: "SHA-256", salt: bytes("000102030405060708090a0b0c"), info: bytes("f0f1f2f3f4f5f6f7f8f9") };
    return {
      ecdh: await agree({ name: "ECDH", namedCurve: "P-256" }),
      x25519: await agree({ name: "X25519" }),
      deriveKey: new TextDecoder().decode(await S.decrypt({ name: "AES-GCM", iv }, aesB, await S.encrypt({ name: "AES-GCM", iv }, aesA, enc("agreed")))),
      pbkdf2: [hex(await S.deriveBits(pbkdf2(1), password, 160)), hex(await S.deriveBits(pbkdf2(2), password, 160))],
      pbkdf2Key: (await S.deriveKey(pbkdf2(1000), password, { name: "AES-GCM", length: 128 }, false, ["encrypt"])).algorithm.length,
      pbkdf2Limit: await errorOf(() => S.deriveBits(pbkdf2(100001), password, 160)),
      hkdf: hex(await S.deriveBits(hkdf, ikm, 336)),
    };
  },
  async errors() {
    const hmac = await S.importKey("raw", enc("k"), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    const ec = await S.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const pending = S.digest("SHA-999", enc("x"));
    return {
      rejectsNotThrows: pending instanceof Promise && (await errorOf(() => pending)).startsWith("NotSupportedError"),
      unknownDigest: await errorOf(() => S.digest("SHA-999", enc("x"))),
      unknownSign: await errorOf(() => S.sign({ name: "FOO-BAR" }, hmac, enc("x"))),
      wrongOperation: await errorOf(() => S.sign("AES-GCM", hmac, enc("x"))),
      stringData: await errorOf(() => S.digest("SHA-256", "abc")),
      stringIv: await errorOf(() => S.encrypt({ name: "AES-GCM", iv: "nope" }, hmac, enc("x"))),
      numberKeyData: await errorOf(() => S.importKey("raw", 42, "AES-GCM", false, ["encrypt"])),
      notAKey: await errorOf(() => S.sign("HMAC", { type: "secret" }, enc("x"))),
      missingArgument: await errorOf(() => S.digest("SHA-256")),
      badUsage: await errorOf(() => S.generateKey("AES-GCM", false, ["fly"])),
      hmacLacksSign: await errorOf(() => S.sign("HMAC", hmac, enc("x"))),
      publicKeySigns: await errorOf(() => S.sign({ name: "ECDSA", hash: "SHA-256" }, ec.publicKey, enc("x"))),
      notExtractable: await errorOf(() => S.exportKey("raw", hmac)),
      badJwk: await errorOf(() => S.importKey("jwk", { kty: "EC", crv: "P-256", x: "AA" }, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"])),
      emptyUsages: await errorOf(async () => { try { await S.generateKey({ name: "AES-GCM", length: 128 }, false, []); } catch (e) { throw e instanceof DOMException ? e : new Error("not a DOMException"); } }),
      newCryptoKey: await errorOf(() => new CryptoKey()),
      newSubtle: await errorOf(() => new SubtleCrypto()),
      sameSubtle: crypto.subtle === crypto.subtle && crypto.subtle instanceof SubtleCrypto,
    };
  },
  async keyMake() {
    saved = await S.importKey("raw", enc("saved"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    return hex(await S.sign("HMAC", saved, enc("x")));
  },
  async keyUse() {
    return hex(await S.sign("HMAC", saved, enc("x")));
  },
  async importMany(url) {
    const from = Number(url.searchParams.get("from"));
    const n = Number(url.searchParams.get("n"));
    const raw = new Uint8Array(32);
    let key;
    for (let i = from; i < from + n; i++) {
      new DataView(raw.buffer).setUint32(0, i);
      key = await S.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    }
    return hex(await S.sign("HMAC", key, enc("x")));
  },
  async stashMake() {
    const k = {};
    k.hmac = await S.importKey("raw", enc("stash"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    k.hmacVerifyOnly = await S.importKey("raw", enc("stash"), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    k.hmacLong = await S.generateKey({ name: "HMAC", hash: "SHA-384", length: 200 }, false, ["sign"]);
    k.gcm = await S.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    k.cbc = await S.generateKey({ name: "AES-CBC", length: 128 }, false, ["encrypt"]);
    k.ctr = await S.generateKey({ name: "AES-CTR", length: 192 }, false, ["encrypt"]);
    k.kw = await S.generateKey({ name: "AES-KW", length: 256 }, false, ["wrapKey", "unwrapKey"]);
    k.wrappable = await S.importKey("raw", new Uint8Array(32).fill(9), "AES-GCM", true, ["encrypt"]);
    k.unwrapped = await S.unwrapKey("raw", await S.wrapKey("raw", k.wrappable, k.kw, "AES-KW"), k.kw, "AES-KW", { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
    k.ecdsa = await S.generateKey({ name: "ECDSA", namedCurve: "P-384" }, false, ["sign", "verify"]);
    k.ed25519 = await S.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    k.pkcs1 = await S.generateKey({ name: "RSASSA-PKCS1-v1_5", ...RSA }, false, ["sign", "verify"]);
    k.pss = await S.generateKey({ name: "RSA-PSS", ...RSA }, true, ["sign", "verify"]);
    k.oaep = await S.generateKey({ name: "RSA-OAEP", ...RSA }, false, ["encrypt", "decrypt"]);
    k.ecdhA = await S.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
    k.ecdhB = await S.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
    k.x25519A = await S.generateKey({ name: "X25519" }, false, ["deriveBits"]);
    k.x25519B = await S.generateKey({ name: "X25519" }, false, ["deriveBits"]);
    k.pbkdf2 = await S.importKey("raw", enc("password"), "PBKDF2", false, ["deriveBits"]);
    k.hkdf = await S.importKey("raw", enc("input key material"), "HKDF", false, ["deriveKey"]);
    const hkdf = { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new Uint8Array(0) };
    k.derived = await S.deriveKey(hkdf, k.hkdf, { name: "AES-GCM", length: 128 }, false, ["encrypt"]);
    const data = enc("stash data");
    k.ecdsaSignature = await S.sign({ name: "ECDSA", hash: "SHA-384" }, k.ecdsa.privateKey, data);
    k.pssSignature = await S.sign({ name: "RSA-PSS", saltLength: 32 }, k.pss.privateKey, data);
    k.oaepSealed = await S.encrypt("RSA-OAEP", k.oaep.publicKey, data);
    stash = k;
    return stashOutputs(k);
  },
  async stashUse() {
    const k = stash;
    const data = enc("stash data");
    const ecdsa = { name: "ECDSA", hash: "SHA-384" };
    const pss = { name: "RSA-PSS", saltLength: 32 };
    return {
      ...(await stashOutputs(k)),
      ecdsa: [await S.verify(ecdsa, k.ecdsa.publicKey, k.ecdsaSignature, data), await S.verify(ecdsa, k.ecdsa.publicKey, await S.sign(ecdsa, k.ecdsa.privateKey, data), data)],
      pss: [await S.verify(pss, k.pss.publicKey, k.pssSignature, data), await S.verify(pss, k.pss.publicKey, await S.sign(pss, k.pss.privateKey, data), data)],
      oaep: new TextDecoder().decode(await S.decrypt("RSA-OAEP", k.oaep.privateKey, k.oaepSealed)),
    };
  },
  async secrets(url, env) {
    const secret = bytes(SECRET_HEX);
    const jwk = JSON.parse(env.EC_PRIVATE_JWK);
    const b64 = btoa(String.fromCharCode(...secret));
    const needles = [SECRET_HEX, b64, b64.split("+").join("-").split("/").join("_").replace(/=+$/, ""), jwk.d, hex(Uint8Array.from(atob(jwk.d.split("-").join("+").split("_").join("/")), (c) => c.charCodeAt(0)))];
    const leaks = (values) => reachable(values).some((text) => needles.some((needle) => text.includes(needle)));
    const kw = await S.generateKey({ name: "AES-KW", length: 128 }, false, ["wrapKey"]);
    let hmac, ec;
    const seen = await intercepted(async () => {
      hmac = await S.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      ec = await S.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
      await S.sign("HMAC", hmac, enc("x"));
      await S.sign({ name: "ECDSA", hash: "SHA-256" }, ec, enc("x"));
    });
    // The same scan must find an extractable key's material once it is exported, or it proves nothing.
    const control = await intercepted(async () => {
      await S.exportKey("raw", await S.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, true, ["sign"]));
    });
    const probe = (key) => {
      const forIn = [];
      for (const name in key) forIn.push(name);
      let clone;
      try { clone = structuredClone(key); } catch (e) { clone = e.name; }
      const getters = Object.getOwnPropertyNames(CryptoKey.prototype).filter((name) => name !== "constructor").map((name) => key[name]);
      return {
        ownNames: Object.getOwnPropertyNames(key),
        ownKeys: Reflect.ownKeys(key).map(String),
        json: JSON.stringify(key),
        forIn,
        clone: typeof clone === "string" ? clone : "cloned",
        leaks: leaks([key, getters, clone, JSON.stringify(key), Object.getOwnPropertyDescriptors(key)]),
      };
    };
    return {
      hmac: probe(hmac),
      ec: probe(ec),
      prototype: Reflect.ownKeys(CryptoKey.prototype).map(String).sort(),
      exports: await Promise.all([["raw", hmac], ["jwk", hmac], ["pkcs8", ec], ["jwk", ec]].map(([format, key]) => errorOf(() => S.exportKey(format, key)))),
      wrap: await errorOf(() => S.wrapKey("raw", hmac, kw, "AES-KW")),
      interceptedLeaks: leaks(seen.filter((value) => value !== secret && value !== jwk)),
      interceptedKeyResults: seen.filter((value) => value?.kind === "key" || value?.[1]?.kind === "key").length,
      controlLeaks: leaks(control.filter((value) => value !== secret)),
      stillSigns: hex(await S.sign("HMAC", hmac, enc("x"))),
    };
  },
  async jose(url, env) {
    const out = {};
    for (const alg of ["ES256", "EdDSA"]) {
      const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
      const token = await new jose.SignJWT({ sub: "alice" }).setProtectedHeader({ alg }).setIssuedAt().setExpirationTime("2h").sign(privateKey);
      const { payload } = await jose.jwtVerify(token, publicKey);
      out[alg] = { sub: payload.sub, token, jwk: await jose.exportJWK(publicKey) };
    }
    const nodeKey = await jose.importJWK(JSON.parse(env.NODE_JWK), "ES256");
    out.fromNode = (await jose.jwtVerify(env.NODE_TOKEN, nodeKey, { issuer: "node" })).payload.sub;
    out.fromNodeTampered = await errorOf(() => jose.jwtVerify(env.NODE_TOKEN.slice(0, -4) + "AAAA", nodeKey));
    return out;
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const check = checks[url.pathname.slice(1)];
    if (!check) return new Response("no such check", { status: 404 });
    try {
      return Response.json(await check(url, env));
    } catch (e) {
      return Response.json({ uncaught: e.name + ": " + e.message }, { status: 500 });
    }
  },
};
`;

/** A worker that tries to make a key while it starts, outside any request. */
const STARTUP_WORKER = `
const attempt = crypto.subtle.importKey("raw", new Uint8Array(16), "AES-GCM", false, ["encrypt"]).then(() => "made", (e) => e.name + ": " + e.message);
export default { async fetch() { return new Response(await attempt); } };
`;

let pop: TestPop;
let nodeKeys: jose.GenerateKeyPairResult;
before(async () => {
  nodeKeys = await jose.generateKeyPair("ES256", { extractable: true });
  const token = await new jose.SignJWT({ sub: "bob" }).setProtectedHeader({ alg: "ES256" }).setIssuer("node").sign(nodeKeys.privateKey);
  const ecPrivate = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign"]);
  const env = {
    NODE_TOKEN: token,
    NODE_JWK: JSON.stringify(await jose.exportJWK(nodeKeys.publicKey)),
    EC_PRIVATE_JWK: JSON.stringify(await webcrypto.subtle.exportKey("jwk", ecPrivate.privateKey)),
  };
  pop = await startTestPop([
    { name: "crypto", source: WORKER, env, limits: { cpuMs: 10_000 } },
    { name: "startup", source: STARTUP_WORKER, routes: ["startup.test/*"] },
  ]);
});
after(() => pop.close());

/** JSON from the worker, read loosely: each assertion states the value it expects. */
interface Json {
  [member: string]: Json;
}

async function run(check: string): Promise<Json> {
  const res = await pop.fetch(`/${check}`);
  const body = (await res.json()) as Json;
  assert.equal(res.status, 200, `/${check} failed: ${JSON.stringify(body)}`);
  return body;
}

test("digest matches Node for SHA-1, SHA-256, SHA-384 and SHA-512", async () => {
  const out = await run("digest");
  for (const name of ["SHA-1", "SHA-256", "SHA-384", "SHA-512"]) {
    assert.equal(out[name], createHash(name.replace("-", "").toLowerCase()).update("abc").digest("hex"), name);
  }
  assert.equal(out["SHA-256"], "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(out.lowerCaseName, out["SHA-256"], "algorithm names match case-insensitively");
});

test("HMAC: RFC 4231 vector, verify, raw and JWK import and export, generateKey", async () => {
  const out = await run("hmac");
  assert.equal(out.vector, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  assert.equal(out.verifies, true);
  assert.equal(out.tamperedFails, true);
  assert.equal(out.jwkImportSigns, true);
  assert.equal(out.jwkExport, "SmVmZQ");
  assert.deepEqual(out.generated, ["secret", "HMAC", "SHA-512", 1024, 128]);
  assert.equal(out.rawRoundTrip, true);
});

test("sign and verify round trips, with spki, pkcs8, jwk and raw export and import", async () => {
  const out = await run("sign");
  for (const label of ["RSASSA-PKCS1-v1_5", "RSA-PSS", "ECDSA P-256", "ECDSA P-384", "Ed25519"]) {
    const r = out[label];
    const name = label.split(" ")[0];
    assert.equal(r.keys, `true public private verify sign ${name} [object CryptoKey]`, `${label}: key fields`);
    for (const check of ["verifies", "tamperedFails", "spki", "pkcs8", "jwkPublic", "jwkPrivate"]) assert.equal(r[check], true, `${label}: ${check}`);
    if (!label.startsWith("RSA")) assert.equal(r.raw, true, `${label}: raw public key`);
  }
});

test("AES-GCM, AES-CBC, AES-CTR, AES-KW and RSA-OAEP; tampering is an OperationError", async () => {
  const out = await run("aes");
  assert.equal(out.gcmRoundTrip, "secret message");
  assert.match(String(out.gcmTampered), /^OperationError: /);
  assert.match(String(out.gcmWrongAad), /^OperationError: /);
  // NIST GCM test case 2: zero key, zero IV, one zero block.
  assert.equal(out.gcmVector, "0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
  assert.equal(out.gcmJwkVector, out.gcmVector);
  assert.equal(out.cbc, "cbc text");
  assert.equal(out.ctr, "ctr text");
  assert.deepEqual(out.kw, [40, "secret message"]);
  assert.equal(out.oaep, "oaep");
});

test("ECDH, X25519, PBKDF2 and HKDF deriveBits and deriveKey", async () => {
  const out = await run("derive");
  assert.equal(out.ecdh, true);
  assert.equal(out.x25519, true);
  assert.equal(out.deriveKey, "agreed");
  // RFC 6070 test vectors 1 and 2.
  assert.deepEqual(out.pbkdf2, ["0c60c80f961f0e71f3a9b524af6012062fe037a6", "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"]);
  assert.equal(out.pbkdf2Key, 128);
  assert.match(String(out.pbkdf2Limit), /^NotSupportedError: .*100000.*100001/);
  // RFC 5869 test case 1.
  assert.equal(out.hkdf, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
});

test("bad input rejects with WebCrypto's error names and the next request still works", async () => {
  for (let round = 0; round < 2; round++) {
    const out = await run("errors");
    assert.equal(out.rejectsNotThrows, true, "a method rejects instead of throwing");
    assert.match(String(out.unknownDigest), /^NotSupportedError: .*"SHA-999"/);
    assert.match(String(out.unknownSign), /^NotSupportedError: .*"FOO-BAR"/);
    assert.match(String(out.wrongOperation), /^NotSupportedError: .*sign.*"AES-GCM"/);
    assert.match(String(out.stringData), /^TypeError: data must be an ArrayBuffer or an ArrayBufferView/);
    assert.match(String(out.stringIv), /^TypeError: algorithm\.iv must be/);
    assert.match(String(out.numberKeyData), /^TypeError: keyData must be/);
    assert.match(String(out.notAKey), /^TypeError: key must be a CryptoKey/);
    assert.match(String(out.missingArgument), /^TypeError: SubtleCrypto\.digest requires 2 arguments/);
    assert.match(String(out.badUsage), /^TypeError: .*"fly"/);
    assert.match(String(out.hmacLacksSign), /^InvalidAccessError: /);
    assert.match(String(out.publicKeySigns), /^InvalidAccessError: /);
    assert.match(String(out.notExtractable), /^InvalidAccessError: /);
    assert.match(String(out.badJwk), /^DataError: /);
    assert.match(String(out.emptyUsages), /^SyntaxError: /);
    assert.match(String(out.newCryptoKey), /^TypeError: Illegal constructor/);
    assert.match(String(out.newSubtle), /^TypeError: Illegal constructor/);
    assert.equal(out.sameSubtle, true);
  }
  assert.equal((await run("digest"))["SHA-1"], "a9993e364706816aba3e25717850c26c9cd0d89d");
});

test("a key made in one request is usable in the next (same isolate)", async () => {
  const made = await run("keyMake");
  assert.equal(await run("keyUse"), made);
});

test("keys made in one request work in later ones after the host's cache lost them: every key type", async () => {
  const made = await run("stashMake");
  keyCache.clear();
  const used = await run("stashUse");
  assert.deepEqual(used.ecdsa, [true, true], "ECDSA P-384: the old signature verifies, a new one too");
  assert.deepEqual(used.pss, [true, true], "RSA-PSS");
  assert.equal(used.oaep, "stash data", "RSA-OAEP: decrypts what the earlier request encrypted");
  assert.equal(used.hmacVerifyOnlySigns, "InvalidAccessError", "usages are kept");
  assert.equal(used.hmacVerifies, true);
  assert.equal(made.hmacLong[1], 200, "HMAC length is kept");
  for (const [name, value] of Object.entries(made)) assert.deepEqual(used[name], value, `${name}: same output before and after`);
  assert.equal(made.hmac, createHmac("sha256", "stash").update("stash data").digest("hex"));
});

test("20,000 importKey calls across requests in one isolate: no failure, and the host's cache stays bounded", async () => {
  for (let from = 0; from < 20_000; from += 5000) {
    const last = Buffer.alloc(32);
    last.writeUInt32BE(from + 4999);
    assert.equal(await run(`importMany?from=${from}&n=5000`), createHmac("sha256", last).update("x").digest("hex"), `keys ${from} to ${from + 4999}`);
  }
  assert.ok(keyCache.size <= KEY_CACHE_ENTRIES, `cache holds ${keyCache.size} keys`);
  assert.equal((await run("stashUse")).oaep, "stash data", "older keys still work");
  assert.equal(await run("keyUse"), await run("keyMake"));
});

test("a non-extractable key cannot be exported, wrapped or read through the CryptoKey or intercepted built-ins", async (t) => {
  const out = await run("secrets");
  for (const label of ["hmac", "ec"]) {
    const probe = out[label];
    assert.deepEqual(probe.ownNames, [], `${label}: no own properties`);
    assert.deepEqual(probe.ownKeys, [], `${label}: no own symbols`);
    assert.equal(probe.json, "{}", `${label}: JSON.stringify`);
    assert.deepEqual(probe.forIn, [], `${label}: for-in`);
    assert.ok(["DataCloneError", "cloned"].includes(String(probe.clone)), `${label}: structuredClone refuses or copies, and the copy holds nothing (leaks below)`);
    assert.equal(probe.leaks, false, `${label}: nothing reachable from the key holds its material`);
  }
  assert.deepEqual(out.prototype, ["Symbol(Symbol.toStringTag)", "algorithm", "constructor", "extractable", "type", "usages"]);
  assert.equal((out.exports as unknown as string[]).length, 4);
  for (const result of out.exports as unknown as string[]) assert.match(result, /^InvalidAccessError: /);
  assert.match(String(out.wrap), /^InvalidAccessError: /);
  assert.equal(out.interceptedLeaks, false, "op results seen through a then getter or the array iterator hold no material");
  assert.equal(out.controlLeaks, true, "the scan does find material when an extractable key is exported");
  assert.equal(out.stillSigns, createHmac("sha256", Buffer.from("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "hex")).update("x").digest("hex"));
  t.diagnostic(`op results carrying a sealed key seen by the hooks: ${String(out.interceptedKeyResults)}`);
});

test("a key cannot be made while the worker starts, outside a request: a clear error", async () => {
  const res = await pop.fetch("/", { host: "startup.test" });
  assert.match(await res.text(), /^TypeError: crypto\.subtle can only be used while handling a request/);
});

test("the host seals keys: equal keys seal alike, altered or foreign bytes are refused, exportKey and wrapKey recheck extractable", async () => {
  const S = webcrypto.subtle;
  const raw = new Uint8Array(32).fill(1);
  const secret = await S.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const again = await S.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sealed = toWireKey(secret).sealed;
  assert.deepEqual(toWireKey(again).sealed, sealed, "the same key, imported twice, seals to the same bytes");
  assert.ok(!Buffer.from(sealed).includes(Buffer.from(raw)), "the material is not in the clear");
  assert.notDeepEqual(toWireKey(await S.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["verify"])).sealed, sealed, "usages are sealed too");
  keyCache.clear();
  const data = new Uint8Array(1);
  const sign = (bytes: Uint8Array) => decodeArgs("sign", [{ name: "HMAC" }, { sealed: bytes }, data]);
  assert.equal(((await sign(sealed))[1] as webcrypto.CryptoKey).type, "secret", "the host opens its own sealed key");
  for (let at = 0; at < sealed.length; at += 7) {
    const altered = sealed.slice();
    altered[at] ^= 1;
    await assert.rejects(sign(altered), { name: "InvalidAccessError" }, `byte ${at} altered`);
  }
  await assert.rejects(sign(sealed.subarray(0, 20)), { name: "InvalidAccessError" });
  await assert.rejects(sign(new Uint8Array(200)), { name: "InvalidAccessError" });
  await assert.rejects(sign(new Uint8Array(70_000)), { name: "TypeError" });
  await assert.rejects(decodeArgs("exportKey", ["raw", { sealed }]), { name: "InvalidAccessError" });
  const kw = toWireKey(await S.generateKey({ name: "AES-KW", length: 128 }, false, ["wrapKey"])).sealed;
  await assert.rejects(decodeArgs("wrapKey", ["raw", { sealed }, { sealed: kw }, { name: "AES-KW" }]), { name: "InvalidAccessError" });
});

test("the key cache is a bounded LRU, and a failed load is not kept", async () => {
  const cache = new KeyCache(2);
  const key = await webcrypto.subtle.generateKey({ name: "AES-GCM", length: 128 }, false, ["encrypt"]);
  let loads = 0;
  const load = async () => {
    loads += 1;
    return key;
  };
  const [a, b, c] = [1, 2, 3].map((n) => new Uint8Array([n]));
  await cache.get(a, load);
  await cache.get(b, load);
  await cache.get(a, load);
  assert.equal(loads, 2, "a hit does not load");
  await cache.get(c, load);
  assert.equal(cache.size, 2);
  await cache.get(a, load);
  assert.equal(loads, 3, "a was used more recently than b, so b went");
  await cache.get(b, load);
  assert.equal(loads, 4);
  await assert.rejects(cache.get(new Uint8Array([9]), async () => Promise.reject(new Error("bad"))));
  await cache.get(new Uint8Array([9]), load);
  assert.equal(loads, 5, "the failed load was dropped");
});

test("jose signs and verifies inside the isolate, and tokens cross between Node and the worker", async () => {
  const out = await run("jose");
  for (const alg of ["ES256", "EdDSA"]) {
    assert.equal(out[alg].sub, "alice", `${alg}: SignJWT then jwtVerify in the worker`);
    const key = await jose.importJWK(out[alg].jwk, alg);
    const { payload } = await jose.jwtVerify(String(out[alg].token), key);
    assert.equal(payload.sub, "alice", `${alg}: the worker's token verifies in Node`);
  }
  assert.equal(out.fromNode, "bob", "a token signed in Node verifies in the worker");
  assert.match(String(out.fromNodeTampered), /^JWSSignatureVerificationFailed: /);
});
