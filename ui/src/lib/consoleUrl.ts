// What the console form says about a URL before the backend rules on it.

/**
 * Whether `url` is plain http to another machine: the API key and secret would cross the network
 * unencrypted, which the backend refuses unless the user ticks "allow unencrypted http".
 */
export function plainHttpToAnotherMachine(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:") return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return !(host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host));
}

/** Whether a failed connection test failed on the console's certificate (one this machine does not trust). */
export function isCertificateError(error: { code: string; message: string }): boolean {
  return error.code === "unreachable" && /certificate|UnknownIssuer|self[- ]signed/i.test(error.message);
}

/** "2027-12-05" for seconds since the epoch (UTC). */
export function certificateDate(secs: number): string {
  return new Date(secs * 1000).toISOString().slice(0, 10);
}
