/** The exchange archive: every message kept, hash-chained, verifiable, exportable, pruned by retention. */
export { appendArchive, appendArchiveAll, ArchiveInput } from "./append";
export { verifyArchive, VerifyResult } from "./verify";
export { pruneArchive, PruneResult } from "./prune";
export { exportArchive, ExportFilter, ExportResult } from "./export";
export { entryHash, GENESIS_HASH } from "./chain";
export { readCheckpoint } from "./checkpoint";
export { verifyArchivedSignatures, SignatureReport, SignatureCheck } from "./signatures";
export { anchorArchive, anchorDir, verifyAnchors, AnchorReport } from "./anchor";
export { checkAnswerSignature } from "./signatures";
