/**
 * The job types of the manual's «Расписание запуска заданий», each mapped to what it does: a
 * pipeline run (stages + mode) or a maintenance function. The ids are stored in schedule.jobType
 * and typed on the command line, so they never change once released.
 */
import { Mode, StageName } from "../stages/descriptor";

export type MaintenanceTask = "clear-journal" | "retention" | "anchor-archive" | "backup" | "reminders" | "import";

export type JobAction = { kind: "pipeline"; stages: StageName[]; mode: Mode } | { kind: "maintenance"; task: MaintenanceTask };

export interface JobType {
  id: string;
  /** The manual's wording, shown to users and written to the message log. */
  label: string;
  action: JobAction;
}

const pipeline = (stages: StageName[], mode: Mode): JobAction => ({ kind: "pipeline", stages, mode });
const maintenance = (task: MaintenanceTask): JobAction => ({ kind: "maintenance", task });

export const JOB_TYPES: readonly JobType[] = [
  // Message log beyond «Сообщения / лог: хранить дней, но не более записей».
  { id: "clear-journal", label: "Очистить журнал БД", action: maintenance("clear-journal") },
  // The services stage pulls the organization registry, common NSI and our private NSI as one step set.
  { id: "refresh-nsi", label: "Обновить общие справочники", action: pipeline(["services"], "pull") },
  // exportNotificationsOfOrderExecution: payments other organizations placed, before ours are posted.
  { id: "check-payments", label: "Проверить поступление платежей", action: pipeline(["payments"], "pull") },
  // Our payment notices, then their acknowledgment against payment documents.
  { id: "process-payments", label: "Обработать платежи", action: pipeline(["payments", "kvitirovanie"], "push") },
  { id: "process-payment-documents", label: "Обработать квитанции", action: pipeline(["bills"], "push") },
  { id: "send-readings", label: "Отправить показания приборов учёта", action: pipeline(["readings"], "push") },
  { id: "sync-private-nsi", label: "Синхронизировать частные справочники", action: pipeline(["services"], "sync") },
  { id: "sync-contracts", label: "Синхронизировать договоры", action: pipeline(["contracts"], "sync") },
  { id: "sync-fund", label: "Синхронизировать жилой фонд", action: pipeline(["fund"], "sync") },
  { id: "sync-accounts", label: "Синхронизировать лицевые счета", action: pipeline(["accounts"], "sync") },
  // exportMeteringDeviceHistory: citizens' readings, kept apart from ours.
  { id: "pull-readings", label: "Получить показания приборов учёта из ГИС", action: pipeline(["readings"], "pull") },
  // «Очистка архивных данных и истории»: archive, message log, action history, finished queue jobs.
  { id: "retention", label: "Очистка архивных данных и истории", action: maintenance("retention") },
  // The archive's hash-chain head signed with our key and written apart from the database (src/archive/anchor.ts): run at each day's end.
  { id: "anchor-archive", label: "Заверить архив обмена подписью (отметка конца дня)", action: maintenance("anchor-archive") },
  // A backup into backup.folder, keeping the newest backup.keep (src/backup/scheduled.ts).
  { id: "backup", label: "Резервная копия базы и файлов", action: maintenance("backup") },
  // Deadlines e-mailed to the users who subscribe, each once (src/reminders/send.ts).
  { id: "reminders", label: "Разослать напоминания о сроках", action: maintenance("reminders") },
  // The billing bundle from the folder or the billing database of the import.schedule* settings (src/schedule/import-job.ts).
  { id: "import", label: "Загрузить данные из учётной системы", action: maintenance("import") },
];

export const JOB_TYPE_IDS = JOB_TYPES.map((j) => j.id);

export function jobTypeOf(id: string): JobType | undefined {
  return JOB_TYPES.find((j) => j.id === id);
}
