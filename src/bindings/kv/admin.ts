/**
 * @module The KV dev control area of a `verge dev` PoP, for `verge kv
 * --dev-url`. Writes take a worker's path (appended to the namespace's
 * stream, durable, then applied here); reads are served from this PoP's
 * replica, after it has caught up with the stream once. Input is checked
 * with the binding's own checks, so errors read as a worker's would.
 *
 * | route under `/__verge/kv/` | answer |
 * | --- | --- |
 * | `GET <ns>/values/<key>` | the value's bytes; 404 `not_found` |
 * | `GET <ns>/metadata/<key>` | `{ name, expiration?, metadata? }`; 404 `not_found` |
 * | `PUT <ns>/values/<key>?expiration=&expiration_ttl=&metadata=<JSON>` (body: the value) | the key as listed |
 * | `DELETE <ns>/values/<key>` | `{ name, deleted: true }` |
 * | `GET <ns>/keys?prefix=&limit=&cursor=` | `{ keys, list_complete, cursor? }`, as `list()` answers |
 *
 * A key with `/` in it may be sent encoded (`%2F`) or not.
 */
import type { AdminHandler, AdminReply, AdminRequest } from "../../pop/admin.js";
import { limitFromText, listedKey, listPage, listResult } from "./listing.js";
import type { KvNamespace } from "./namespace.js";
import { checkExpiration, checkKey, checkMetadataText, checkNamespaceId, checkValue } from "./validate.js";

const ROUTES = "GET|PUT|DELETE <ns>/values/<key>, GET <ns>/metadata/<key>, GET <ns>/keys";

const failure = (status: number, code: string, message: string): AdminReply => ({ status, json: { error: { code, message } } });

/**
 * The handler of area "kv". `open(id)` gives the PoP's namespace, created and
 * replicating if it was not hosted yet.
 *
 * @example areas.set("kv", kvAdmin((id) => hostedNamespace(services, id)));
 */
export function kvAdmin(open: (id: string) => KvNamespace): AdminHandler {
  const caughtUp = new WeakMap<KvNamespace, Promise<void>>();
  /** The namespace, once its replica has applied the stream as it was at the first read (later reads are local at once). */
  const readable = async (ns: KvNamespace): Promise<KvNamespace> => {
    let ready = caughtUp.get(ns);
    if (!ready) {
      ready = ns.catchUp();
      caughtUp.set(ns, ready);
      void ready.catch(() => caughtUp.delete(ns));
    }
    await ready;
    return ns;
  };

  return async (request: AdminRequest): Promise<AdminReply> => {
    const [id, collection = "", ...rest] = request.path;
    const { query } = request;
    const key = rest.join("/");
    const notFound = () => failure(404, "not_found", `Key ${JSON.stringify(key)} not found in namespace "${id}"`);
    switch (`${request.method} ${collection}`) {
      case "GET keys": {
        if (rest.length > 0) break;
        const ns = await readable(open(checkNamespaceId(id, "list")));
        return { status: 200, json: listResult(listPage(ns.replica, query.get("prefix"), limitFromText(query.get("limit")), query.get("cursor"))) };
      }
      case "GET values": {
        const ns = await readable(open(checkNamespaceId(id, "get")));
        const entry = ns.replica.get(checkKey(key, "get"));
        return entry ? { status: 200, bytes: entry.value, contentType: "application/octet-stream" } : notFound();
      }
      case "GET metadata": {
        const ns = await readable(open(checkNamespaceId(id, "get")));
        const entry = ns.replica.get(checkKey(key, "get"));
        return entry ? { status: 200, json: listedKey({ name: key, expiration: entry.expiration, metadata: entry.metadata }) } : notFound();
      }
      case "PUT values": {
        checkNamespaceId(id, "put");
        const mutation = {
          kind: "put" as const,
          key: checkKey(key, "put"),
          value: checkValue(request.body),
          metadata: checkMetadataText(query.get("metadata")),
          expiration: checkExpiration(query.get("expiration"), query.get("expiration_ttl")),
        };
        await open(id).write(mutation);
        return { status: 200, json: listedKey({ name: mutation.key, expiration: mutation.expiration, metadata: mutation.metadata }) };
      }
      case "DELETE values": {
        checkNamespaceId(id, "delete");
        const name = checkKey(key, "delete");
        await open(id).write({ kind: "delete", key: name, value: new Uint8Array(0), metadata: null, expiration: null });
        return { status: 200, json: { name, deleted: true } };
      }
    }
    return failure(404, "no_route", `No KV dev route for ${request.method} /__verge/kv/${request.path.join("/")} (routes: ${ROUTES})`);
  };
}
