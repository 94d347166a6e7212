/**
 * @module A terminal editor for one collab-doc document: connects to a PoP,
 * syncs the document's Y.Text `text`, prints it whenever another editor
 * changes it, and turns each line you type into an edit.
 *
 *   node --import tsx examples/collab-doc/client.ts [POP_URL] [DOC]
 *
 * POP_URL defaults to http://127.0.0.1:8787 and DOC to "notes". A line is
 * appended to the text; `/insert <index> <text>`, `/delete <index> <count>`,
 * `/show` and `/quit` do what they say. When the connection is lost after
 * the first sync, it connects again and sends its copy, so that edits made
 * meanwhile are merged.
 */
import { createInterface } from "node:readline";
import WebSocket from "ws";
import * as Y from "yjs";

const [popUrl = "http://127.0.0.1:8787", name = "notes"] = process.argv.slice(2);
const url = `${popUrl.replace(/^http/, "ws").replace(/\/$/, "")}/docs/${encodeURIComponent(name)}/websocket`;

const doc = new Y.Doc();
const text = doc.getText("text");
/** The origin of updates that came from the document, which are not sent back. */
const REMOTE = Symbol("remote");

function show(why: string): void {
  const lines = text.length === 0 ? 0 : text.toString().replace(/\n$/, "").split("\n").length;
  console.log(`── ${name}: ${text.length} characters, ${lines} line${lines === 1 ? "" : "s"} (${why}) ──`);
  if (text.length > 0) console.log(text.toString().replace(/\n$/, ""));
}

/** Applies one typed line: an edit, or a command. Answers false on /quit. */
function edit(line: string): boolean {
  const [command, ...rest] = line.split(" ");
  const [index, count] = [Number(rest[0]), Number(rest[1])];
  const inRange = Number.isInteger(index) && index >= 0 && index <= text.length;
  if (command === "/quit") return false;
  if (command === "/show") show("as it stands");
  else if (command === "/insert" && inRange && rest.length > 1) text.insert(index, rest.slice(1).join(" "));
  else if (command === "/delete" && inRange && Number.isInteger(count) && count > 0) text.delete(index, Math.min(count, text.length - index));
  else if (command.startsWith("/")) console.error(`Not a command: ${JSON.stringify(line)} (try /insert <index> <text>, /delete <index> <count>, /show, /quit; an index from 0 to ${text.length})`);
  else text.insert(text.length, `${line}\n`);
  return true;
}

let ws: WebSocket | null = null;
let quitting = false;
let synced = false;

doc.on("update", (update: Uint8Array, origin: unknown) => {
  if (origin !== REMOTE && ws?.readyState === WebSocket.OPEN) ws.send(update);
});

function quit(): void {
  quitting = true;
  if (ws?.readyState === WebSocket.OPEN) ws.close(1000, "Bye");
  else process.exit(0);
}

/** Typed lines become edits once the document arrived; edits made while disconnected are sent on reconnecting. */
function startInput(): void {
  const input = createInterface({ input: process.stdin });
  input.on("line", (line) => {
    if (!edit(line)) quit();
  });
  input.on("close", quit);
}

function open(): void {
  const socket = new WebSocket(url);
  ws = socket;
  let first = true;
  socket.on("open", () => {
    // What this copy holds that the document may not (edits made while disconnected): Yjs ignores what it has.
    if (synced) socket.send(Y.encodeStateAsUpdate(doc));
  });
  socket.on("message", (data: Buffer, binary: boolean) => {
    if (!binary) return console.error(`The document says: ${data.toString()}`);
    Y.applyUpdate(doc, new Uint8Array(data), REMOTE);
    // The first message of a connection is the whole document.
    if (!first) return show("edited elsewhere");
    first = false;
    show(`synced from ${popUrl}`);
    if (!synced) startInput();
    synced = true;
  });
  socket.on("error", (error) => console.error(`${url}: ${error.message}`));
  socket.on("close", (code, reason) => {
    if (quitting) process.exit(0);
    console.error(`Closed: ${code} ${reason.toString()}`);
    // Refused updates (4400, 4413) would be refused again; a connection that never worked is given up.
    if (code >= 4000 || !synced) process.exit(1);
    // The object moved (1001, 1012) or its PoP was lost (1011): it is reached again wherever it lives now.
    console.error("Reconnecting in 1 s");
    setTimeout(open, 1000);
  });
}

open();
