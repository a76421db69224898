// trainer_loop.js - the training worker's message loop, appended to trainer.js (--post-js).
//
// In:  {kind: 'run', generation, bytes (a handoff), limit (session step, -1: none), duty (0..1),
//       pace (steps per second, 0: no limit)}
//      {kind: 'stop'}   {kind: 'duty', value, pace}
// Out: {kind: 'ready'}
//      {kind: 'progress', generation, bytes, status (0 going on, 1 diverged, 2 at the limit),
//       memory (bytes of the worker's wasm memory)}
//      {kind: 'refused', generation, message}   {kind: 'failed', message}
// Training runs in slices of kSliceMs, each followed by its progress, and leaves the thread idle
// for (1 - duty) of the time, so messages are read between slices and a stop is prompt. At a
// pace, a slice trains only the steps due (the page's PaceClock in web/training/pace.h, the same
// rule: credit at the pace, one step due at the start, at most a quarter second's worth kept).
// Wrapped in a function: this file shares its scope with the engine's glue (which has its own
// run(), for one).
(function () {
  var kSliceMs = 25;
  var run = null;      // {generation, limit}
  var duty = 1;
  var pace = 0;        // steps per second, 0: as fast as possible
  var credit = 1, last = -1;
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

  function due(now) {
    if (!(pace > 0)) return Infinity;
    if (last >= 0 && now > last) credit += pace * (now - last) / 1000;
    last = now;
    credit = Math.min(credit, Math.max(1, pace * 0.25));
    return Math.floor(credit);
  }
  function set_pace(value) {
    var next = typeof value === 'number' && value > 0 ? value : 0;
    if (next !== pace) { pace = next; last = -1; credit = Math.min(credit, 1); }
  }

  function copy_out(ptr, size) { return Module.HEAPU8.slice(ptr, ptr + size).buffer; }

  function slice() {
    if (!run) return;
    var started = performance.now();
    var allowed = due(started);
    if (allowed < 1) { schedule((1 - credit) * 1000 / pace); return; }
    var before = Module._trainer_steps();
    var limit = run.limit, paced = false;
    if (allowed !== Infinity && (limit < 0 || before + allowed < limit)) { limit = before + allowed; paced = true; }
    var status = Module._trainer_train(kSliceMs, limit);
    credit = Math.max(0, credit - (Module._trainer_steps() - before));
    if (status === 2 && paced) status = 0; // the pace's stop, not the run's
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
      set_pace(m.pace);
      credit = 1; last = -1; // a new run: one step at once
      run = { generation: m.generation, limit: m.limit };
      schedule(0);
    } else if (m.kind === 'stop') {
      run = null;
      Module._trainer_stop();
    } else if (m.kind === 'duty') {
      duty = Math.min(1, Math.max(0.01, m.value));
      set_pace(m.pace);
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
