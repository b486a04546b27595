/**
 * opencc-js's dictionaries and the configurations wikizh uses, spelled out as opencc-js's
 * full preset defines them (checked by the equality tests against `opencc-js` itself).
 *
 * @module
 */

import CJK_Compatibility_Ideographs from "opencc-js/dict/CJK_Compatibility_Ideographs";
import HKVariants from "opencc-js/dict/HKVariants";
import HKVariantsPhrases from "opencc-js/dict/HKVariantsPhrases";
import STCharacters from "opencc-js/dict/STCharacters";
import STPhrases from "opencc-js/dict/STPhrases";
import STPhrasesGenerated from "opencc-js/dict/STPhrases_GeneratedFromRegionalPhrases";
import TSCharacters from "opencc-js/dict/TSCharacters";
import TSPhrases from "opencc-js/dict/TSPhrases";
import TWVariants from "opencc-js/dict/TWVariants";
import TWVariantsPhrases from "opencc-js/dict/TWVariantsPhrases";
import type { ChainSpec, DictLike } from "./_table.ts";

const d = (x: unknown): DictLike => x as DictLike;

const NORMALIZE: readonly (readonly DictLike[])[] = [[d(CJK_Compatibility_Ideographs)]];
const ST_SEG: readonly DictLike[] = [d(STPhrases), d(STPhrasesGenerated)];
const ST: readonly DictLike[] = [d(STPhrases), d(STPhrasesGenerated), d(STCharacters)];

/** opencc-js `t2s` (`Converter({ from: "t", to: "cn" })`). */
export const T2S: ChainSpec = {
  normalization: NORMALIZE,
  stages: [[d(TSPhrases), d(TSCharacters)]],
};

/**
 * `t2s` followed by 「」『』 → “”‘’ as one pass: no key or value of the t2s dictionaries
 * holds a corner quote, so the lowest-priority quote entries give the same text as a
 * replacement after t2s.
 */
export const T2S_QUOTES: ChainSpec = {
  normalization: NORMALIZE,
  stages: [[d(TSPhrases), d(TSCharacters), d("「 “|」 ”|『 ‘|』 ’")]],
};

/** opencc-js `s2t` (`Converter({ from: "cn", to: "t" })`). */
export const S2T: ChainSpec = { normalization: NORMALIZE, stages: [ST] };

/** opencc-js `s2tw` (`Converter({ from: "cn", to: "tw" })`). */
export const S2TW: ChainSpec = {
  normalization: NORMALIZE,
  segmentation: ST_SEG,
  stages: [ST, [d(TWVariantsPhrases), d(TWVariants)]],
};

/** opencc-js `s2hk` (`Converter({ from: "cn", to: "hk" })`). */
export const S2HK: ChainSpec = {
  normalization: NORMALIZE,
  segmentation: ST_SEG,
  stages: [ST, [d(HKVariantsPhrases), d(HKVariants)]],
};
