// XML for people: pretty-printed (parsed, never rendered as HTML) and searchable with highlights.
import { h, clear } from "./dom.js";

export function prettyXml(text) {
  const doc = new DOMParser().parseFromString(text, "application/xml");
  if (doc.getElementsByTagName("parsererror").length) return text;
  const out = [];
  const walk = (node, depth) => {
    const pad = "  ".repeat(depth);
    if (node.nodeType === Node.ELEMENT_NODE) {
      const attrs = [...node.attributes].map((a) => ` ${a.name}="${a.value}"`).join("");
      const kids = [...node.childNodes].filter((c) => c.nodeType !== Node.TEXT_NODE || c.nodeValue.trim() !== "");
      if (!kids.length) out.push(`${pad}<${node.nodeName}${attrs}/>`);
      else if (kids.length === 1 && kids[0].nodeType === Node.TEXT_NODE)
        out.push(`${pad}<${node.nodeName}${attrs}>${kids[0].nodeValue.trim()}</${node.nodeName}>`);
      else {
        out.push(`${pad}<${node.nodeName}${attrs}>`);
        for (const c of kids) walk(c, depth + 1);
        out.push(`${pad}</${node.nodeName}>`);
      }
    } else if (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.CDATA_SECTION_NODE) {
      out.push(pad + node.nodeValue.trim());
    } else if (node.nodeType === Node.COMMENT_NODE) {
      out.push(`${pad}<!--${node.nodeValue}-->`);
    }
  };
  walk(doc.documentElement, 0);
  return out.join("\n");
}

/** A viewer: search box, match count, previous/next, the XML in a <pre>. */
export function xmlViewer(text) {
  const pretty = prettyXml(text);
  const pre = h("pre.xml", { tabIndex: 0, "aria-label": "XML сообщения" });
  const count = h("span.muted", { role: "status" });
  const input = h("input", { type: "search", placeholder: "Поиск в XML", "aria-label": "Поиск в XML" });
  let marks = [];
  let current = -1;
  const show = () => {
    const term = input.value;
    clear(pre);
    marks = [];
    if (!term) {
      pre.textContent = pretty;
      count.textContent = "";
      return;
    }
    const lower = pretty.toLowerCase();
    const t = term.toLowerCase();
    let at = 0;
    for (let i = lower.indexOf(t); i !== -1; i = lower.indexOf(t, i + t.length)) {
      pre.append(pretty.slice(at, i));
      const m = h("mark", pretty.slice(i, i + t.length));
      marks.push(m);
      pre.append(m);
      at = i + t.length;
    }
    pre.append(pretty.slice(at));
    count.textContent = marks.length ? `совпадений: ${marks.length}` : "не найдено";
    current = -1;
    step(1);
  };
  const step = (d) => {
    if (!marks.length) return;
    marks[current]?.classList.remove("current");
    current = (current + d + marks.length) % marks.length;
    marks[current].classList.add("current");
    marks[current].scrollIntoView({ block: "center" });
  };
  input.addEventListener("input", show);
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      step(e.shiftKey ? -1 : 1);
    }
  });
  show();
  return h(
    "div.xmlview",
    h(
      "div.toolbar",
      input,
      h("button", { type: "button", on: { click: () => step(-1) }, "aria-label": "Предыдущее совпадение" }, "↑"),
      h("button", { type: "button", on: { click: () => step(1) }, "aria-label": "Следующее совпадение" }, "↓"),
      count,
    ),
    pre,
  );
}
