// A console's own certificate in the console form: when to offer it for review, and its dates.

/** Whether a failed connection test failed on the console's certificate (one this machine does not trust). */
export function isCertificateError(error: { code: string; message: string }): boolean {
  return error.code === "unreachable" && /certificate|UnknownIssuer|self[- ]signed/i.test(error.message);
}

/** "2027-12-05" for seconds since the epoch (UTC). */
export function certificateDate(secs: number): string {
  return new Date(secs * 1000).toISOString().slice(0, 10);
}
