/** Writes wsdl/operations.json from the method modules (then regenerate wsdl/ from the official package). */
import fs from "node:fs";
import path from "node:path";
import { operationsFileText } from "../src/methods/operations-file";

const file = path.resolve(__dirname, "..", "..", "wsdl", "operations.json");
fs.writeFileSync(file, operationsFileText());
console.log(`записан ${path.relative(process.cwd(), file)}`);
