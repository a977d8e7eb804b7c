/** Every migration, oldest first. A new one is added at the end and never edited after release. */
import { Initial1763856000000 } from "./1763856000000-Initial";
import { PipelineRuns1763942400000 } from "./1763942400000-PipelineRuns";
import { Excel1764028800000 } from "./1764028800000-Excel";
import { Schedules1764288000000 } from "./1764288000000-Schedules";
import { RunPrepared1764374400000 } from "./1764374400000-RunPrepared";
import { Exports1764201600000 } from "./1764201600000-Exports";
import { FundActions1764460800000 } from "./1764460800000-FundActions";
import { Installation1764547200000 } from "./1764547200000-Installation";
import { ArchiveProof1764633600000 } from "./1764633600000-ArchiveProof";
import { DataProvider1764720000000 } from "./1764720000000-DataProvider";
import { OrganizationSigners1764806400000 } from "./1764806400000-OrganizationSigners";
import { PipelineLanes1765152000000 } from "./1765152000000-PipelineLanes";
import { Reminders1765238400000 } from "./1765238400000-Reminders";
import { StandsApart1765324800000 } from "./1765324800000-StandsApart";
import { NsiStands1765411200000 } from "./1765411200000-NsiStands";
import { StandValues1765497600000 } from "./1765497600000-StandValues";
import { StandRows1765584000000 } from "./1765584000000-StandRows";
import { StandIdentity1764892800000 } from "./1764892800000-StandIdentity";
import { UserLimits1764979200000 } from "./1764979200000-UserLimits";

export const MIGRATIONS = [
  Initial1763856000000,
  PipelineRuns1763942400000,
  Excel1764028800000,
  Schedules1764288000000,
  RunPrepared1764374400000,
  Exports1764201600000,
  FundActions1764460800000,
  Installation1764547200000,
  ArchiveProof1764633600000,
  DataProvider1764720000000,
  OrganizationSigners1764806400000,
  StandIdentity1764892800000,
  UserLimits1764979200000,
  PipelineLanes1765152000000,
  Reminders1765238400000,
  StandsApart1765324800000,
  NsiStands1765411200000,
  StandValues1765497600000,
  StandRows1765584000000,
];
