// @module JSON-echo worker: parses the posted JSON and returns it re-serialized; the same module runs on Verge and on workerd.
export default {
  async fetch(request) {
    const data = await request.json();
    return new Response(JSON.stringify(data), { headers: { "content-type": "application/json" } });
  },
};
