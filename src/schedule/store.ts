/** Stored schedules: add (checked), enable/disable, remove, list. Schedulers pick changes up on reload. */
import { DataSource } from "typeorm";
import { Schedule } from "../../entities/schedule";
import { UserError } from "../util/errors";
import { ScheduleInput, validateSchedule } from "./validate";

export async function addSchedule(ds: DataSource, input: ScheduleInput): Promise<Schedule> {
  const fields = validateSchedule(input);
  const repo = ds.getRepository(Schedule);
  return repo.save(repo.create({ ...fields, lastStartedAt: null, lastDurationMs: null, lastOutcome: null, lastResult: null, lastRunId: null }));
}

export async function getSchedule(ds: DataSource, id: number): Promise<Schedule> {
  const s = await ds.getRepository(Schedule).findOneBy({ id });
  if (!s) throw new UserError(`Расписание ${id} не найдено`);
  return s;
}

export async function setScheduleEnabled(ds: DataSource, id: number, enabled: boolean): Promise<Schedule> {
  const s = await getSchedule(ds, id);
  await ds.getRepository(Schedule).update({ id }, { enabled });
  return { ...s, enabled };
}

export async function removeSchedule(ds: DataSource, id: number): Promise<void> {
  await getSchedule(ds, id);
  await ds.getRepository(Schedule).delete({ id });
}

export async function listSchedules(ds: DataSource): Promise<Schedule[]> {
  return ds.getRepository(Schedule).find({ order: { id: "ASC" } });
}
