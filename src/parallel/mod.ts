/**
 * How `--threads` shares the work (the README's thread table is {@link layout}'s doc):
 * the page chain run on this thread or in an ordered pool of page workers, fed by a page
 * cutter (decompressed XML cut at `</page>`) or a stream cutter (the compressed input cut
 * at the multistream index's stream offsets).
 *
 * @module
 */

export {
  defaultThreads,
  type Layout,
  layout,
  MAX_THREADS,
  threadLimit,
  usefulThreads,
} from "./_layout.ts";
export { BalancedChainStream, type BalancedOptions } from "./_balanced.ts";
export { PageBytesChainStream, pageChain, parseFragment, ROOT_OPEN } from "./_chain.ts";
export { type Job, type StageOptions } from "./_protocol.ts";
export { JOBS_PER_WORKER, PageJobStream, type PoolOptions } from "./_pool.ts";
export { MIN_FRAGMENT_BYTES, PageCutterStream } from "./_page_cutter.ts";
export { MIN_RANGE_BYTES, StreamCutterStream } from "./_stream_cutter.ts";
export { type IndexEntry, type MultistreamIndex, readIndex } from "./_index.ts";
