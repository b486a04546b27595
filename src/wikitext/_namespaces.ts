/**
 * Link prefixes: file and category namespaces (with zhwiki's Chinese aliases),
 * interlanguage codes and interwiki project prefixes. Keys are lower case with
 * spaces (callers normalise `_` and case).
 *
 * @module
 */

export const FILE_NAMESPACES = new Set([
  "file",
  "image",
  "media",
  "文件",
  "檔案",
  "档案",
  "图像",
  "圖像",
  "图片",
  "圖片",
  "媒体",
  "媒體",
  "媒体文件",
  "媒體文件",
  "ファイル", // jawiki aliases, for benchmark inputs built from jawiki
  "画像",
]);

export const CATEGORY_NAMESPACES = new Set(["category", "分类", "分類", "カテゴリ"]);

/** Language codes of Wikipedias: `[[en:Foo]]` is an interlanguage link and shows nothing. */
export const LANGUAGE_PREFIXES = new Set(
  ("aa ab ace ady af ak als alt am an ang ar arc ary arz as ast atj av avk awa ay az azb ba " +
    "ban bar bat-smg bcl be be-tarask be-x-old bg bh bi bjn bm bn bo bpy br bs bug bxr ca " +
    "cbk-zam cdo ce ceb ch cho chr chy ckb co cr crh cs csb cu cv cy da de din diq dsb dty dv " +
    "dz ee el eml en eo es et eu ext fa ff fi fiu-vro fj fo fr frp frr fur fy ga gag gan gcr " +
    "gd gl glk gn gom gor got gu gv ha hak haw he hi hif ho hr hsb ht hu hy hyw hz ia id ie ig " +
    "ii ik ilo inh io is it iu ja jam jbo jv ka kaa kab kbd kbp kg ki kj kk kl km kn ko koi kr " +
    "krc ks ksh ku kv kw ky la lad lb lbe lez lfn lg li lij lld lmo ln lo lrc lt ltg lv mad " +
    "mai map-bms mdf mg mh mhr mi min mk ml mn mni mnw mo mr mrj ms mt mus mwl my myv mzn na " +
    "nah nap nds nds-nl ne new ng nia nl nn no nov nqo nrm nso nv ny oc olo om or os pa pag " +
    "pam pap pcd pdc pfl pi pih pl pms pnb pnt ps pt qu rm rmy rn ro roa-rup roa-tara ru rue " +
    "rw sa sah sat sc scn sco sd se sg sh shn si simple sk skr sl sm smn sn so sq sr srn ss st " +
    "stq su sv sw szl szy ta tay tcy te tet tg th ti tk tl tn to tpi tr trv ts tt tum tw ty " +
    "tyv udm ug uk ur uz ve vec vep vi vls vo wa war wo wuu xal xh xmf yi yo yue za zea zh " +
    "zh-classical zh-min-nan zh-yue zu lzh nan")
    .split(" "),
);

/** Sister projects and other interwiki prefixes: `[[wikt:字|字]]` shows its text. */
export const INTERWIKI_PREFIXES = new Set([
  "w",
  "wikt",
  "wiktionary",
  "s",
  "wikisource",
  "q",
  "wikiquote",
  "b",
  "wikibooks",
  "n",
  "wikinews",
  "v",
  "wikiversity",
  "voy",
  "wikivoyage",
  "commons",
  "c",
  "meta",
  "m",
  "metawiki",
  "species",
  "wikispecies",
  "d",
  "wikidata",
  "mw",
  "mediawikiwiki",
  "foundation",
  "wmf",
  "incubator",
  "phab",
  "outreach",
  "wikimedia",
]);
