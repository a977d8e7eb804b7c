/** Errors a worker treats specially. */

/**
 * A job names a run or an operation this installation's database does not hold: it was queued by
 * another installation sharing the Redis, or left by a database that is gone. The job fails at
 * once, loudly — never completed as if it had been done.
 */
export class NotInDatabase extends Error {
  constructor(what: string) {
    super(`${what} не найден(а) в базе данных этой установки: задание чужое или устарело и не выполняется`);
    this.name = "NotInDatabase";
  }
}
