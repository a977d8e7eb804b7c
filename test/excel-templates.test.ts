import "reflect-metadata";
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { TEMPLATES, templateFor, INFO_SHEET } from "../src/excel/templates";
import { ROLE_FILL, writeEmptyTemplate } from "../src/excel/template-writer";
import { readAnswer } from "../src/excel/gis-answer";

const fillOf = (cell: ExcelJS.Cell) => (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb ?? null;

test("every template: sheets, title with version, header texts in order, GIS colours by role, info sheet", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-templates-"));
  assert.equal(TEMPLATES.length, 10);
  for (const def of TEMPLATES) {
    const file = await writeEmptyTemplate(def, dir);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      [...def.sheets.map((s) => s.name), INFO_SHEET],
      def.kind,
    );
    for (const sheet of def.sheets) {
      const ws = wb.getWorksheet(sheet.name)!;
      assert.match(String(ws.getCell(1, 1).value), new RegExp(`версия ${def.version.replace(".", "\\.")}`));
      sheet.columns.forEach((c, i) => {
        const cell = ws.getRow(2).getCell(i + 1);
        assert.equal(cell.value, c.header, `${def.kind}/${sheet.name} column ${i + 1}`);
        assert.equal(fillOf(cell), ROLE_FILL[c.role], `${def.kind}/${sheet.name} «${c.header}» is ${c.role}`);
      });
      assert.equal(ws.getRow(2).getCell(sheet.columns.length + 1).value, null, "nothing after the last column");
      const last = sheet.columns[sheet.columns.length - 1];
      assert.equal(last.header, "Статус обработки");
      assert.equal(last.role, "answer");
      const keys = sheet.columns.map((c) => c.key);
      assert.equal(new Set(keys).size, keys.length, `${def.kind}/${sheet.name}: column keys are unique`);
    }
    const info = wb.getWorksheet(INFO_SHEET)!;
    assert.equal(info.getCell(1, 2).value, def.kind);
    assert.equal(info.getCell(2, 2).value, def.version);
  }
  // The colours are the GIS ones: green, yellow, grey.
  assert.deepEqual(ROLE_FILL, { required: "FFC6E0B4", optional: "FFFFF2CC", answer: "FFD9D9D9" });
});

test("the README table states every template and its version", () => {
  const readme = fs.readFileSync(path.join(__dirname, "../../excel-templates/README.md"), "utf8");
  for (const def of TEMPLATES) assert.match(readme, new RegExp(`\\| \`${def.kind}\` \\| ${def.kind}\\.xlsx \\| ${def.version.replace(".", "\\.")} \\|`));
});

test("an unknown template kind is a Russian error listing the kinds", () => {
  assert.throws(() => templateFor("houses"), /Неизвестный вид шаблона «houses»\. Допустимые: contracts, supply-contracts/);
});

test("GIS's answer: accepted with ids from columns or from the status text, rejected with its text, unprocessed", () => {
  const keys = ["gisGuid", "unifiedNumber", "status"];
  assert.deepEqual(readAnswer({ status: "", gisGuid: "" }, keys).state, "unprocessed");
  const rej = readAnswer({ status: "Ошибка: INT004012 Лицевой счет не найден" }, keys);
  assert.equal(rej.state, "rejected");
  assert.equal(rej.text, "Ошибка: INT004012 Лицевой счет не найден");
  const inText = readAnswer({ status: "Загружено. Идентификатор ЛС в ГИС ЖКХ: 0A1B2C3D-0000-4000-8000-000000000001. Единый лицевой счет: 16АА000001" }, keys);
  assert.equal(inText.state, "accepted");
  assert.deepEqual(inText.ids, { gisGuid: "0a1b2c3d-0000-4000-8000-000000000001", unifiedNumber: "16АА000001" });
  const inCols = readAnswer({ status: "Загружено", gisGuid: "g", unifiedNumber: "u" }, keys);
  assert.deepEqual(inCols.ids, { gisGuid: "g", unifiedNumber: "u" });
});

test("the streaming xlsx reader finds sheets whatever the entry order and reads shared and inline strings", async () => {
  const { openXlsx } = await import("../src/excel/xlsx-stream");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gis-sync-xlsx-"));
  const def = templateFor("accounts");
  // exceljs's non-streaming writer puts xl/workbook.xml last and uses shared strings.
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("Лист с данными");
  ws.getCell("A2").value = "Номер ЛС";
  ws.getCell("C2").value = 12.5;
  ws.getCell("AB3").value = "далеко";
  ws.getCell("A3").value = { richText: [{ text: "16" }, { text: "00" }] };
  const file = path.join(dir, "order.xlsx");
  await wb.xlsx.writeFile(file);
  const [sheet] = await openXlsx(file);
  assert.equal(sheet.name, "Лист с данными");
  const rows = [];
  for await (const r of sheet.rows) rows.push(r);
  assert.deepEqual(rows[0], { number: 2, cells: ["Номер ЛС", "", "12.5"] });
  assert.equal(rows[1].cells[0], "1600");
  assert.equal(rows[1].cells[27], "далеко", "column AB");
  // Our streaming writer's files (inline strings, no shared strings table).
  const empty = await writeEmptyTemplate(def, dir);
  const sheets = await openXlsx(empty);
  assert.deepEqual(
    sheets.map((s) => s.name),
    [...def.sheets.map((s) => s.name), INFO_SHEET],
  );
  for await (const r of sheets[0].rows) {
    if (r.number === 2)
      assert.deepEqual(
        r.cells,
        def.sheets[0].columns.map((c) => c.header),
      );
  }
});
