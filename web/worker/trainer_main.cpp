// trainer_main.cpp - the training worker's engine (trainer.js + trainer.wasm): a follower Session
// (session.h) that takes the page's handoff, trains in slices of time and gives back its progress
// (training_wire.h). No SDL, GL or ImGui; web/worker/trainer_loop.js is its message loop.
#include "session.h"
#include "training_wire.h"

#include <emscripten/emscripten.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

namespace {
std::unique_ptr<splinescope::Session> session;
std::string message;      // the last refusal or progress, returned to JavaScript
double step_ms = 0.05;    // running estimate of one step
} // namespace

extern "C" {

// Starts following the handoff in bytes[0, size). Returns "" or why it was refused.
EMSCRIPTEN_KEEPALIVE const char* trainer_start(const char* bytes, int size) {
  using namespace splinescope;
  session.reset();
  const LoadResult<TrainingHandoff> handoff = read_handoff(std::string(bytes, static_cast<std::size_t>(size)));
  if (!handoff.ok()) {
    message = "the handoff is unreadable: " + handoff.error;
    return message.c_str();
  }
  try {
    session = std::make_unique<Session>(handoff.value);
  } catch (const std::exception& e) {
    message = std::string("the handoff does not make a session: ") + e.what();
    return message.c_str();
  }
  message.clear();
  return message.c_str();
}

// Trains for about `ms` milliseconds (at least one step), stopping at session step `limit`
// (negative: none). Returns 0 to go on, 1 diverged, 2 at the limit, 3 nothing to train.
EMSCRIPTEN_KEEPALIVE int trainer_train(double ms, double limit) {
  if (!session) return 3;
  const double start = emscripten_get_now();
  for (;;) {
    if (limit >= 0 && session->steps() >= static_cast<std::int64_t>(limit)) return 2;
    const double left = ms - (emscripten_get_now() - start);
    int steps = std::clamp(static_cast<int>(left / std::max(1e-4, step_ms) * 0.5), 1, 20000);
    if (limit >= 0) steps = static_cast<int>(std::min<double>(steps, limit - session->steps()));
    const double t0 = emscripten_get_now();
    const bool ok = session->train(steps).ok;
    step_ms = 0.7 * step_ms + 0.3 * (emscripten_get_now() - t0) / steps;
    if (!ok) return 1;
    if (emscripten_get_now() - start >= ms - step_ms) break;
  }
  return limit >= 0 && session->steps() >= static_cast<std::int64_t>(limit) ? 2 : 0;
}

// The progress since the last call, as bytes: the pointer, then trainer_progress_size().
EMSCRIPTEN_KEEPALIVE const char* trainer_progress() {
  message = session ? splinescope::write_progress(session->progress()) : std::string();
  return message.data();
}
EMSCRIPTEN_KEEPALIVE int trainer_progress_size() { return static_cast<int>(message.size()); }

EMSCRIPTEN_KEEPALIVE double trainer_steps() { return session ? static_cast<double>(session->steps()) : -1; }

EMSCRIPTEN_KEEPALIVE void trainer_stop() { session.reset(); }

} // extern "C"
