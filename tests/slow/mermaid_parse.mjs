// parse.mjs FILE...: parse every ```mermaid block of each Markdown FILE
// with mermaid's own parser (under jsdom); exit 1 on the first error.
import { JSDOM } from "jsdom";
import fs from "node:fs";
const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
let n = 0;
for (const f of process.argv.slice(2)) {
  const text = fs.readFileSync(f, "utf8");
  for (const m of text.matchAll(/```mermaid\n([\s\S]*?)```/g)) {
    await mermaid.parse(m[1]);
    n++;
  }
}
console.log(`${n} mermaid blocks parsed`);
