/**
 * @module Server-sent events read from a response body: the data of each
 * event, comments (`: keep-alive`) skipped, as the tail sends them.
 */

/**
 * The `data` of each event of `body`, in order, until the body ends.
 *
 * @example for await (const data of eventData(response.body)) console.log(JSON.parse(data));
 */
export async function* eventData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = "";
  let data: string[] = [];
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end).replace(/\r$/, "");
      buffered = buffered.slice(end + 1);
      if (line === "") {
        if (data.length > 0) yield data.join("\n");
        data = [];
      } else if (line.startsWith("data:")) {
        data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
      }
      // Other fields (event, id, retry) and comments carry nothing the tail uses.
    }
  }
}
