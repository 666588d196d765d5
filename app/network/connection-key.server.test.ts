import { describe, expect, test } from "vitest";
import {
  canonicalConnectionKey, connectionKeyLookupHash, decryptConnectionKey, encryptConnectionKey, formatConnectionKey,
  generateConnectionKey, sameLookupHash,
} from "./connection-key.server";

const SECRET = "test-secret-with-enough-length-000000";

describe("connection keys", () => {
  test("carry at least 128 random bits in a readable, copyable format", () => {
    const keys = new Set(Array.from({ length: 2000 }, generateConnectionKey));
    expect(keys.size).toBe(2000);
    const key = [...keys][0];
    expect(key).toMatch(/^[0-9A-HJKMNP-TV-Z]{32}$/); // 32 × 5 bits = 160 bits
    expect(formatConnectionKey(key)).toMatch(/^TNDM(-[0-9A-Z]{4}){8}$/);
  });

  test("are recognised however they were pasted", () => {
    const key = generateConnectionKey();
    const shown = formatConnectionKey(key);
    expect(canonicalConnectionKey(shown)).toBe(key);
    expect(canonicalConnectionKey(` ${shown.toLowerCase()} `)).toBe(key);
    expect(canonicalConnectionKey(shown.replace(/-/g, " "))).toBe(key);
    expect(canonicalConnectionKey("TNDM-OOOO-IIII-LLLL-0000-1111-2222-3333-4444")).toBe("00001111111100001111222233334444");
  });

  test.each(["", "TNDM", "TNDM-ABCD", "not a key at all", "TNDM-ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-678U", "x".repeat(500)])(
    "rejects %j",
    (input) => expect(canonicalConnectionKey(input)).toBeNull(),
  );

  test("are stored as a lookup hash and an encrypted copy, neither of which shows the key", () => {
    const key = generateConnectionKey();
    const hash = connectionKeyLookupHash(key, SECRET);
    const sealed = encryptConnectionKey(key, SECRET);
    expect(hash).not.toContain(key);
    expect(sealed).not.toContain(key);
    expect(sameLookupHash(hash, connectionKeyLookupHash(key, SECRET))).toBe(true);
    expect(sameLookupHash(hash, connectionKeyLookupHash(key, "another-secret-0000000000000000000"))).toBe(false);
    expect(sameLookupHash(hash, "")).toBe(false);
    expect(decryptConnectionKey(sealed, SECRET)).toBe(key);
    expect(() => decryptConnectionKey(sealed, "another-secret-0000000000000000000")).toThrow();
    expect(encryptConnectionKey(key, SECRET)).not.toBe(sealed);
  });
});
