// Wallet identities as the UI shows them (the backend never sends a private key), and the rules for
// the passphrase of an encrypted export.

import type { IdentityView } from "../bindings/IdentityView";

/** An encrypted export's passphrase is all that protects the private key in the file. */
export const MIN_PASSPHRASE_LENGTH = 12;
/** Certificates expiring within this many days are flagged. */
export const EXPIRY_WARNING_DAYS = 30;

/** Why a new passphrase (typed twice) cannot be used, or null when it can. */
export function passphraseProblem(passphrase: string, confirmation: string): string | null {
  if (passphrase.length === 0) return "Enter a passphrase to encrypt the file with.";
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    return `Use at least ${MIN_PASSPHRASE_LENGTH} characters: the passphrase is all that protects the private key in the file.`;
  }
  if (passphrase.trim() === "") return "The passphrase cannot be only spaces.";
  if (confirmation !== passphrase) return "The two passphrases differ.";
  return null;
}

export type ExpiryTone = "ok" | "soon" | "expired" | "unknown";

export interface Expiry {
  tone: ExpiryTone;
  /** "expires in 12 days", "expired 3 days ago", "valid until 2027-01-31". */
  text: string;
  /** Whole days from `today` to the expiry date (negative when past); null when unknown. */
  days: number | null;
}

function utcDay(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** How close a `YYYY-MM-DD` expiry date is to `today` (compared as calendar days, UTC). */
export function expiryOf(notAfter: string, today: Date = new Date()): Expiry {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(notAfter.trim());
  if (!m) return { tone: "unknown", text: notAfter ? `expires ${notAfter}` : "expiry unknown", days: null };
  const expires = utcDay(Number(m[1]), Number(m[2]), Number(m[3]));
  const now = utcDay(today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate());
  const days = Math.round(expires - now);
  if (days < 0) {
    return { tone: "expired", text: `expired ${-days} day${days === -1 ? "" : "s"} ago`, days };
  }
  if (days === 0) return { tone: "soon", text: "expires today", days };
  if (days <= EXPIRY_WARNING_DAYS) return { tone: "soon", text: `expires in ${days} day${days === 1 ? "" : "s"}`, days };
  return { tone: "ok", text: `valid until ${notAfter}`, days };
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** By name, naturally ordered (admin2 before admin10). */
export function sortIdentities(identities: readonly IdentityView[]): IdentityView[] {
  return [...identities].sort((a, b) => collator.compare(a.name, b.name) || (a.name < b.name ? -1 : 1));
}

/** The CN of an X.500 name (`CN=admin,OU=client` → `admin`), or the whole name without one. */
export function commonName(dn: string): string {
  const m = /(?:^|[,/]\s*)CN=((?:\\.|[^,/])+)/i.exec(dn);
  return m?.[1]?.trim() ?? dn;
}
