import { describe, expect, test } from "vitest";
import {
  canonicalConnectionKey, connectionKeyLookupHash, decryptConnectionKey, encryptConnectionKey, formatConnectionKey,
  generateConnectionKey, openSealedKey, sameLookupHash,
} from "./connection-key.server";

const SECRET = "test-secret-with-enough-length-000000";
// Of "0123456789ABCDEFGHJKMNPQRSTVWXYZ" under SECRET: HMAC-SHA256 and AES-256-GCM (IV of 12 × 0x07)
// under keys from HKDF-SHA256(SECRET, salt "tandem", info "connection-key lookup" / "… encryption").
const KNOWN_LOOKUP_HASH = "2e8e07f4e4109ed993f68088a38007561fc6488b01099116511607a9e7a11733";
const KNOWN_SEALED = "v1:BwcHBwcHBwcHBwcHz_cRIgda-0ypBjfAPbIuHqCBDqiknWS92fM-EwUXFu2aLTac5Ce6rSPxViZDxfvt";

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

describe("connection keys stay readable across releases", () => {
  // Stored hashes and sealed keys must open with the same derivation forever: a changed alphabet,
  // prefix, salt or purpose would orphan every key in every database. Known answers pin them.
  const KEY = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  test("the key's letters and how it is shown", () => {
    expect(formatConnectionKey(KEY)).toBe("TNDM-0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ");
    expect(canonicalConnectionKey(KEY)).toBe(KEY);
    // A key that itself begins with the prefix's letters keeps them.
    expect(canonicalConnectionKey("TNDM0123456789ABCDEFGHJKMNPQRSTV")).toBe("TNDM0123456789ABCDEFGHJKMNPQRSTV");
    expect(canonicalConnectionKey("TNDM-TNDM-0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV")).toBe("TNDM0123456789ABCDEFGHJKMNPQRSTV");
    for (const key of Array.from({ length: 50 }, generateConnectionKey)) expect([...key].every((char) => KEY.includes(char))).toBe(true);
  });

  test("the lookup hash and the sealed copy of a known key under a known secret", () => {
    expect(connectionKeyLookupHash(KEY, SECRET)).toBe(KNOWN_LOOKUP_HASH);
    expect(decryptConnectionKey(KNOWN_SEALED, SECRET)).toBe(KEY);
    expect(openSealedKey(KNOWN_SEALED, ["another-secret-0000000000000000000", SECRET])).toEqual({ canonical: KEY, secretIndex: 1 });
    expect(openSealedKey(KNOWN_SEALED, ["another-secret-0000000000000000000"])).toBeNull();
  });

  test("an empty hash matches nothing, not even another empty one; an unknown format says so", () => {
    expect(sameLookupHash("", "")).toBe(false);
    expect(() => decryptConnectionKey("v2:AAAA", SECRET)).toThrow("Unknown connection key format");
  });
});
