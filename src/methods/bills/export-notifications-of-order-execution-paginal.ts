/**
 * exportNotificationsOfOrderExecutionPaginal (bills): the same notices as
 * exportNotificationsOfOrderExecution, a page at a time (PageSize 100..1000, the next page asked by
 * the ExportNotificationsOfOrderExecutionGUID of the previous answer). Not run by the pipeline (its
 * windows are small enough for one answer); for callers that walk a large period.
 */
import { XNode, opt } from "../../transport/envelope/xml";
import { container } from "../../transport/messages/common";
import { child, text } from "../../transport/results/safe-xml";
import { defineMethod } from "../method";
import { ExportNotificationsInput, ExportedNotice, exportedNotices, notificationsCriteria } from "./notices";

export type ExportNotificationsPaginalInput = ExportNotificationsInput & {
  /** Paging: the ExportNotificationsOfOrderExecutionGUID of the previous page's answer. */
  exportGuid?: string;
  /** 100..1000 notices per page. */
  pageSize?: number;
};

const OP = "exportNotificationsOfOrderExecutionPaginal";

function body(i: ExportNotificationsPaginalInput, version: string): XNode {
  if (i.pageSize !== undefined && (!Number.isInteger(i.pageSize) || i.pageSize < 100 || i.pageSize > 1000))
    throw new Error(`${OP}: PageSize — от 100 до 1000, передано ${i.pageSize}`);
  return container(
    "bills:exportNotificationsOfOrderExecutionPaginalRequest",
    version,
    notificationsCriteria(OP, i),
    opt("bills:ExportNotificationsOfOrderExecutionGUID", i.exportGuid),
    opt("bills:PageSize", i.pageSize),
  );
}

/** A page of notices and the key of the next page (null on the last one). */
export function readNoticePage(result: Element): { notices: ExportedNotice[]; next: string | null } {
  const next = text(child(result, "ExportNotificationsOfOrderExecutionGUID"));
  return { notices: exportedNotices({ result } as never), next: next ? next.toLowerCase() : null };
}

export const exportNotificationsOfOrderExecutionPaginal = defineMethod<ExportNotificationsPaginalInput, never, ReturnType<typeof readNoticePage>>({
  name: OP,
  service: "bills",
  element: "exportNotificationsOfOrderExecutionPaginalRequest",
  versions: { "16.3.0.0": "10.0.1.1", "14.4.0.1": "10.0.1.1" },
  body,
  read: readNoticePage,
});
