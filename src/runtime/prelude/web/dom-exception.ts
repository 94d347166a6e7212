/**
 * @module DOMException (WebIDL): name, message, legacy code and the code constants.
 */

/** Legacy codes by name (WebIDL "DOMException names" table); other names have code 0. */
const CODES: Record<string, number> = {
  IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
  NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10,
  InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14,
  InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20,
  URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25,
};

/** The constants, in code order (2, 6 and 16 have no name of their own). */
const CONSTANTS = [
  "INDEX_SIZE_ERR", "DOMSTRING_SIZE_ERR", "HIERARCHY_REQUEST_ERR", "WRONG_DOCUMENT_ERR", "INVALID_CHARACTER_ERR",
  "NO_DATA_ALLOWED_ERR", "NO_MODIFICATION_ALLOWED_ERR", "NOT_FOUND_ERR", "NOT_SUPPORTED_ERR", "INUSE_ATTRIBUTE_ERR",
  "INVALID_STATE_ERR", "SYNTAX_ERR", "INVALID_MODIFICATION_ERR", "NAMESPACE_ERR", "INVALID_ACCESS_ERR",
  "VALIDATION_ERR", "TYPE_MISMATCH_ERR", "SECURITY_ERR", "NETWORK_ERR", "ABORT_ERR", "URL_MISMATCH_ERR",
  "QUOTA_EXCEEDED_ERR", "TIMEOUT_ERR", "INVALID_NODE_TYPE_ERR", "DATA_CLONE_ERR",
];

/**
 * An error with a DOM name, e.g. `new DOMException("Aborted", "AbortError")`.
 * The second argument may also be `{ name, cause }`, as in Node and Deno.
 */
export class DOMException extends Error {
  readonly #name: string;
  readonly #message: string;
  constructor(message: unknown = "", options: unknown = "Error") {
    const init = typeof options === "object" && options !== null ? (options as { name?: unknown; cause?: unknown }) : undefined;
    super(String(message), init && "cause" in init ? { cause: init.cause } : undefined);
    // The spec has message on the prototype only; Error's own property would shadow it.
    delete (this as { message?: string }).message;
    this.#message = String(message);
    this.#name = init ? (init.name === undefined ? "Error" : String(init.name)) : String(options);
  }
  override get name(): string {
    return this.#name;
  }
  override get message(): string {
    return this.#message;
  }
  get code(): number {
    return CODES[this.#name] ?? 0;
  }
  get [Symbol.toStringTag](): string {
    return "DOMException";
  }
}

CONSTANTS.forEach((constant, index) => {
  const descriptor = { value: index + 1, enumerable: true };
  Object.defineProperty(DOMException, constant, descriptor);
  Object.defineProperty(DOMException.prototype, constant, descriptor);
});
