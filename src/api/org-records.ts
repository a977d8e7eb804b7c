/**
 * Records that name no organization themselves — the message log — belong to the organization of
 * their run or operation. A user limited to organizations sees only those; a record of neither
 * (an import from the billing system, a server message) only a user with no organization limit.
 */
import { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { GisOperation, PipelineRun } from "../../entities";
import { Stand } from "../../entities/gis-operation";
import { whereOrganizations, whereStands } from "./org-scope";

let seq = 0;

/** Keeps message-log rows (alias `m`, columns runId and operationId) of the organizations and stands given (null: any). */
export function whereRecordsOfOrganizations<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  m: string,
  orgs: number[] | null,
  stands: Stand[] | null,
): SelectQueryBuilder<T> {
  if (orgs === null && stands === null) return qb;
  if ((orgs && !orgs.length) || (stands && !stands.length)) return qb.andWhere("1 = 0");
  const n = (seq = (seq + 1) % 1_000_000);
  const runs = whereStands(
    whereOrganizations(qb.subQuery().select(`rr${n}.id`).from(PipelineRun, `rr${n}`), `rr${n}.organizationId`, orgs),
    `rr${n}.stand`,
    stands,
  );
  const ops = whereStands(
    whereOrganizations(qb.subQuery().select(`ro${n}.id`).from(GisOperation, `ro${n}`), `ro${n}.organizationId`, orgs),
    `ro${n}.stand`,
    stands,
  );
  const neither = orgs === null ? `(${m}.runId IS NULL AND ${m}.operationId IS NULL) OR ` : "";
  qb.andWhere(`(${neither}${m}.runId IN ${runs.getQuery()} OR ${m}.operationId IN ${ops.getQuery()})`);
  // The sub-queries' parameters travel with the outer query.
  qb.setParameters({ ...runs.getParameters(), ...ops.getParameters() });
  return qb;
}
