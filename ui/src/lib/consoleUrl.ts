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
