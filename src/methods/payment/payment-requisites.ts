/**
 * Shared by the payment methods that post our own payments: whether the organization posts them as
 * a payment agent (importNotificationsOfOrderExecution, with the recipient's requisites) or as the
 * executor of the services (importSupplierNotificationsOfOrderExecution), and the kopecks GIS wants.
 */
import { StageContext } from "../../stages/descriptor";

/** Roubles to the kopecks GIS wants, without float drift (1520.4 → 152040). */
export const kopecks = (roubles: number): number => Math.round(roubles * 100);

/**
 * Setting payments.asExecutor: our cash desks' payments are placed by us as the executor of the
 * services («размещаемые исполнителем»), not as a payment agent's notices. Off by default.
 */
export function postsAsExecutor(ctx: Pick<StageContext, "setting">): boolean {
  return ctx.setting("payments.asExecutor") === true;
}
