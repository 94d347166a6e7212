// @module workerd only: routes `w<N>.bench` to the service binding `w<N>`, so one socket reaches 200 workers (cold-start comparison).
export default {
  fetch(request, env) {
    const name = new URL(request.url).hostname.split(".")[0];
    const service = env[name];
    return service ? service.fetch(request) : new Response("no worker", { status: 404 });
  },
};
