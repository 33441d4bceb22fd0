// Paging: PageSize/Page/PageToken, Twilio's two list envelopes (TaskRouter's meta with absolute URLs,
// API 2010's uri fields), and the refusal of unknown query parameters.
import { absolutePaging, invalidParameter } from "../errors";
import type { Params } from "./params";
import type { Json } from "./render";
import type { RouteContext, RouteResult } from "./route";

const PAGING = ["PageSize", "Page", "PageToken"];

function encodeToken(offset: number): string {
  return "PT" + Buffer.from(JSON.stringify({ o: offset })).toString("base64url");
}

function decodeToken(token: string): number {
  try {
    if (!token.startsWith("PT")) throw new Error("prefix");
    const v = JSON.parse(Buffer.from(token.slice(2), "base64url").toString("utf8")) as {
      o?: unknown;
    };
    if (typeof v.o === "number" && Number.isInteger(v.o) && v.o >= 0) return v.o;
  } catch {
    // fall through to the 400 below
  }
  throw invalidParameter(`Invalid PageToken: ${JSON.stringify(token)}`);
}

export interface PageSpec {
  size: number;
  page: number;
  offset: number;
  token?: string;
  filterQuery: string;
}

/** Reads the paging parameters; any query parameter not in `allowed` is refused. */
export function readPage(q: Params, allowed: string[], absolutePagingRefused: boolean): PageSpec {
  for (const name of q.names()) {
    if (!allowed.includes(name) && !PAGING.includes(name)) {
      throw invalidParameter(`Unknown query parameter ${name}`);
    }
  }
  const size = q.int("PageSize", 1, 1000) ?? 50;
  const page = q.int("Page", 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const token = q.str("PageToken");
  let offset: number;
  if (token !== undefined) offset = decodeToken(token);
  else if (page > 0 && absolutePagingRefused) throw absolutePaging();
  else offset = page * size;
  const filters = new URLSearchParams();
  for (const name of q.names()) {
    if (!PAGING.includes(name)) for (const v of q.all(name)) filters.append(name, v);
  }
  return { size, page, offset, token, filterQuery: filters.toString() };
}

function pageQuery(spec: PageSpec, page: number, token?: string): string {
  const parts = [spec.filterQuery, `PageSize=${spec.size}`, `Page=${page}`];
  if (token) parts.push(`PageToken=${token}`);
  return parts.filter((x) => x !== "").join("&");
}

/** The first, next, previous and this page's URL (prefix `url`), next/previous null at the ends. */
function pageLinks(spec: PageSpec, url: string, total: number) {
  const hasNext = spec.offset + spec.size < total;
  return {
    first: `${url}?${pageQuery(spec, 0)}`,
    next: hasNext
      ? `${url}?${pageQuery(spec, spec.page + 1, encodeToken(spec.offset + spec.size))}`
      : null,
    previous:
      spec.page > 0 && spec.offset > 0
        ? `${url}?${pageQuery(spec, spec.page - 1, encodeToken(Math.max(0, spec.offset - spec.size)))}`
        : null,
    self: `${url}?${pageQuery(spec, spec.page, spec.token)}`,
  };
}

/** TaskRouter list envelope with absolute meta URLs on the emulator's host. */
export function trList(
  ctx: RouteContext,
  key: string,
  allowed: string[],
  items: () => Json[],
): RouteResult {
  const spec = readPage(ctx.query, allowed, true);
  const all = items();
  const links = pageLinks(spec, `${ctx.base}${ctx.path}`, all.length);
  return {
    status: 200,
    body: {
      [key]: all.slice(spec.offset, spec.offset + spec.size),
      meta: {
        first_page_url: links.first,
        key,
        next_page_url: links.next,
        page: spec.page,
        page_size: spec.size,
        previous_page_url: links.previous,
        url: links.self,
      },
    },
  };
}

/** API 2010 list envelope: relative URIs, start/end, absolute paging allowed. */
export function api2010List<T>(
  ctx: RouteContext,
  key: string,
  spec: PageSpec,
  all: T[],
  render: (x: T) => Json,
): RouteResult {
  const slice = all.slice(spec.offset, spec.offset + spec.size);
  const links = pageLinks(spec, ctx.path, all.length);
  return {
    status: 200,
    body: {
      end: spec.offset + Math.max(slice.length, 1) - 1,
      first_page_uri: links.first,
      next_page_uri: links.next,
      page: spec.page,
      page_size: spec.size,
      previous_page_uri: links.previous,
      start: spec.offset,
      uri: links.self,
      [key]: slice.map(render),
    },
  };
}
