// @module Hello-world worker: the same module runs on Verge and on workerd; bench/targets/node-child.ts mirrors it.
export default {
  fetch() {
    return new Response("Hello World!", { headers: { "content-type": "text/plain;charset=UTF-8" } });
  },
};
