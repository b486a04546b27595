import { assertEquals, collect, streamOf } from "../_assert.ts";
import type { CleanPage } from "../../src/types.ts";
import { createPageConverter, VariantConversionStream } from "../../src/zhconv/mod.ts";

function page(id: number, over: Partial<CleanPage> = {}): CleanPage {
  return {
    id,
    ns: 0,
    title: `軟體${id}`,
    status: "article",
    redirect: null,
    segments: [
      { kind: "conv", text: "H|zh-cn:博客;zh-tw:部落格" },
      { kind: "text", text: `部落格與軟體 ${id}` },
    ],
    categories: ["電腦軟體"],
    unknownTemplates: ["某模板"],
    ...over,
  };
}

Deno.test("VariantConversionStream converts every page like convertPage, in order", async () => {
  const pages = [
    page(1),
    page(2, { status: "redirect", redirect: "電腦軟體", segments: [] }),
    page(3, { ns: 4, status: "namespace", segments: [] }),
    page(4),
  ];
  const out = await collect(streamOf(pages).pipeThrough(new VariantConversionStream()));
  const conv = createPageConverter();
  assertEquals(out, pages.map((p) => conv.convertPage(p)));
  assertEquals(out[0].text, "博客与软件 1");
  assertEquals(out[0].title, "软件1");
  assertEquals(out[0].categories, ["电脑软件"]);
  assertEquals(out[0].unknownTemplates, ["某模板"]);
  assertEquals(out[1].redirect, "电脑软件");
  assertEquals(out[1].text, "");
  assertEquals(out[2].status, "namespace");
});

Deno.test("VariantConversionStream keeps rules per page (no leak into the next page)", async () => {
  const second = page(2, { segments: [{ kind: "text", text: "部落格" }] });
  const out = await collect(
    streamOf([page(1), second]).pipeThrough(new VariantConversionStream({ variant: "zh-cn" })),
  );
  assertEquals(out[1].text, "部落格");
});

Deno.test("VariantConversionStream passes an empty stream through", async () => {
  assertEquals(
    await collect(streamOf<CleanPage>([]).pipeThrough(new VariantConversionStream())),
    [],
  );
});

Deno.test("VariantConversionStream honours the variant option", async () => {
  const out = await collect(
    streamOf([page(1)]).pipeThrough(new VariantConversionStream({ variant: "zh-tw" })),
  );
  assertEquals(out[0].text, "部落格與軟體 1");
  assertEquals(out[0].title, "軟體1");
});
