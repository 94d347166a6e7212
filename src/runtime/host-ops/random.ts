/**
 * @module Entropy for crypto.getRandomValues and randomUUID.
 */
import { randomFillSync } from "node:crypto";
import { Op } from "../bridge/protocol.js";
import { expectNumber, OpArgumentError, type OpTable } from "../ops.js";

const MAX_BYTES = 65536;

export const randomOps: OpTable = {
  [Op.Random](_context, [length]) {
    const n = expectNumber(length, "length");
    if (!Number.isInteger(n) || n < 0 || n > MAX_BYTES) throw new OpArgumentError(`length must be an integer from 0 to ${MAX_BYTES}: received ${n}`);
    return randomFillSync(new Uint8Array(n));
  },
};
