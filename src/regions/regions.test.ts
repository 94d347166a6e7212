/** @module Tests of the regions table and the latency model. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { VergeError } from "../errors.js";
import { LatencyModel, REGION_NAMES, clientRttMs, greatCircleKm, nearest, oneWayMs, region, rttMs } from "./index.js";

describe("regions", () => {
  test("a region has its place, coordinates and cloud region", () => {
    const tokyo = region("tokyo");
    assert.equal(tokyo.name, "tokyo");
    assert.equal(tokyo.cloud, "aws:ap-northeast-1");
    assert.equal(region("virginia").cloud, "aws:us-east-1");
    for (const name of ["singapore", "mumbai", "sydney", "frankfurt", "london", "paris", "ohio", "oregon", "saopaulo", "johannesburg"]) {
      assert.equal(region(name).name, name);
    }
  });

  test("an unknown region is a typed error naming it and listing the valid ones", () => {
    assert.throws(() => region("atlantis"), (error: unknown) => {
      assert.ok(error instanceof VergeError);
      assert.equal(error.code, "unknown_region");
      assert.match(error.message, /^Unknown region: received "atlantis"; expected one of tokyo, /);
      for (const name of REGION_NAMES) assert.ok(error.message.includes(name), name);
      return true;
    });
    assert.throws(() => oneWayMs("tokyo", "Tokyo"), /received "Tokyo"/);
  });

  test("nearest finds the closest region to a position", () => {
    assert.equal(nearest(34.69, 135.5).name, "tokyo"); // Osaka
    assert.equal(nearest(51.45, -2.59).name, "london"); // Bristol
    assert.equal(nearest(-33.92, 18.42).name, "johannesburg"); // Cape Town
    assert.equal(nearest(40.71, -74.0).name, "virginia"); // New York
    assert.equal(nearest(35.68, 139.69, ["frankfurt", "singapore"]).name, "singapore");
  });

  test("great-circle distance matches known figures", () => {
    const london = region("london");
    const paris = region("paris");
    assert.ok(Math.abs(greatCircleKm(london.latitude, london.longitude, paris.latitude, paris.longitude) - 344) < 5);
  });
});

describe("latency model", () => {
  test("seed figures win over the distance estimate", () => {
    assert.equal(rttMs("tokyo", "virginia"), 170);
    assert.equal(oneWayMs("tokyo", "virginia"), 85);
    assert.equal(rttMs("virginia", "london"), 80);
  });

  test("the table is symmetric, zero within a region, and positive between regions", () => {
    for (const a of REGION_NAMES) {
      assert.equal(oneWayMs(a, a), 0);
      for (const b of REGION_NAMES) {
        assert.equal(oneWayMs(a, b), oneWayMs(b, a));
        if (a !== b) assert.ok(oneWayMs(a, b) >= LatencyModel.BASE_ONE_WAY_MS);
      }
    }
  });

  test("derived pairs are plausible against public round-trip figures", () => {
    const within = (a: string, b: string, low: number, high: number): void => {
      const rtt = rttMs(a, b);
      assert.ok(rtt >= low && rtt <= high, `${a}↔${b} RTT ${rtt.toFixed(1)} ms not in [${low}, ${high}]`);
    };
    within("london", "paris", 4, 15);
    within("london", "frankfurt", 8, 20);
    within("virginia", "ohio", 5, 15);
    within("tokyo", "singapore", 60, 100);
    within("sydney", "london", 220, 320);
    within("saopaulo", "virginia", 100, 160);
  });

  test("a user at its own region's PoP pays 2 to 10 ms; elsewhere the regions' round trip on top", () => {
    const local = clientRttMs("tokyo", "tokyo");
    assert.ok(local >= 2 && local <= 10);
    assert.equal(clientRttMs("tokyo", "virginia"), local + 170);
  });
});
