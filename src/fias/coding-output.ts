/** How a coding run is shown: a summary table for the terminal and a workbook with every level. */
import { TableSheet } from "../excel/table-writer";
import { HouseCoding, LevelResult, codingSummary } from "./coding";
import { OUTCOME_TEXT } from "./match";
import { textTable } from "./reports";

const LEVELS: Array<["settlement" | "street" | "house", string]> = [
  ["settlement", "Населённый пункт"],
  ["street", "Улица"],
  ["house", "Дом"],
];
const candidatesText = (l: LevelResult) => l.candidates.map((c) => `${c.title} (${c.guid})`).join("; ");

export function formatCoding(results: HouseCoding[], applied: boolean): string {
  const s = codingSummary(results);
  const outcomes = ["exact", "partial", "incomplete", "not_found", "skipped"] as const;
  const out = [
    `Домов проверено: ${results.length}`,
    textTable(
      ["Уровень", ...outcomes.map((o) => OUTCOME_TEXT[o].split(" — ")[0])],
      LEVELS.map(([k, label]) => [label, ...outcomes.map((o) => s[k][o] ?? 0)]),
    ),
  ];
  const problems = results.filter((r) => r.house.outcome !== "exact" || r.note);
  if (problems.length) {
    out.push("", "Требуют ручной обработки (выберите вариант: gis-sync fias set --house ID --guid ГУИД):");
    for (const r of problems) {
      const level = [
        ["Населённый пункт", r.settlement],
        ["Улица", r.street],
        ["Дом", r.house],
      ].find(([, l]) => l && (l as LevelResult).outcome !== "exact") as [string, LevelResult] | undefined;
      const l = level?.[1];
      const what = l ? `${level![0]}: ${OUTCOME_TEXT[l.outcome]}${l.note ? ` (${l.note})` : ""}` : "";
      out.push(`  [${r.houseId}] ${r.address} — ${[what, r.note].filter(Boolean).join("; ")}`);
      if (l && l.outcome !== "not_found" && l.outcome !== "skipped") out.push(`      варианты: ${candidatesText(l)}`);
    }
  }
  const written = results.filter((r) => r.written.length).length;
  out.push("", applied ? `Записано в базу: ${written} домов.` : "Пробный прогон: в базу ничего не записано (добавьте --apply).");
  return out.join("\n");
}

export function codingSheet(results: HouseCoding[]): TableSheet {
  function* rows() {
    for (const r of results) {
      for (const [key, label] of LEVELS) {
        const l = r[key];
        if (!l) continue;
        yield {
          houseId: r.houseId,
          address: r.address,
          level: label,
          outcome: OUTCOME_TEXT[l.outcome] + (l.note ? ` (${l.note})` : ""),
          found: l.chosen?.title ?? null,
          guid: l.chosen?.guid ?? null,
          oktmo: key === "house" ? r.oktmo : null,
          candidates: l.outcome === "partial" || l.outcome === "incomplete" ? candidatesText(l) : null,
          written: key === "house" ? [r.written.join(", "), r.note].filter(Boolean).join("; ") || null : null,
        };
      }
    }
  }
  return {
    name: "Простановка ФИАС",
    caption: ["Простановка кодов ФИАС по выгрузке ГАР"],
    columns: [
      { key: "houseId", header: "Дом (id)", width: 8 },
      { key: "address", header: "Адрес", width: 50 },
      { key: "level", header: "Уровень", width: 16 },
      { key: "outcome", header: "Результат", width: 40 },
      { key: "found", header: "Найдено", width: 24 },
      { key: "guid", header: "ГУИД ФИАС", width: 38 },
      { key: "oktmo", header: "ОКТМО", width: 14 },
      { key: "candidates", header: "Варианты", width: 60 },
      { key: "written", header: "Записано", width: 30 },
    ],
    rows: rows(),
  };
}
