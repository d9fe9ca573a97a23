// What a drag, a row's Copy button or an org dialog carries: components of one region and the
// name people know them by. Every copy, drag and progress view speaks of it.

/** Components of one region picked for copying (a row, or an ordering service's nodes). */
export interface TransferPayload {
  sourceRegionId: string;
  componentIds: string[];
  /** What people call it: "Org1 MSP", "Ordering service OrdererMSP (3 nodes)". */
  label: string;
}
