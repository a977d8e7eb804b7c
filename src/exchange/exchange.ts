/**
 * One GIS operation, end to end, resumable at every step because every step is recorded first:
 *   created → (validate against the XSD) validated → (sign; archive request and signed request) signed
 *   → (POST; archive the Ack) sent → (getState; archive every answer) processing → done | done_with_errors | failed.
 * Workers call `advance` with an operation id; it does the next step the record says is due and
 * returns. Nothing is kept in memory between calls. The steps are in their own modules: send.ts,
 * poll.ts, reconcile.ts, outcome.ts (what a failure means); context.ts holds what they share.
 */
import { GisOperation } from "../../entities/gis-operation";
import { ExchangeContext, RequestRecipe, reload } from "./context";
import { FINAL_STATES } from "./operation-store";
import { pollOperation } from "./poll";
import { finishReconcile, reconcileChild } from "./reconcile";
import { sendOperation } from "./send";

export { ExchangeContext, ReconcileRecipe, RequestRecipe, StateAnswer, operationArchive } from "./context";
export { pollOperation } from "./poll";
export { finishReconcile, reconcileChild } from "./reconcile";
export { sendOperation } from "./send";

/**
 * The next due step of an operation, whatever state it is in: what a worker calls. `recipeFor`
 * gives the recipe of any operation by its method and state (the reconciling child has its own).
 * The record read here is handed to the step, which does not read it again; `justRead`: the
 * caller's record, read a moment before with nothing written by it since (not read again).
 */
export async function advance(
  ctx: ExchangeContext,
  opId: string,
  recipeFor: (op: GisOperation) => RequestRecipe | Promise<RequestRecipe>,
  justRead?: GisOperation,
): Promise<GisOperation["state"]> {
  const op = justRead?.id === opId ? justRead : await reload(ctx.ds, opId);
  const recipe = await recipeFor(op);
  switch (op.state) {
    case "created":
    case "validated":
    case "signed":
      return sendOperation(ctx, op, recipe);
    case "sent":
    case "processing":
      return pollOperation(ctx, op, recipe);
    case "reconciling": {
      const child = await reconcileChild(ctx.ds, op.id);
      if (child && !FINAL_STATES.includes(child.state)) {
        if (!recipe.reconcile) throw new Error(`${op.method}: reconciling without a reconcile recipe`);
        const exportRecipe = recipe.reconcile.recipe;
        await advance(ctx, child.id, () => exportRecipe);
        return "reconciling";
      }
      return finishReconcile(ctx, op.id, recipe);
    }
    default:
      return op.state;
  }
}
