// When an unreachable console last answered, as a person reads it.

/** "14:32" today, "3 Dec 14:32" on another day (local time). */
export function lastSeenTime(ms: number, now: Date = new Date()): string {
  const at = new Date(ms);
  const time = at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  if (at.toDateString() === now.toDateString()) return time;
  return `${at.toLocaleDateString(undefined, { day: "numeric", month: "short" })} ${time}`;
}
