/**
 * The rules management contracts and charters share on the stand (their handlers are the stand
 * method modules import-contract-data, import-charter-data, export-status-cach-data,
 * export-cach-data under src/stand/methods/house-management/). Placing gives a ContractGUID/CharterGUID, a version GUID and version 1; every
 * change makes a new version. A placed document waits for approval in GIS — by the owners or the
 * supervisor, outside the API — so the stand approves it at once when `autoApprove` is on (the
 * default) and otherwise keeps it a "Project" until ApprovalContract.
 *
 * Codes: INT002000 — unknown version GUID or object; SRV004002 — approval of a document not waiting
 * for it; INT002012 — nothing to export.
 */
import { XNode, el, leaf } from "../../../transport/envelope/xml";
import { ContractObject, ContractRow, tables, Tables } from "../../domain/state";
import { child, children, lower, must, nsiRefOf, pack, val } from "../../domain/xml-read";
import { sender } from "../../domain/request";
import { GIS, STAND } from "../codes";
import { contractService } from "../coverage";
import { refuse, stamp } from "../results";
import { standRules } from "../settings";
import { StandError, StandRequest, StandStore } from "../../types";

export type Kind = ContractRow["kind"];

export const NAMES = {
  contract: {
    guid: "ContractGUID",
    version: "ContractVersionGUID",
    status: "ContractStatus",
    result: "importContract",
    export: "Contract",
    what: "договор управления",
  },
  charter: { guid: "CharterGUID", version: "CharterVersionGUID", status: "CharterStatus", result: "importCharter", export: "Charter", what: "устав" },
} as const;

const SKIP_OBJECT = new Set(["TransportGUID"]);
const HEAD = new Set(["FIASHouseGuid", "StartDate", "EndDate"]);

/** A ContractObject of a placing/Add: the house, its dates, the services. */
function objectOf(t: Tables, store: StandStore, o: Element): ContractObject {
  const services = [...children(o, "HouseService"), ...children(o, "AddService")]
    .map((s) => nsiRefOf(s, "ServiceType"))
    .filter((r): r is NonNullable<typeof r> => r !== null)
    .map((r) => contractService(t, r));
  const kept = children(o).filter((c) => !SKIP_OBJECT.has(c.localName));
  return {
    fiasHouseGuid: must(o, "FIASHouseGuid").toLowerCase(),
    objectVersionGuid: store.guid(),
    services,
    head: pack(kept.filter((c) => HEAD.has(c.localName))),
    tail: pack(kept.filter((c) => !HEAD.has(c.localName))),
  };
}

function byVersion(t: Tables, kind: Kind, org: string, versionGuid: string | null): ContractRow {
  const row = [...t.contracts.values()].find((c) => c.kind === kind && c.org === org && c.versionGuid === versionGuid);
  if (!row) refuse(GIS.notFound(NAMES[kind].what, versionGuid ?? ""));
  return row;
}

/** The exportStatusCAChResultType sequence (also the body of importContract/importCharter). */
export function statusNodes(row: ContractRow, prefix = "hm"): XNode[] {
  const n = NAMES[row.kind];
  return [
    leaf(`${prefix}:${n.guid}`, row.guid),
    leaf(`${prefix}:${n.version}`, row.versionGuid),
    leaf(`${prefix}:${n.status}`, row.status),
    leaf(`${prefix}:State`, row.state),
    ...row.objects.map((o) =>
      el(
        `${prefix}:ContractObject`,
        null,
        leaf(`${prefix}:FIASHouseGuid`, o.fiasHouseGuid),
        leaf(`${prefix}:ManagedObjectStatus`, row.status === "Approved" ? "Approved" : row.status === "Annul" ? "Annul" : "Project"),
        leaf(`${prefix}:ContractObjectVersionGUID`, o.objectVersionGuid),
      ),
    ),
    leaf(`${prefix}:VersionNumber`, row.versionNumber),
  ];
}

/** One document operation (placing, edit, approval, termination…) on the stand's state. */
export function applyDocument(req: StandRequest, store: StandStore, kind: Kind, op: Element): ContractRow {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const now = stamp(req.received);
  const n = NAMES[kind];
  const nextVersion = (row: ContractRow) => {
    row.versionGuid = store.guid();
    row.versionNumber += 1;
    row.updated = now;
  };
  const name = op.localName;
  if (name.startsWith("Placing")) {
    const approved = standRules(store).autoApprove;
    const row: ContractRow = {
      kind,
      guid: store.guid(),
      versionGuid: store.guid(),
      versionNumber: 1,
      org,
      status: approved ? "Approved" : "Project",
      state: approved ? "Running" : "NotRunning",
      objects: children(op, "ContractObject").map((o) => objectOf(t, store, o)),
      content: pack(children(op).filter((c) => c.localName !== "ContractObject" && c.localName !== "LicenseRequest")),
      updated: now,
    };
    t.contracts.set(row.guid, row);
    return row;
  }
  const row = byVersion(t, kind, org, lower(val(op, n.version)));
  if (name.startsWith("Approval")) {
    if (row.status !== "Project" && row.status !== "ApprovalProcess") refuse(STAND.contractNotApprovable(row.status));
    row.status = "Approved";
    row.state = "Running";
  } else if (name.startsWith("Edit")) {
    row.content = pack(children(op).filter((c) => !["ContractObject", "LicenseRequest", n.version, "IndicationsAnyDay"].includes(c.localName)));
    for (const change of children(op, "ContractObject")) {
      const add = child(change, "Add");
      const target = lower(val(child(change, "Edit") ?? child(change, "Annulment") ?? change, "ContractObjectVersionGUID"));
      if (add) {
        row.objects.push(objectOf(t, store, add));
        continue;
      }
      const i = row.objects.findIndex((o) => o.objectVersionGuid === target);
      if (i < 0) refuse(GIS.notFound("объект управления", target ?? ""));
      const edit = child(change, "Edit");
      if (edit) row.objects[i] = { ...objectOf(t, store, edit), fiasHouseGuid: row.objects[i].fiasHouseGuid };
      else row.objects.splice(i, 1);
    }
  } else if (name.startsWith("Terminate")) {
    row.status = "Terminated";
    row.state = "Expired";
  } else if (name.startsWith("Annulment") && !name.includes("PaymentsInfo")) {
    row.status = "Annul";
    row.state = "Expired";
  }
  // RollOver and payments info keep status and objects; like any change, they make a new version.
  nextVersion(row);
  return row;
}

export function result(row: ContractRow, now: string) {
  return { guid: row.guid, updateDate: now, extra: el(`hm:${NAMES[row.kind].result}`, null, statusNodes(row)) };
}

/** Rows a Criteria element names: by document or version GUID, or by house (UOGUID + FIASHouseGuid). */
function matching(t: Tables, org: string, criteria: Element): ContractRow[] {
  const g = (name: string) => lower(val(criteria, name));
  const fias = g("FIASHouseGuid");
  return [...t.contracts.values()].filter(
    (r) =>
      r.org === org &&
      ((g("ContractGUID") !== null && r.kind === "contract" && r.guid === g("ContractGUID")) ||
        (g("CharterGUID") !== null && r.kind === "charter" && r.guid === g("CharterGUID")) ||
        (g("ContractVersionGUID") !== null && r.kind === "contract" && r.versionGuid === g("ContractVersionGUID")) ||
        (g("CharterVersionGUID") !== null && r.kind === "charter" && r.versionGuid === g("CharterVersionGUID")) ||
        (fias !== null && r.objects.some((o) => o.fiasHouseGuid === fias))),
  );
}

export function selected(req: StandRequest, store: StandStore): ContractRow[] {
  const t = tables(store);
  const org = sender(req).orgPPAGUID;
  const criteria = children(req.body, "Criteria");
  const rows = criteria.length === 0 ? [...t.contracts.values()].filter((r) => r.org === org) : [...new Set(criteria.flatMap((c) => matching(t, org, c)))];
  if (rows.length === 0) throw new StandError(GIS.noObjects().code, GIS.noObjects().description);
  return rows;
}
