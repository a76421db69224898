// worker_link.cpp - the page's side of the training worker (see worker_link.h).
#include "worker_link.h"

#include <emscripten.h>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] JavaScript
// -----------------------------------------------------------------------------------------------

// Creates the worker from Module.trainerScript (its wasm: Module.trainerWasm, passed after '#'
// as an absolute address). When the page may not start a worker from that address (a sandboxed
// frame has no origin), it tries once more from a blob: copy of the script.
EM_JS(void, js_worker_create, (), {
  var fail = function (why) { ccall('ss_worker_failed', null, ['string'], [String(why)]); };
  if (typeof Worker === 'undefined') { fail('this browser has no Web Workers'); return; }
  if (!Module.trainerScript) { fail('this page names no training worker'); return; }
  var script = new URL(Module.trainerScript, document.baseURI).href;
  var wasm = new URL(Module.trainerWasm || 'trainer.wasm', document.baseURI).href;
  var attach = function (worker, fallback) {
    var ready = false;
    worker.onmessage = function (e) {
      var m = e.data;
      if (m.kind === 'ready') { ready = true; _ss_worker_ready(); }
      else if (m.kind === 'progress') {
        var data = new Uint8Array(m.bytes);
        var ptr = _malloc(Math.max(1, data.length));
        HEAPU8.set(data, ptr);
        _ss_worker_progress(m.generation, m.status, ptr, data.length, m.memory);
        _free(ptr);
      } else if (m.kind === 'refused') {
        ccall('ss_worker_refused', null, ['number', 'string'], [m.generation, m.message]);
      } else if (m.kind === 'failed') fail('the training worker failed: ' + m.message);
    };
    worker.onerror = function (e) {
      if (e && e.preventDefault) e.preventDefault();
      worker.terminate();
      if (!ready && fallback) { fallback(); return; }
      fail('the training worker ' + (ready ? 'failed' : 'could not start') +
           (e && e.message ? ': ' + e.message : ""));
    };
    Module.trainerWorker = worker;
  };
  var from_blob = function () {
    fetch(script).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status + ' for ' + script);
      return r.blob();
    }).then(function (blob) {
      attach(new Worker(URL.createObjectURL(blob) + '#' + encodeURIComponent(wasm)), null);
    }).catch(function (err) { fail('the training worker could not start: ' + (err && err.message || err)); });
  };
  try {
    attach(new Worker(script + '#' + encodeURIComponent(wasm)), from_blob);
  } catch (err) {
    from_blob();
  }
});

EM_JS(void, js_worker_run, (int generation, const char* bytes, int size, double limit, double duty,
                            double pace), {
  if (!Module.trainerWorker) return;
  var copy = HEAPU8.slice(bytes, bytes + size).buffer;
  Module.trainerWorker.postMessage({ kind: 'run', generation: generation, bytes: copy, limit: limit,
                                     duty: duty, pace: pace }, [copy]);
});

EM_JS(void, js_worker_send, (int stop, double duty, double pace), {
  if (!Module.trainerWorker) return;
  Module.trainerWorker.postMessage(stop ? { kind: 'stop' } : { kind: 'duty', value: duty, pace: pace });
});

EM_JS(void, js_worker_terminate, (), {
  if (Module.trainerWorker) Module.trainerWorker.terminate();
  Module.trainerWorker = null;
});

// -----------------------------------------------------------------------------------------------
// [SECTION] WorkerLink
// -----------------------------------------------------------------------------------------------

const char* to_string(TrainingThread t) {
  switch (t) {
  case TrainingThread::starting: return "starting";
  case TrainingThread::worker: return "worker";
  case TrainingThread::page: return "page";
  }
  return "?";
}

WorkerLink& worker_link() {
  static WorkerLink link;
  return link;
}

void WorkerLink::start(double now_ms) {
  started_at_ = now_ms;
  js_worker_create();
}

void WorkerLink::check_start(double now_ms) {
  if (thread_ == TrainingThread::starting && now_ms - started_at_ > kStartTimeoutMs)
    use_page("the training worker did not start within 15 s");
}

void WorkerLink::use_page(const std::string& reason) {
  if (thread_ == TrainingThread::worker) js_worker_terminate();
  thread_ = TrainingThread::page;
  reason_ = reason;
  running_ = false;
  queue_.clear();
}

int WorkerLink::run(const std::string& handoff, std::uint64_t revision, std::int64_t step_limit,
                    double duty, double pace) {
  ++generation_;
  revision_ = revision;
  queue_.clear();
  running_ = true;
  duty_ = duty;
  pace_ = pace;
  js_worker_run(generation_, handoff.data(), static_cast<int>(handoff.size()),
                static_cast<double>(step_limit), duty, pace);
  return generation_;
}

void WorkerLink::stop() {
  if (!running_) return;
  ++generation_;
  running_ = false;
  queue_.clear();
  js_worker_send(1, 0, 0);
}

void WorkerLink::set_rate(double duty, double pace) {
  if (duty == duty_ && pace == pace_) return;
  duty_ = duty;
  pace_ = pace;
  js_worker_send(0, duty, pace);
}

std::vector<WorkerProgress> WorkerLink::take_progress() {
  std::vector<WorkerProgress> out;
  out.swap(queue_);
  return out;
}

void WorkerLink::on_ready() {
  if (thread_ != TrainingThread::starting) return; // the page trains (asked for, or timed out)
  thread_ = TrainingThread::worker;
  reason_.clear();
}

void WorkerLink::on_failed(const std::string& why) {
  if (thread_ != TrainingThread::page) use_page(why);
}

void WorkerLink::on_progress(int generation, int status, std::string bytes, double memory) {
  worker_memory_ = memory;
  if (generation != generation_ || !running_) return;
  if (status != 0) running_ = false; // the worker stopped by itself
  queue_.push_back(WorkerProgress{generation, status, std::move(bytes)});
}

void WorkerLink::on_refused(int generation, const std::string& why) {
  if (generation == generation_) use_page("the training worker refused the session: " + why);
}

} // namespace splinescope

extern "C" {
EMSCRIPTEN_KEEPALIVE void ss_worker_ready() { splinescope::worker_link().on_ready(); }
EMSCRIPTEN_KEEPALIVE void ss_worker_failed(const char* why) {
  splinescope::worker_link().on_failed(why ? why : "the training worker failed");
}
EMSCRIPTEN_KEEPALIVE void ss_worker_refused(int generation, const char* why) {
  splinescope::worker_link().on_refused(generation, why ? why : "");
}
EMSCRIPTEN_KEEPALIVE void ss_worker_progress(int generation, int status, const char* bytes, int size,
                                             double memory) {
  splinescope::worker_link().on_progress(generation, status,
                                         std::string(bytes, static_cast<std::size_t>(size)), memory);
}
}
