/** The exchange recipe of a method: how its request (and its reconciling export) is rebuilt from the model on every (re)send. */
import { DataSource } from "typeorm";
import { GisOperationItem } from "../../entities/gis-operation-item";
import { RequestRecipe } from "../exchange/exchange";
import { StageContext } from "../stages/descriptor";
import { OPERATIONS, OperationName, buildRequest } from "../transport/messages";
import { DescriptorSource } from "./plan";

export function serviceOf(method: string) {
  const s = OPERATIONS[method as OperationName]?.service;
  if (!s) throw new Error(`Метод ${method}: служба ГИС ЖКХ неизвестна`);
  return s;
}

/**
 * `context`: the stage context, or how to read it — only a build or a reconciling export's answer
 * needs it, so a getState never reads the organization and the settings for nothing.
 */
export function recipeOf(ds: DataSource, source: DescriptorSource, method: string, context: StageContext | (() => Promise<StageContext>)): RequestRecipe {
  const d = source.byMethod(method);
  if (!d) throw new Error(`Нет описания метода ГИС ЖКХ ${method}`);
  let read: Promise<StageContext> | undefined;
  const contextNow = (): Promise<StageContext> => {
    if (typeof context !== "function") return Promise.resolve(context);
    read ??= context();
    return read;
  };
  const load = async (items: GisOperationItem[], sctx: StageContext) => {
    const prepared = await d.prepare(
      ds,
      items.map((i) => i.objectId),
      sctx,
    );
    const tg = new Map(items.map((i) => [i.objectId, i.transportGuid]));
    return prepared.ready.filter((o) => tg.has(o.objectId)).map((o) => ({ ...o, transportGuid: tg.get(o.objectId)! }));
  };
  const spec = OPERATIONS[method as OperationName]!;
  const recipe: RequestRecipe = {
    service: serviceOf(method),
    methodKind: d.kind,
    safeToRepeat: d.kind === "import" && d.safeToRepeat,
    fixedVersion: spec.fixedVersion ?? undefined,
    build: async (items, header) => {
      const sctx = await contextNow();
      return buildRequest(d.method as OperationName, header, d.payload(await load(items, sctx), sctx) as never);
    },
  };
  const r = d.reconcile;
  if (r) {
    recipe.reconcile = {
      method: r.method,
      recipe: {
        service: serviceOf(r.method),
        methodKind: "export",
        fixedVersion: OPERATIONS[r.method]?.fixedVersion ?? undefined,
        build: async (items, header) => {
          const sctx = await contextNow();
          return buildRequest(r.method, header, r.payload(await load(items, sctx), sctx) as never);
        },
      },
      found: async (answer, items) => {
        const sctx = await contextNow();
        return r.found(answer, await load(items, sctx), sctx);
      },
    };
  }
  return recipe;
}
