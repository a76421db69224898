// trainer_loop.js - the training worker's message loop, appended to trainer.js (--post-js).
//
// In:  {kind: 'run', generation, bytes (a handoff), limit (session step, -1: none), duty (0..1)}
//      {kind: 'stop'}   {kind: 'duty', value}
// Out: {kind: 'ready'}
//      {kind: 'progress', generation, bytes, status (0 going on, 1 diverged, 2 at the limit),
//       memory (bytes of the worker's wasm memory)}
//      {kind: 'refused', generation, message}   {kind: 'failed', message}
// Training runs in slices of kSliceMs, each followed by its progress, and leaves the thread idle
// for (1 - duty) of the time, so messages are read between slices and a stop is prompt.
// Wrapped in a function: this file shares its scope with the engine's glue (which has its own
// run(), for one).
(function () {
  var kSliceMs = 25;
  var run = null;      // {generation, limit}
  var duty = 1;
  var runtime_ready = false;
  var queued = [];
  var scheduled = false; // one slice at a time
  var channel = new MessageChannel();
  channel.port1.onmessage = function () { fire(); };

  function fire() { scheduled = false; slice(); }
  function schedule(delay_ms) {
    if (scheduled) return;
    scheduled = true;
    if (delay_ms < 1) channel.port2.postMessage(0); // yield to messages, without setTimeout's clamping
    else setTimeout(fire, delay_ms);
  }

  function copy_out(ptr, size) { return Module.HEAPU8.slice(ptr, ptr + size).buffer; }

  function slice() {
    if (!run) return;
    var started = performance.now();
    var status = Module._trainer_train(kSliceMs, run.limit);
    var ptr = Module._trainer_progress();
    var bytes = copy_out(ptr, Module._trainer_progress_size());
    self.postMessage({ kind: 'progress', generation: run.generation, bytes: bytes, status: status,
                       memory: Module.HEAPU8.length }, [bytes]);
    if (status !== 0) { run = null; return; }
    schedule((performance.now() - started) * (1 - duty) / Math.max(duty, 0.01));
  }

  function handle(m) {
    if (m.kind === 'run') {
      var data = new Uint8Array(m.bytes);
      var ptr = Module._malloc(Math.max(1, data.length));
      Module.HEAPU8.set(data, ptr);
      var refused = Module.UTF8ToString(Module._trainer_start(ptr, data.length));
      Module._free(ptr);
      if (refused) { run = null; self.postMessage({ kind: 'refused', generation: m.generation, message: refused }); return; }
      if (typeof m.duty === 'number') duty = Math.min(1, Math.max(0.01, m.duty));
      run = { generation: m.generation, limit: m.limit };
      schedule(0);
    } else if (m.kind === 'stop') {
      run = null;
      Module._trainer_stop();
    } else if (m.kind === 'duty') {
      duty = Math.min(1, Math.max(0.01, m.value));
    }
  }

  self.onmessage = function (e) {
    if (!runtime_ready) { queued.push(e.data); return; }
    try { handle(e.data); } catch (err) { self.postMessage({ kind: 'failed', message: String(err && err.message || err) }); }
  };

  Module.onRuntimeInitialized = function () {
    runtime_ready = true;
    self.postMessage({ kind: 'ready' });
    queued.splice(0).forEach(function (m) { self.onmessage({ data: m }); });
  };
})();
