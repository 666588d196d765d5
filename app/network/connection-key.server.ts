import crypto from "node:crypto";

/**
 * Connection keys let a dependent connect to a primary without the primary confirming. A key is
 * 160 random bits in Crockford base32, shown as TNDM-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX.
 * The database keeps only an HMAC of the key (to find it) and the key encrypted with AES-256-GCM
 * (to show it again to its primary); both use keys derived from a server secret, so a database
 * dump alone reveals no usable key.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RANDOM_BYTES = 20;
const KEY_LENGTH = 32;
const PREFIX = "TNDM";

function encodeBase32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let output = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += ALPHABET[(value << (5 - bits)) & 31];
  return output;
}

/** A new key in its canonical form (32 base32 characters, no prefix or dashes). */
export function generateConnectionKey(): string {
  return encodeBase32(crypto.randomBytes(RANDOM_BYTES));
}

/** TNDM-XXXX-XXXX-…: how a key is shown and copied. */
export function formatConnectionKey(canonical: string): string {
  return [PREFIX, ...(canonical.match(/.{1,4}/g) ?? [])].join("-");
}

/**
 * The canonical form of what a merchant pasted, forgiving case, spaces, dashes, the prefix and
 * the letters base32 leaves out (O→0, I/L→1); null when it cannot be a key.
 */
export function canonicalConnectionKey(input: string): string | null {
  let text = input.toUpperCase().replace(/[\s-]+/g, "");
  if (text.startsWith(PREFIX) && text.length === PREFIX.length + KEY_LENGTH) text = text.slice(PREFIX.length);
  text = text.replace(/O/g, "0").replace(/[IL]/g, "1");
  if (text.length !== KEY_LENGTH || [...text].some((char) => !ALPHABET.includes(char))) return null;
  return text;
}

function derivedKey(secret: string, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", secret, "tandem", purpose, 32));
}

/** What the database stores to find a key: HMAC-SHA256 under a key derived from the secret. */
export function connectionKeyLookupHash(canonical: string, secret: string): string {
  return crypto.createHmac("sha256", derivedKey(secret, "connection-key lookup")).update(canonical).digest("hex");
}

/** Constant-time comparison of two lookup hashes. */
export function sameLookupHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && crypto.timingSafeEqual(left, right);
}

export function encryptConnectionKey(canonical: string, secret: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", derivedKey(secret, "connection-key encryption"), iv);
  const ciphertext = Buffer.concat([cipher.update(canonical, "utf8"), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64url")}`;
}

export function decryptConnectionKey(sealed: string, secret: string): string {
  if (!sealed.startsWith("v1:")) throw new Error("Unknown connection key format");
  const raw = Buffer.from(sealed.slice(3), "base64url");
  const decipher = crypto.createDecipheriv("aes-256-gcm", derivedKey(secret, "connection-key encryption"), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/**
 * A sealed key opened with the first of `secrets` that opens it: which one (0 is the current) and
 * the key. Null when none does (the secret changed without its predecessor being kept).
 */
export function openSealedKey(sealed: string, secrets: string[]): { canonical: string; secretIndex: number } | null {
  for (const [secretIndex, secret] of secrets.entries()) {
    try {
      return { canonical: decryptConnectionKey(sealed, secret), secretIndex };
    } catch {
      // Sealed under another secret (GCM's tag does not match): try the next.
    }
  }
  return null;
}
